// A fake Pebble for the in-process tier: a PebbleTransport that answers the HTTP API the charm uses
// (plan and layers, services, checks, logs, signals, files, changes, exec and its websockets) from memory,
// in Pebble 1.26's envelopes and status codes, so the charm's own client code runs unchanged. Tests set
// what the workload does (an exec's exit code, a check going down, a service failing to start) and read
// what the charm left (the plan, files, execs, service states).
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { randomBytes } from "node:crypto";
import { PebbleConnectionError } from "../../pebble/errors.ts";
import { PebbleClient } from "../../pebble/client.ts";
import { parsePlan, type PebblePlan } from "../../pebble/layer.ts";
import type { PebbleSocket, PebbleTransport, SocketListeners } from "../../pebble/transport.ts";
import type { Method, Query, RawRequest, RawResponse } from "../../pebble/types.ts";

type Entries = Record<string, Record<string, unknown>>;
type WirePlan = { services: Entries; checks: Entries; "log-targets": Entries };

export interface ExecCall {
  command: string[];
  environment: Record<string, string>;
  workingDir?: string;
  user?: string;
}

export interface ExecAnswer {
  exitCode: number;
  stdout?: string;
  stderr?: string;
}

interface FakeFile { content: Buffer; permissions: string; user: string; group: string }
interface FakeTask { id: string; changeId: string; answer: ExecAnswer; split: boolean }

export class FakePebble implements PebbleTransport {
  readonly address: string;
  /** False: every request fails as a socket nobody listens on does (the container is restarting). */
  up = true;
  /** What an exec answers; by default every command succeeds silently. */
  onExec: (call: ExecCall) => ExecAnswer = () => ({ exitCode: 0 });
  /** Every command run, in order. */
  readonly execs: ExecCall[] = [];
  readonly signals: Array<{ signal: string; services: string[] }> = [];
  /** Services that fail to start on the next start or replan, with the error Pebble would give. */
  readonly startFailures = new Map<string, string>();
  /** Check statuses the workload shows; by default a check is up while every enabled service runs, as an app's own check is. */
  readonly checkStatus = new Map<string, { status: "up" | "down"; failures?: number }>();
  /** What each service wrote, oldest first. */
  readonly logs = new Map<string, string[]>();
  readonly files = new Map<string, FakeFile>();
  readonly dirs = new Set<string>(["/"]);
  readonly services = new Map<string, "active" | "inactive" | "backoff" | "error">();
  readonly requests: Array<{ method: Method; path: string }> = [];
  #plan: WirePlan = { services: {}, checks: {}, "log-targets": {} };
  readonly #changes = new Map<string, Record<string, unknown>>();
  readonly #tasks = new Map<string, FakeTask>();
  #next = 1;

  /** A container whose rock defines `services` (Pebble's wire form, as the rock's layer writes them). */
  constructor(rockServices: Entries = {}, address = "/charm/containers/app/pebble.socket") {
    this.address = address;
    this.#plan.services = structuredClone(rockServices);
    for (const name of Object.keys(rockServices)) this.services.set(name, "inactive");
  }

  client(): PebbleClient {
    return new PebbleClient({ transport: this });
  }

