// A small simulated model (web: a charm with a database relation and a peer relation; db: its
// provider) with the hook tools installed, and a way to call them as a charm would: as processes
// found on PATH, with the hook's env.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CharmMeta, Model } from "../../simulator/model.ts";
import { loadModel, saveModel } from "../../simulator/model.ts";
import { addApplication, addRelation, addUnit, enterScope, newModel } from "../../simulator/modelBuilder.ts";
import type { HookToolContext } from "../../simulator/hookTools/install.ts";
import { hookToolEnv, installHookTools, newContextId } from "../../simulator/hookTools/install.ts";

export const webCharm: CharmMeta = {
  name: "web",
  endpoints: {
    database: { role: "requires", interface: "postgresql_client", limit: 1 },
    "web-peers": { role: "peers", interface: "web_peers" },
    ingress: { role: "requires", interface: "ingress" },
  },
  extraBindings: [],
  config: {
    port: { type: "int", default: 8080 },
    ratio: { type: "float", default: 0.5 },
    debug: { type: "boolean", default: false },
    greeting: { type: "string" },
    credentials: { type: "secret" },
  },
  actions: { rotate: { params: { length: { type: "integer", default: 16 }, note: { type: "string" } } } },
};

const dbCharm: CharmMeta = { name: "db", endpoints: { database: { role: "provides", interface: "postgresql_client" } }, extraBindings: [], config: {}, actions: {} };

export interface ToolResult { stdout: string; stderr: string; code: number | null }

export interface CallOptions {
  unit?: string;
  contextId?: string;
  relation?: { id: number; endpoint: string };
  remoteUnit?: string;
  remoteApp?: string;
  action?: { id: string; name: string };
  stdin?: string;
}

export class Sim {
  readonly dir = mkdtempSync(join(tmpdir(), "hooktools-"));
  readonly modelPath = join(this.dir, "model.json");
  readonly toolsDir = join(this.dir, "bin");
  /** Relation ids: web:database <-> db:database, and web's peer relation. */
  readonly dbRelation: number;
  readonly peerRelation: number;

  constructor() {
    const model = newModel({ name: "sim", uuid: "8f3c0e1a-1111-4222-8333-944455556666" });
    addApplication(model, "web", webCharm, { config: { greeting: "hello" } });
    addApplication(model, "db", dbCharm);
    addUnit(model, "web", { leader: true });
    addUnit(model, "web");
    addUnit(model, "db", { leader: true });
    this.dbRelation = addRelation(model, { app: "web", endpoint: "database" }, { app: "db", endpoint: "database" });
    this.peerRelation = addRelation(model, { app: "web", endpoint: "web-peers" });
    for (const unit of ["web/0", "web/1", "db/0"]) enterScope(model, this.dbRelation, unit);
    for (const unit of ["web/0", "web/1"]) enterScope(model, this.peerRelation, unit);
    saveModel(this.modelPath, model);
    installHookTools(this.toolsDir, "source");
  }

  /** Runs `tool` like the charm would: an executable on PATH, in the hook's environment. */
  call(tool: string, args: string[], opts: CallOptions = {}): ToolResult {
    const ctx: HookToolContext = { modelPath: this.modelPath, toolsDir: this.toolsDir, unit: opts.unit ?? "web/0", contextId: opts.contextId ?? "ctx-default" };
    if (opts.relation) ctx.relation = opts.relation;
    if (opts.remoteUnit !== undefined) ctx.remoteUnit = opts.remoteUnit;
    if (opts.remoteApp !== undefined) ctx.remoteApp = opts.remoteApp;
    if (opts.action) ctx.action = opts.action;
    const result = spawnSync(tool, args, { env: hookToolEnv(ctx), input: opts.stdin ?? "", encoding: "utf8", maxBuffer: 16 * 1024 * 1024 });
    if (result.error) throw result.error;
    return { stdout: result.stdout, stderr: result.stderr, code: result.status };
  }

  /** Calls a tool that must succeed and parses its JSON output. */
  json(tool: string, args: string[], opts: CallOptions = {}): unknown {
    const result = this.call(tool, ["--format=json", ...args], opts);
    if (result.code !== 0) throw new Error(`${tool} ${args.join(" ")} exited ${result.code}: ${result.stderr}`);
    return JSON.parse(result.stdout);
  }

  model(): Model {
    return loadModel(this.modelPath);
  }

  newContext(unit: string): string {
    return newContextId(unit);
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
