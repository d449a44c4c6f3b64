// Requests to Pebble over a transport: JSON envelopes (success is decided by the envelope's `type`, never
// by the HTTP status alone: health answers 502 with type "sync"), changes and their long-poll, websockets,
// and the request count. The typed client (client.ts), files.ts and exec.ts are built on it.
import { PebbleAPIError, PebbleError, PebbleTimeoutError, ChangeError } from "./errors.ts";
import { goDuration } from "./layer.ts";
import { unixSocketTransport, type PebbleSocket, type PebbleTransport, type SocketListeners } from "./transport.ts";
import type { Change, JsonRequest, Method, RawRequest, RawResponse } from "./types.ts";

export interface PebbleConnectionOptions {
  /** Pebble's Unix socket (the charm's way); or, instead, a transport of the caller's. */
  socketPath?: string;
  transport?: PebbleTransport;
  /** Per-request timeout; long polls add their wait on top of it. Default 5000. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 5000;
/** How long one service action may take before we stop waiting (as ops does). */
export const DEFAULT_CHANGE_TIMEOUT_MS = 30_000;
/** Longest single long-poll of /wait; an unbounded wait (Infinity) is a loop of these. */
const MAX_POLL_MS = 60_000;

export interface Envelope {
  type: "sync" | "async" | "error";
  "status-code": number;
  change?: string;
  result: unknown;
}

export class PebbleConnection {
  readonly transport: PebbleTransport;
  readonly timeoutMs: number;
  #requestCount = 0;

  constructor(options: PebbleConnectionOptions) {
    const transport = options.transport ?? (options.socketPath !== undefined ? unixSocketTransport(options.socketPath) : undefined);
    if (!transport) throw new Error("a Pebble client needs a socketPath or a transport");
    this.transport = transport;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  /** Where Pebble is reached (the socket path, for the charm). */
  get socketPath(): string {
    return this.transport.address;
  }

  /** Requests sent to Pebble so far, websocket upgrades included (benchmarks count them per event). */
  get requestCount(): number {
    return this.#requestCount;
  }

  /** One HTTP request; any status comes back. Connection failures become PebbleConnectionError. */
  requestRaw(method: Method, path: string, request: RawRequest = {}): Promise<RawResponse> {
    this.#requestCount++;
    return this.transport.request(method, path, { ...request, timeoutMs: request.timeoutMs ?? this.timeoutMs });
  }

  /** Opens an exec task's websocket (counted like a request). */
  openSocket(path: string, listeners: SocketListeners): Promise<PebbleSocket> {
    this.#requestCount++;
    return this.transport.openSocket(path, this.timeoutMs, listeners);
  }

  /** Parses a JSON envelope; `type: "error"` becomes PebbleAPIError. */
  parseEnvelope(method: string, path: string, response: RawResponse): Envelope {
    let envelope: Envelope;
    try {
      envelope = JSON.parse(response.body.toString("utf8")) as Envelope;
    } catch {
      throw new PebbleAPIError(method, path, response.status, `response is not JSON (content-type ${response.headers["content-type"] ?? "none"})`);
    }
    if (envelope.type === "error") {
      const result = (envelope.result ?? {}) as { message?: string; kind?: string };
      throw new PebbleAPIError(method, path, response.status, result.message ?? "unknown error", result.kind || undefined);
    }
    return envelope;
  }

  /** A request answered synchronously; returns `result`. */
  async requestSync<T = unknown>(method: Method, path: string, request: JsonRequest = {}): Promise<T> {
    const envelope = await this.#requestJson(method, path, request);
    if (envelope.type !== "sync") throw new PebbleError(`Pebble ${method} ${path} answered "${envelope.type}", expected "sync"`);
    return envelope.result as T;
  }

  /** A request that starts a change; returns the change id and the envelope's result. */
  async requestAsync(method: Method, path: string, request: JsonRequest = {}): Promise<{ change: string; result: unknown }> {
    const envelope = await this.#requestJson(method, path, request);
    if (envelope.type !== "async" || !envelope.change) throw new PebbleError(`Pebble ${method} ${path} answered "${envelope.type}", expected a change`);
    return { change: envelope.change, result: envelope.result };
  }

  async getChange(id: string): Promise<Change> {
    return toChange(await this.requestSync<RawChange>("GET", `/v1/changes/${encodeURIComponent(id)}`));
  }

  /**
   * Waits until the change is ready and returns it, whatever its status. Long-polls
   * /v1/changes/{id}/wait, looping on 504, until `timeoutMs` (may be Infinity) has passed; then
   * PebbleTimeoutError.
   */
  async waitChange(id: string, timeoutMs = DEFAULT_CHANGE_TIMEOUT_MS): Promise<Change> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new PebbleTimeoutError(`Pebble change ${id}`, timeoutMs);
      // At least 1 ms: a zero timeout would make Pebble wait without limit.
      const pollMs = Math.max(1, Math.ceil(Math.min(remaining, MAX_POLL_MS)));
      try {
        const r = await this.requestSync<RawChange>("GET", `/v1/changes/${encodeURIComponent(id)}/wait`, {
          query: { timeout: goDuration(pollMs) },
          timeoutMs: pollMs + this.timeoutMs,
        });
        return toChange(r);
      } catch (error) {
        if (error instanceof PebbleAPIError && error.statusCode === 504) continue;
        throw error;
      }
    }
  }

  /** `waitChange`, raising ChangeError (with the task logs) when the change failed. */
  async waitChangeOk(id: string, timeoutMs = DEFAULT_CHANGE_TIMEOUT_MS): Promise<Change> {
    const change = await this.waitChange(id, timeoutMs);
    if (change.err || change.status !== "Done") throw new ChangeError(change);
    return change;
  }

  async #requestJson(method: Method, path: string, request: JsonRequest): Promise<Envelope> {
    const headers: Record<string, string> = { Accept: "application/json" };
    const raw: RawRequest = { headers };
    if (request.query) raw.query = request.query;
    if (request.timeoutMs !== undefined) raw.timeoutMs = request.timeoutMs;
    if (request.body !== undefined) {
      headers["Content-Type"] = "application/json";
      raw.body = JSON.stringify(request.body);
    }
    return this.parseEnvelope(method, path, await this.requestRaw(method, path, raw));
  }
}

interface RawChange {
  id: string;
  kind: string;
  summary: string;
  status: string;
  ready: boolean;
  err?: string;
  "spawn-time": string;
  "ready-time"?: string;
  data?: Record<string, unknown>;
  tasks?: {
    id: string;
    kind: string;
    summary: string;
    status: string;
    log?: string[];
    "spawn-time": string;
    "ready-time"?: string;
    data?: Record<string, unknown>;
  }[];
}

function toChange(r: RawChange): Change {
  return {
    id: r.id,
    kind: r.kind,
    summary: r.summary,
    status: r.status,
    ready: r.ready,
    ...(r.err ? { err: r.err } : {}),
    spawnTime: r["spawn-time"],
    ...(r["ready-time"] ? { readyTime: r["ready-time"] } : {}),
    ...(r.data ? { data: r.data } : {}),
    tasks: (r.tasks ?? []).map((t) => ({
      id: t.id,
      kind: t.kind,
      summary: t.summary,
      status: t.status,
      ...(t.log ? { log: t.log } : {}),
      spawnTime: t["spawn-time"],
      ...(t["ready-time"] ? { readyTime: t["ready-time"] } : {}),
      ...(t.data ? { data: t.data } : {}),
    })),
  };
}