  plan(): PebblePlan {
    return parsePlan(stringifyYaml(this.#plan));
  }

  fileText(path: string): string | undefined {
    return this.files.get(path)?.content.toString("utf8");
  }

  /** A pod restart: a fresh container with the rock's own layer and nothing the charm wrote. */
  restart(rockServices: Entries): void {
    this.#plan = { services: structuredClone(rockServices), checks: {}, "log-targets": {} };
    this.files.clear();
    this.services.clear();
    for (const name of Object.keys(rockServices)) this.services.set(name, "inactive");
  }

  async request(method: Method, path: string, request: RawRequest & { timeoutMs: number }): Promise<RawResponse> {
    if (!this.up) throw new PebbleConnectionError(this.address, "nothing is listening on the socket", "ECONNREFUSED");
    this.requests.push({ method, path });
    const query = request.query ?? {};
    const body = request.body === undefined ? undefined : Buffer.from(request.body);
    const route = `${method} ${path.replace(/^\/v1\/changes\/[^/]+/, "/v1/changes/{id}")}`;
    switch (route) {
      case "GET /v1/plan": return sync(stringifyYaml(this.#plan));
      case "POST /v1/layers": return this.#addLayer(json(body));
      case "GET /v1/services": return sync(this.#serviceList(list(query.names)));
      case "POST /v1/services": return this.#serviceAction(json(body));
      case "GET /v1/checks": return sync(this.#checks());
      case "POST /v1/checks/refresh": return this.#refreshCheck(String(json(body).name));
      case "GET /v1/logs": return this.#logs(list(query.services), Number(query.n ?? 30));
      case "POST /v1/signals": {
        const { signal, services } = json(body) as { signal: string; services: string[] };
        this.signals.push({ signal, services });
        return sync(true);
      }
      case "GET /v1/files": return query.action === "read" ? this.#read(String(query.path)) : this.#list(String(query.path));
      case "POST /v1/files": return this.#writeFiles(request.headers?.["Content-Type"] ?? "", body ?? Buffer.alloc(0));
      case "GET /v1/changes/{id}": return this.#change(path.split("/")[3]!);
      case "POST /v1/exec": return this.#exec(json(body));
    }
    if (/^GET \/v1\/changes\/[^/]+\/wait$/.test(`${method} ${path}`)) return this.#change(path.split("/")[3]!);
    return error(404, `fake Pebble has no route ${method} ${path}`, "not-found");
  }

  async openSocket(path: string, _timeoutMs: number, listeners: SocketListeners): Promise<PebbleSocket> {
    if (!this.up) throw new PebbleConnectionError(this.address, "nothing is listening on the socket", "ECONNREFUSED");
    this.requests.push({ method: "GET", path });
    const [, , , taskId, , stream] = path.split("/");
    const task = this.#tasks.get(taskId!);
    if (!task) throw new Error(`fake Pebble: no exec task ${taskId}`);
    const output = stream === "stdio" ? (task.split ? task.answer.stdout : `${task.answer.stdout ?? ""}${task.answer.stderr ?? ""}`) : stream === "stderr" ? task.answer.stderr : undefined;
    if (stream !== "control") {
      // The command's output, then the end of the stream, after the socket is handed over.
      setImmediate(() => {
        if (output) listeners.message?.(Buffer.from(output), true);
        listeners.message?.(Buffer.from(JSON.stringify({ command: "end" })), false);
      });
    }
    return { send: async () => {}, drop: () => listeners.closed?.(), close: async () => listeners.closed?.() };
  }

  #addLayer(body: Record<string, unknown>): RawResponse {
    const layer = (parseYaml(String(body.layer)) ?? {}) as Partial<WirePlan>;
    for (const section of ["services", "checks", "log-targets"] as const) {
      for (const [name, entry] of Object.entries(layer[section] ?? {})) {
        const current = this.#plan[section][name];
        this.#plan[section][name] = entry.override === "merge" && current ? mergeEntry(current, entry) : structuredClone(entry);
        if (section === "services" && !this.services.has(name)) this.services.set(name, "inactive");
      }
    }
    return sync(true);
  }

  #serviceList(names: string[]): unknown[] {
    return [...this.services.keys()].filter((name) => names.length === 0 || names.includes(name)).sort().map((name) => ({
      name, startup: this.#plan.services[name]?.startup ?? "disabled", current: this.services.get(name),
    }));
  }

  #serviceAction(body: Record<string, unknown>): RawResponse {
    const action = String(body.action);
    const named = (body.services as string[] | undefined) ?? [];
    const targets = action === "replan"
      ? Object.entries(this.#plan.services).filter(([, service]) => service.startup === "enabled").map(([name]) => name)
      : named;
    const failures: string[] = [];
    for (const name of targets) {
      if (action === "stop") this.services.set(name, "inactive");
      else if (this.startFailures.has(name)) {
        failures.push(`- Start service "${name}" (${this.startFailures.get(name)})`);
        this.services.set(name, "backoff");
      } else this.services.set(name, "active");
    }
    const err = failures.length ? `cannot perform the following tasks:\n${failures.join("\n")}` : undefined;
    return this.#async(this.#newChange(action, err, {}));
  }

  #checks(): unknown[] {
    const serving = Object.entries(this.#plan.services).every(([name, service]) => service.startup !== "enabled" || this.services.get(name) === "active");
    return Object.entries(this.#plan.checks).map(([name, check]) => {
      const status = this.checkStatus.get(name)?.status ?? (serving ? "up" : "down");
      return {
        name, level: check.level, startup: check.startup ?? "enabled", status,
        failures: this.checkStatus.get(name)?.failures ?? (status === "down" ? 1 : 0), threshold: Number(check.threshold ?? 3), successes: 1,
      };
    }).sort((a, b) => a.name.localeCompare(b.name));
  }

  #refreshCheck(name: string): RawResponse {
    const info = (this.#checks() as Array<{ name: string; status: string }>).find((check) => check.name === name);
    if (!info) return error(404, `cannot find check with name "${name}"`, "not-found");
    return sync({ info, ...(info.status === "down" ? { error: "non-2xx status code 500" } : {}) });
  }

  #logs(services: string[], n: number): RawResponse {
    const lines = services.flatMap((service) => (this.logs.get(service) ?? []).map((message) => JSON.stringify({ time: new Date().toISOString(), service, message: `${message}\n` })));
    return { status: 200, headers: { "content-type": "application/x-ndjson" }, body: Buffer.from(lines.slice(-n).map((line) => `${line}\n`).join("")) };
  }

  #read(path: string): RawResponse {
    const file = this.files.get(path);
    const boundary = randomBytes(16).toString("hex");
    const result = file ? [{ path }] : [{ path, error: { kind: "not-found", message: `stat ${path}: no such file or directory` } }];
    const parts = [
      ...(file ? [`--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="${path}"\r\n\r\n`, file.content, "\r\n"] : []),
      `--${boundary}\r\nContent-Disposition: form-data; name="response"\r\n\r\n${JSON.stringify({ type: "sync", "status-code": 200, status: "OK", result })}\r\n--${boundary}--\r\n`,
    ];
    return { status: 200, headers: { "content-type": `multipart/form-data; boundary=${boundary}` }, body: Buffer.concat(parts.map((p) => Buffer.from(p))) };
  }

  #list(path: string): RawResponse {
    if (!this.dirs.has(path)) return error(404, `stat ${path}: no such file or directory`, "not-found");
    const prefix = path.endsWith("/") ? path : `${path}/`;
    const children = new Map<string, "file" | "directory">();
    for (const file of this.files.keys()) if (file.startsWith(prefix) && !file.slice(prefix.length).includes("/")) children.set(file.slice(prefix.length), "file");
    for (const dir of this.dirs) if (dir.startsWith(prefix) && dir !== path && !dir.slice(prefix.length).includes("/")) children.set(dir.slice(prefix.length), "directory");
    return sync([...children].map(([name, type]) => ({ path: `${prefix}${name}`, name, type, permissions: "644", "last-modified": new Date().toISOString(), user: "root", group: "root" })));
  }

