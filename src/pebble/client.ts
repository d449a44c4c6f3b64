// The typed Pebble client: HTTP/1.1 over the daemon's Unix socket. Success is decided by the
// envelope's `type`, never by the HTTP status alone (health answers 502 with type "sync").
import { Agent } from "node:http";
import { join } from "node:path";
import axios, { isAxiosError } from "axios";
import { ChangeError, connectionError, PebbleAPIError, PebbleError, PebbleTimeoutError } from "./errors.ts";
import { goDuration, parsePlan, serializeLayer } from "./layer.ts";
import type { Layer, Plan } from "./layer.ts";
import { listFiles, makeDir, pull, push, removePath } from "./files.ts";
import type { FileInfo, ListFilesOptions, MakeDirOptions, PushOptions } from "./files.ts";
import { exec, run, startExec } from "./exec.ts";
import type { ExecOptions, ExecProcess, ExecResult } from "./exec.ts";

export interface PebbleClientOptions {
  socketPath: string;
  /** Per-request timeout; long polls add their wait on top of it. Default 5000. */
  timeoutMs?: number;
}

export interface SystemInfo {
  version: string;
  bootId: string;
  httpAddress?: string;
}

export interface ServiceInfo {
  name: string;
  startup: "enabled" | "disabled";
  current: "active" | "inactive" | "backoff" | "error";
  /** Pebble's RFC 3339 timestamp (nanosecond precision), absent when the service never ran. */
  currentSince?: string;
}

export interface LogEntry {
  time: string;
  service: string;
  message: string;
}

export interface CheckInfo {
  name: string;
  level?: "alive" | "ready";
  startup: "enabled" | "disabled";
  status: "up" | "down" | "inactive";
  successes: number;
  failures: number;
  threshold: number;
  changeId?: string;
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

export interface Notice {
  id: string;
  userId: number | null;
  type: string;
  key: string;
  firstOccurred: string;
  lastOccurred: string;
  lastRepeated: string;
  occurrences: number;
  lastData?: Record<string, string>;
}

type QueryValue = string | number | boolean | readonly string[] | undefined;
export type Query = Record<string, QueryValue>;

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

const DEFAULT_TIMEOUT_MS = 5000;
/** How long one service action may take before we stop waiting (as ops does). */
const DEFAULT_CHANGE_TIMEOUT_MS = 30_000;
/** Longest single long-poll of /wait; an unbounded wait (Infinity) is a loop of these. */
const MAX_POLL_MS = 60_000;

/** Where Juju mounts the Pebble socket of workload container `containerName` in the charm container. */
export function socketPathFor(containerName: string): string {
  if (!containerName || containerName.includes("/")) throw new Error(`invalid container name ${JSON.stringify(containerName)}`);
  return join("/charm/containers", containerName, "pebble.socket");
}

/**
 * Node's default agent names a TLS server for every request, testing the Host header with isIP, whose
 * IPv6 regex costs milliseconds of CPU per request in a fresh process; a Unix socket has no server name.
 */
const socketAgent = new Agent({ servername: "" } as ConstructorParameters<typeof Agent>[0]);

export class PebbleClient {
  readonly socketPath: string;
  readonly timeoutMs: number;
  #requestCount = 0;

