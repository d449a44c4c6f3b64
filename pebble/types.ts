// The shapes every part of the Pebble client shares: requests and answers as the transport carries them,
// and Pebble's changes (what errors.ts and the client both speak of).

type QueryValue = string | number | boolean | readonly string[] | undefined;
export type Query = Record<string, QueryValue>;

export type Method = "GET" | "POST";

export interface RawRequest {
  query?: Query;
  headers?: Record<string, string>;
  body?: Buffer | string;
  timeoutMs?: number;
}

export interface RawResponse {
  status: number;
  /** Header names in lower case. */
  headers: Record<string, string>;
  body: Buffer;
}

export interface JsonRequest {
  query?: Query;
  body?: unknown;
  timeoutMs?: number;
}

export interface Task {
  id: string;
  kind: string;
  summary: string;
  status: string;
  log?: string[];
  spawnTime: string;
  readyTime?: string;
  data?: Record<string, unknown>;
}

export interface Change {
  id: string;
  kind: string;
  summary: string;
  /** Done, Error, Hold, Undone, Doing, … (Pebble's status strings). */
  status: string;
  ready: boolean;
  err?: string;
  spawnTime: string;
  readyTime?: string;
  data?: Record<string, unknown>;
  tasks: Task[];
}