  #writeFiles(contentType: string, body: Buffer): RawResponse {
    const boundary = /boundary="?([^";]+)"?/.exec(contentType)?.[1];
    if (!boundary) {
      const request = json(body);
      if (request.action === "make-dirs") for (const dir of request.dirs as Array<{ path: string }>) this.#makeDirs(dir.path);
      if (request.action === "remove") for (const { path } of request.paths as Array<{ path: string }>) this.files.delete(path);
      return sync([]);
    }
    const text = body.toString("latin1");
    const [meta, data] = text.split(`--${boundary}`).slice(1, 3).map((part) => part.slice(part.indexOf("\r\n\r\n") + 4, -2));
    const request = JSON.parse(meta!) as { files: Array<{ path: string; permissions?: string; user?: string; group?: string; "make-dirs"?: boolean }> };
    const file = request.files[0]!;
    const parent = file.path.slice(0, file.path.lastIndexOf("/")) || "/";
    if (!this.dirs.has(parent) && !file["make-dirs"]) return sync([{ path: file.path, error: { kind: "not-found", message: `open ${file.path}: no such file or directory` } }]);
    this.#makeDirs(parent);
    this.files.set(file.path, { content: Buffer.from(data!, "latin1"), permissions: file.permissions ?? "644", user: file.user ?? "root", group: file.group ?? "root" });
    return sync([{ path: file.path }]);
  }

  #makeDirs(path: string): void {
    const parts = path.split("/").filter(Boolean);
    for (let i = 1; i <= parts.length; i++) this.dirs.add(`/${parts.slice(0, i).join("/")}`);
  }

  #exec(body: Record<string, unknown>): RawResponse {
    const call: ExecCall = {
      command: body.command as string[], environment: (body.environment as Record<string, string> | undefined) ?? {},
      ...(body["working-dir"] ? { workingDir: String(body["working-dir"]) } : {}), ...(body.user ? { user: String(body.user) } : {}),
    };
    this.execs.push(call);
    const answer = this.onExec(call);
    const taskId = String(this.#next++);
    const changeId = this.#newChange("exec", undefined, { "exit-code": answer.exitCode }, taskId);
    this.#tasks.set(taskId, { id: taskId, changeId, answer, split: body["split-stderr"] === true });
    return { status: 202, headers: { "content-type": "application/json" }, body: Buffer.from(JSON.stringify({ type: "async", "status-code": 202, change: changeId, result: { "task-id": taskId } })) };
  }

  #newChange(kind: string, err: string | undefined, data: Record<string, unknown>, taskId = String(this.#next++)): string {
    const id = String(this.#next++);
    const now = new Date().toISOString();
    this.#changes.set(id, {
      id, kind, summary: kind, status: err ? "Error" : "Done", ready: true, ...(err ? { err } : {}), "spawn-time": now, "ready-time": now,
      tasks: [{ id: taskId, kind, summary: kind, status: err ? "Error" : "Done", "spawn-time": now, "ready-time": now, data }],
    });
    return id;
  }

  #async(change: string): RawResponse {
    return { status: 202, headers: { "content-type": "application/json" }, body: Buffer.from(JSON.stringify({ type: "async", "status-code": 202, change, result: null })) };
  }

  #change(id: string): RawResponse {
    const change = this.#changes.get(id);
    return change ? sync(change) : error(404, `cannot find change with id "${id}"`, "not-found");
  }
}

function mergeEntry(current: Record<string, unknown>, layer: Record<string, unknown>): Record<string, unknown> {
  const merged = { ...current };
  for (const [key, value] of Object.entries(layer)) {
    const had = merged[key];
    if (Array.isArray(value) && Array.isArray(had)) merged[key] = [...had, ...value.filter((item) => !had.includes(item))];
    else if (value && typeof value === "object" && had && typeof had === "object") merged[key] = { ...had, ...value };
    else merged[key] = value;
  }
  return merged;
}

function list(value: Query[string]): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : String(value).split(",")).filter(Boolean);
}

function json(body: Buffer | undefined): Record<string, unknown> {
  return JSON.parse(body?.toString("utf8") ?? "{}") as Record<string, unknown>;
}

function sync(result: unknown): RawResponse {
  return { status: 200, headers: { "content-type": "application/json" }, body: Buffer.from(JSON.stringify({ type: "sync", "status-code": 200, status: "OK", result })) };
}

function error(status: number, message: string, kind?: string): RawResponse {
  return { status, headers: { "content-type": "application/json" }, body: Buffer.from(JSON.stringify({ type: "error", "status-code": status, result: { message, ...(kind ? { kind } : {}) } })) };
}