  constructor(options: PebbleClientOptions) {
    this.socketPath = options.socketPath;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  /** Requests sent to Pebble so far, websocket upgrades included (benchmarks count them per event). */
  get requestCount(): number {
    return this.#requestCount;
  }

  // --- system -------------------------------------------------------------------------------------

  async systemInfo(): Promise<SystemInfo> {
    const r = await this.requestSync<Record<string, string>>("GET", "/v1/system-info");
    return { version: r.version ?? "", bootId: r["boot-id"] ?? "", ...(r["http-address"] ? { httpAddress: r["http-address"] } : {}) };
  }

  /** True when no matching check is down (Pebble answers 502 + type "sync" when one is). */
  async health(options: { level?: "alive" | "ready"; names?: string[] } = {}): Promise<boolean> {
    const r = await this.requestSync<{ healthy: boolean }>("GET", "/v1/health", { query: { level: options.level, names: options.names } });
    return r.healthy;
  }

  // --- plan and layers ----------------------------------------------------------------------------

  async getPlan(): Promise<Plan> {
    return parsePlan(await this.requestSync<string>("GET", "/v1/plan", { query: { format: "yaml" } }));
  }

  /**
   * Adds a layer (data or YAML text). With `combine`, a layer with the same label is merged into;
   * without it, an existing label is a 400 PebbleAPIError.
   */
  async addLayer(label: string, layer: Layer | string, options: { combine?: boolean } = {}): Promise<void> {
    const yaml = typeof layer === "string" ? layer : serializeLayer(layer);
    await this.requestSync("POST", "/v1/layers", {
      body: { action: "add", label, combine: options.combine ?? false, inner: false, format: "yaml", layer: yaml },
    });
  }

  // --- services ----------------------------------------------------------------------------------

  /** Services in the plan, sorted by name; unknown names are silently left out (Pebble's behaviour). */
  async getServices(names?: string[]): Promise<ServiceInfo[]> {
    const r = await this.requestSync<Record<string, string>[]>("GET", "/v1/services", { query: { names } });
    return r.map((s) => ({
      name: s.name ?? "",
      startup: s.startup as ServiceInfo["startup"],
      current: s.current as ServiceInfo["current"],
      ...(s["current-since"] ? { currentSince: s["current-since"] } : {}),
    }));
  }

  startServices(names: string[], timeoutMs?: number): Promise<Change> {
    return this.#serviceAction("start", names, timeoutMs);
  }

  stopServices(names: string[], timeoutMs?: number): Promise<Change> {
    return this.#serviceAction("stop", names, timeoutMs);
  }

  restartServices(names: string[], timeoutMs?: number): Promise<Change> {
    return this.#serviceAction("restart", names, timeoutMs);
  }

  /** Restarts services whose definition changed and starts every `startup: enabled` one. */
  replan(timeoutMs?: number): Promise<Change> {
    return this.#serviceAction("replan", [], timeoutMs);
  }

  async #serviceAction(action: string, services: string[], timeoutMs = DEFAULT_CHANGE_TIMEOUT_MS): Promise<Change> {
    const { change } = await this.requestAsync("POST", "/v1/services", { body: { action, services } });
    return this.waitChangeOk(change, timeoutMs);
  }

  /**
   * The last `n` lines services wrote (GET /v1/logs: one JSON object per line, not an envelope), oldest
   * first, without their trailing newline.
   */
  async getLogs(services: string[], n: number): Promise<LogEntry[]> {
    const response = await this.requestRaw("GET", "/v1/logs", { query: { services, n } });
    if (response.status !== 200) {
      this.parseEnvelope("GET", "/v1/logs", response);
      throw new PebbleAPIError("GET", "/v1/logs", response.status, "unexpected status");
    }
    return response.body.toString("utf8").split("\n").filter((line) => line.trim() !== "").map((line) => {
      const entry = JSON.parse(line) as { time?: string; service?: string; message?: string };
      return { time: entry.time ?? "", service: entry.service ?? "", message: (entry.message ?? "").replace(/\n$/, "") };
    });
  }

  async sendSignal(signal: string, services: string[]): Promise<void> {
    await this.requestSync("POST", "/v1/signals", { body: { signal, services } });
  }

  // --- changes -----------------------------------------------------------------------------------

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

  // --- checks ------------------------------------------------------------------------------------

  async getChecks(options: { level?: "alive" | "ready"; names?: string[] } = {}): Promise<CheckInfo[]> {
    const r = await this.requestSync<Record<string, unknown>[]>("GET", "/v1/checks", { query: { level: options.level, names: options.names } });
    return r.map(toCheckInfo);
  }

  /** Runs a check at once (Pebble 1.20+); `error` is this run's failure, whatever the threshold says. */
  async refreshCheck(name: string): Promise<{ info: CheckInfo; error?: string }> {
    const r = await this.requestSync<{ info: Record<string, unknown>; error?: string }>("POST", "/v1/checks/refresh", { body: { name } });
    return { info: toCheckInfo(r.info), ...(r.error ? { error: r.error } : {}) };
  }

  /** Starts checks; returns the names whose state changed. */
  startChecks(names: string[]): Promise<string[]> {
    return this.#checkAction("start", names);
  }

  /** Stops checks; returns the names whose state changed. */
  stopChecks(names: string[]): Promise<string[]> {
    return this.#checkAction("stop", names);
  }

  async #checkAction(action: string, checks: string[]): Promise<string[]> {
    const r = await this.requestSync<{ changed: string[] | null }>("POST", "/v1/checks", { body: { action, checks } });
    return r.changed ?? []; // Pebble before 1.28 may send null
  }

  // --- notices -----------------------------------------------------------------------------------

  /** Notices visible to this user. `after` must be a timestamp string as Pebble sent it. */
  async getNotices(options: { types?: string[]; keys?: string[]; after?: string } = {}): Promise<Notice[]> {
    const r = await this.requestSync<Record<string, unknown>[]>("GET", "/v1/notices", {
      query: { types: options.types, keys: options.keys, after: options.after },
    });
    return r.map((n) => ({
      id: String(n.id),
      userId: (n["user-id"] ?? null) as number | null,
      type: String(n.type),
      key: String(n.key),
      firstOccurred: String(n["first-occurred"]),
      lastOccurred: String(n["last-occurred"]),
      lastRepeated: String(n["last-repeated"]),
      occurrences: Number(n.occurrences),
      ...(n["last-data"] ? { lastData: n["last-data"] as Record<string, string> } : {}),
    }));
  }

