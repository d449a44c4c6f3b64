// The typed Pebble client: plan and layers, services, checks, logs, notices, files and exec, over a
// PebbleConnection (the daemon's Unix socket for the charm; any transport for tests).
import { join } from "node:path";
import { PebbleConnection, DEFAULT_CHANGE_TIMEOUT_MS, type PebbleConnectionOptions } from "./connection.ts";
import { PebbleAPIError } from "./errors.ts";
import { parsePlan, serializeLayer } from "./layer.ts";
import type { Layer, PebblePlan } from "./layer.ts";
import { listFiles, makeDir, pull, push, removePath } from "./files.ts";
import type { FileInfo, ListFilesOptions, MakeDirOptions, PushOptions } from "./files.ts";
import { exec, run, startExec } from "./exec.ts";
import type { ExecOptions, ExecProcess, ExecResult } from "./exec.ts";
import type { Change } from "./types.ts";

export type { Change, Task } from "./types.ts";
export type PebbleClientOptions = PebbleConnectionOptions;

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

/** Where Juju mounts the Pebble socket of workload container `containerName` in the charm container. */
export function socketPathFor(containerName: string): string {
  if (!containerName || containerName.includes("/")) throw new Error(`invalid container name ${JSON.stringify(containerName)}`);
  return join("/charm/containers", containerName, "pebble.socket");
}

export class PebbleClient extends PebbleConnection {
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

  async getPlan(): Promise<PebblePlan> {
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
