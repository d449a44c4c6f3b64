// How the client reaches Pebble: one HTTP request at a time, and the websockets of an exec. The charm uses
// the Unix-socket transport (axios over node:http, ws over node:net); tests of the charm's reconcile swap in
// a fake Pebble that answers the same API in-process.
import { Agent } from "node:http";
import { connect } from "node:net";
import axios, { isAxiosError } from "axios";
import type WebSocket from "ws";
import { connectionError, PebbleAPIError, PebbleError } from "./errors.ts";
import type { Method, Query, RawRequest, RawResponse } from "./types.ts";

/** One open websocket of an exec task (control, stdio or stderr). */
export interface PebbleSocket {
  /** Sends a binary or text frame; resolves once it is written. */
  send(data: Buffer | string, binary: boolean): Promise<void>;
  /** Close frame first, then the connection is dropped at once (stdio, stderr: Pebble never answers it). */
  drop(): void;
  /** Close frame, then up to `graceMs` for the server's answer before the connection is dropped. */
  close(graceMs: number): Promise<void>;
}

export interface SocketListeners {
  /** Every frame; `binary` tells output from text commands. */
  message?: (data: Buffer, binary: boolean) => void;
  /** The socket closed, by either side. */
  closed?: () => void;
}

export interface PebbleTransport {
  /** Where Pebble is reached, as errors name it. */
  readonly address: string;
  /** One HTTP request; any status comes back. Failing to reach Pebble raises PebbleConnectionError. */
  request(method: Method, path: string, request: RawRequest & { timeoutMs: number }): Promise<RawResponse>;
  /** Opens a websocket at `path`; listeners are attached before the first frame can arrive. */
  openSocket(path: string, timeoutMs: number, listeners: SocketListeners): Promise<PebbleSocket>;
}

/**
 * Node's default agent names a TLS server for every request, testing the Host header with isIP, whose
 * IPv6 regex costs milliseconds of CPU per request in a fresh process; a Unix socket has no server name.
 */
const socketAgent = new Agent({ servername: "" } as ConstructorParameters<typeof Agent>[0]);

/** Pebble's HTTP API over its Unix socket, as a charm reaches its workload container. */
export function unixSocketTransport(socketPath: string): PebbleTransport {
  return {
    address: socketPath,
    async request(method, path, request) {
      try {
        const response = await axios.request<ArrayBuffer>({
          url: `http://localhost${path}${queryString(request.query)}`,
          method,
          socketPath,
          httpAgent: socketAgent,
          headers: request.headers ?? {},
          data: request.body,
          responseType: "arraybuffer",
          validateStatus: () => true,
          maxRedirects: 0, // plain node:http, Host: localhost; Pebble never redirects
          proxy: false, // HTTP(S)_PROXY in the environment must not capture socket requests
          timeout: Number.isFinite(request.timeoutMs) ? request.timeoutMs : 0,
          transitional: { clarifyTimeoutError: true },
        });
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(response.headers)) {
          if (value !== undefined && value !== null) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : String(value);
        }
        return { status: response.status, headers, body: Buffer.from(response.data) };
      } catch (error) {
        if (error instanceof PebbleError) throw error;
        throw connectionError(socketPath, isAxiosError(error) ? error.code : undefined, error, request.timeoutMs);
      }
    },
    openSocket: (path, timeoutMs, listeners) => openWebSocket(socketPath, path, timeoutMs, listeners),
  };
}

async function openWebSocket(socketPath: string, path: string, timeoutMs: number, listeners: SocketListeners): Promise<PebbleSocket> {
  // Loaded when a command first runs: most events exec nothing, and ws costs more to load than the client.
  const { default: WebSocketClient } = await import("ws");
  const socket = await new Promise<WebSocket>((resolve, reject) => {
    const ws = new WebSocketClient(`ws://localhost${path}`, {
      // ws's own socketPath option is overwritten internally; a custom connection works for any path.
      createConnection: (() => connect(socketPath)) as unknown as typeof connect,
      perMessageDeflate: false,
      handshakeTimeout: timeoutMs,
    });
    if (listeners.message) ws.on("message", (data: Buffer, isBinary: boolean) => listeners.message!(Buffer.from(data), isBinary));
    if (listeners.closed) ws.on("close", () => listeners.closed!());
    ws.once("open", () => resolve(ws));
    ws.once("unexpected-response", (_request, response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => {
        let message = `websocket upgrade refused`;
        try {
          message = (JSON.parse(Buffer.concat(chunks).toString("utf8")) as { result?: { message?: string } }).result?.message ?? message;
        } catch {
          // keep the generic message: the body was not an envelope
        }
        reject(new PebbleAPIError("GET", path, response.statusCode ?? 0, message));
      });
      ws.terminate();
    });
    // Also keeps later socket errors (after open) from crashing the process; the change reports them.
    ws.on("error", (error) => reject(connectionError(socketPath, undefined, error, timeoutMs)));
  });
  return {
    send: (data, binary) => new Promise((resolve, reject) => socket.send(data, { binary }, (error) => (error ? reject(error) : resolve()))),
    drop() {
      if (socket.readyState === socket.OPEN) socket.close(1000);
      socket.terminate();
    },
    async close(graceMs) {
      if (socket.readyState === socket.CLOSED) return;
      const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
      if (socket.readyState === socket.OPEN) socket.close(1000);
      if (!(await within(closed, graceMs))) socket.terminate();
    },
  };
}

/** Whether `promise` settles within `ms`; the timer is cleared so it never holds the process open. */
export async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([promise.then(() => true), expired]);
  } finally {
    clearTimeout(timer);
  }
}

/** Pebble reads lists as comma-separated values; axios's default `names[]=` form would be ignored. */
function queryString(query: Query | undefined): string {
  if (!query) return "";
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) {
      if (value.length) params.append(key, value.join(","));
    } else params.append(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}