  // --- files (files.ts) --------------------------------------------------------------------------

  push(path: string, data: string | Buffer, options: PushOptions = {}): Promise<void> {
    return push(this, path, data, options);
  }

  pull(path: string): Promise<Buffer> {
    return pull(this, path);
  }

  async pullText(path: string): Promise<string> {
    return (await pull(this, path)).toString("utf8");
  }

  listFiles(path: string, options: ListFilesOptions = {}): Promise<FileInfo[]> {
    return listFiles(this, path, options);
  }

  makeDir(path: string, options: MakeDirOptions = {}): Promise<void> {
    return makeDir(this, path, options);
  }

  removePath(path: string, options: { recursive?: boolean } = {}): Promise<void> {
    return removePath(this, path, options);
  }

  // --- exec (exec.ts) ----------------------------------------------------------------------------

  /** Runs a command to completion; a non-zero exit is reported in `exitCode`, not thrown. */
  exec(options: ExecOptions): Promise<ExecResult> {
    return exec(this, options);
  }

  /** Like `exec`, but a non-zero exit raises ExecError. */
  run(options: ExecOptions): Promise<ExecResult> {
    return run(this, options);
  }

  /** Starts a command and returns a handle for signals and waiting. */
  startExec(options: ExecOptions): Promise<ExecProcess> {
    return startExec(this, options);
  }

  // --- transport (also used by files.ts and exec.ts) ---------------------------------------------

  /** Counts a request made outside `requestRaw` (websocket upgrades). */
  countRequest(): void {
    this.#requestCount++;
  }

  /** One HTTP request; any status comes back. Connection failures become PebbleConnectionError. */
  async requestRaw(method: "GET" | "POST", path: string, request: RawRequest = {}): Promise<RawResponse> {
    const timeoutMs = request.timeoutMs ?? this.timeoutMs;
    this.#requestCount++;
    try {
      const response = await axios.request<ArrayBuffer>({
        url: `http://localhost${path}${queryString(request.query)}`,
        method,
        socketPath: this.socketPath,
        httpAgent: socketAgent,
        headers: request.headers ?? {},
        data: request.body,
        responseType: "arraybuffer",
        validateStatus: () => true,
        maxRedirects: 0, // plain node:http, Host: localhost; Pebble never redirects
        proxy: false, // HTTP(S)_PROXY in the environment must not capture socket requests
        timeout: Number.isFinite(timeoutMs) ? timeoutMs : 0,
        transitional: { clarifyTimeoutError: true },
      });
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(response.headers)) {
        if (value !== undefined && value !== null) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : String(value);
      }
      return { status: response.status, headers, body: Buffer.from(response.data) };
    } catch (error) {
      throw this.#connectionError(error, timeoutMs);
    }
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
  async requestSync<T = unknown>(method: "GET" | "POST", path: string, request: JsonRequest = {}): Promise<T> {
    const envelope = await this.#requestJson(method, path, request);
    if (envelope.type !== "sync") throw new PebbleError(`Pebble ${method} ${path} answered "${envelope.type}", expected "sync"`);
    return envelope.result as T;
  }

  /** A request that starts a change; returns the change id and the envelope's result. */
  async requestAsync(method: "GET" | "POST", path: string, request: JsonRequest = {}): Promise<{ change: string; result: unknown }> {
    const envelope = await this.#requestJson(method, path, request);
    if (envelope.type !== "async" || !envelope.change) throw new PebbleError(`Pebble ${method} ${path} answered "${envelope.type}", expected a change`);
    return { change: envelope.change, result: envelope.result };
  }

  async #requestJson(method: "GET" | "POST", path: string, request: JsonRequest): Promise<Envelope> {
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

  #connectionError(error: unknown, timeoutMs: number): Error {
    if (error instanceof PebbleError) return error;
    const code = isAxiosError(error) ? error.code : undefined;
    return connectionError(this.socketPath, code, error, timeoutMs);
  }
}

interface Envelope {
  type: "sync" | "async" | "error";
  "status-code": number;
  change?: string;
  result: unknown;
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

function toCheckInfo(c: Record<string, unknown>): CheckInfo {
  return {
    name: String(c.name),
    ...(c.level ? { level: c.level as CheckInfo["level"] } : {}),
    startup: c.startup as CheckInfo["startup"],
    status: c.status as CheckInfo["status"],
    successes: Number(c.successes ?? 0),
    failures: Number(c.failures ?? 0),
    threshold: Number(c.threshold ?? 0),
    ...(c["change-id"] ? { changeId: String(c["change-id"]) } : {}),
  };
}
