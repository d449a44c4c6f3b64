// One hook-tool call: who is calling (the hook context from the JUJU_* env the charm got), the
// committed model, the hook's pending journal, and what the call printed.
import { readFileSync } from "node:fs";
import type { ActionRun, Application, Model, Relation, Unit } from "../model.ts";
import { appOfUnit } from "../model.ts";
import type { Journal, PendingOp } from "./pending.ts";
import { localView } from "./pending.ts";
import { commandError, usageError } from "./args.ts";

export interface HookEnv {
  modelPath: string;
  contextId: string;
  unit: string;
  app: string;
  /** The hook's own relation (JUJU_RELATION_ID), if any. */
  relationId?: number;
  remoteUnit?: string;
  remoteApp?: string;
  actionId?: string;
}

/** Reads the context like ops does: empty variables count as unset. */
export function hookEnvFromProcess(env: NodeJS.ProcessEnv): HookEnv {
  // Juju's tools reach the unit agent at JUJU_AGENT_SOCKET_ADDRESS; the simulator's agent is its model file.
  const modelPath = env.JUJU_AGENT_SOCKET_ADDRESS?.replace(/^@/, "");
  if (!modelPath) throw commandError("JUJU_AGENT_SOCKET_ADDRESS is not set: hook tools only run inside a hook started by the simulator's event driver");
  const contextId = env.JUJU_CONTEXT_ID;
  if (!contextId) throw commandError("JUJU_CONTEXT_ID is not set: hook tools only run inside a hook started by the simulator's event driver");
  const unit = env.JUJU_UNIT_NAME;
  if (!unit) throw commandError("JUJU_UNIT_NAME is not set: hook tools only run inside a hook started by the simulator's event driver");
  const hookEnv: HookEnv = { modelPath, contextId, unit, app: appOfUnit(unit) };
  const relationId = env.JUJU_RELATION_ID;
  if (relationId) hookEnv.relationId = Number(relationId.slice(relationId.lastIndexOf(":") + 1));
  if (env.JUJU_REMOTE_UNIT) hookEnv.remoteUnit = env.JUJU_REMOTE_UNIT;
  if (env.JUJU_REMOTE_APP) hookEnv.remoteApp = env.JUJU_REMOTE_APP;
  if (env.JUJU_ACTION_UUID) hookEnv.actionId = env.JUJU_ACTION_UUID;
  return hookEnv;
}

export class Session {
  readonly env: HookEnv;
  /** Committed state; tools that apply immediately change it and set `modelChanged`. */
  readonly model: Model;
  readonly journal: Journal;
  modelChanged = false;
  journalChanged = false;
  stdout = "";
  private view: Model | undefined;
  readonly #stdin: (() => string) | undefined;

  /** `stdin` is the tool's standard input when the caller holds it (in-process); otherwise fd 0 is read. */
  constructor(env: HookEnv, model: Model, journal: Journal, stdin?: () => string) {
    this.env = env;
    this.model = model;
    this.journal = journal;
    this.#stdin = stdin;
  }

  /** The tool's standard input (`--file -`). */
  readStdin(): string {
    return this.#stdin ? this.#stdin() : readFileSync(0, "utf8");
  }

  /** The model as this unit sees its own data mid-hook: committed plus pending writes. */
  local(): Model {
    this.view ??= localView(this.model, this.journal);
    return this.view;
  }

  addPending(op: PendingOp): void {
    this.journal.ops.push(op);
    this.journalChanged = true;
    this.view = undefined;
  }

  /** Marks an immediate (non-transactional) change to the committed model. */
  changedNow(): void {
    this.modelChanged = true;
    this.view = undefined;
  }

  print(text: string): void {
    this.stdout += text;
  }

  unit(): Unit {
    const unit = this.model.units[this.env.unit];
    if (!unit) throw commandError(`unit "${this.env.unit}" not found in the simulated model`);
    return unit;
  }

  application(): Application {
    const app = this.model.applications[this.env.app];
    if (!app) throw commandError(`application "${this.env.app}" not found in the simulated model`);
    return app;
  }

  isLeader(): boolean {
    return this.unit().leader;
  }

  /** A relation this unit can address: one its app is on, not yet broken unless it is the hook's own. */
  relation(id: number): Relation | undefined {
    const relation = this.model.relations[String(id)];
    if (!relation || !relation.ends.some((end) => end.app === this.env.app)) return undefined;
    if (relation.broken && id !== this.env.relationId) return undefined;
    return relation;
  }

  /** The action this hook runs, or `ERROR not running an action` (exit 1). */
  action(): ActionRun {
    const run = this.env.actionId === undefined ? undefined : this.model.actions[this.env.actionId];
    if (!run || run.unit !== this.env.unit) throw commandError("not running an action");
    return run;
  }
}

/** The endpoint name this unit's app uses in `relation`. */
export function localEndpoint(relation: Relation, app: string): string {
  return relation.ends.find((end) => end.app === app)?.endpoint ?? "";
}

/** The other application in `relation`; for a peer relation, the unit's own. */
export function remoteApp(relation: Relation, app: string): string {
  return relation.ends.find((end) => end.app !== app)?.app ?? app;
}

/**
 * Parses a relation id given with -r/--relation (`N` or `endpoint:N`; only the number after the
 * last ':' counts), failing like gnuflag does for a bad or unknown value.
 */
export function relationOption(session: Session, value: string, spelled: string): number {
  const text = value.slice(value.lastIndexOf(":") + 1);
  const id = /^[+-]?\d+$/.test(text) ? Number(text) : NaN;
  if (Number.isNaN(id)) throw usageError(`invalid value ${JSON.stringify(value)} for option ${spelled}: invalid relation id`);
  if (!session.relation(id)) throw usageError(`invalid value ${JSON.stringify(value)} for option ${spelled}: relation not found`);
  return id;
}

/** The relation named by -r, else the hook's own; `ERROR no relation id specified` (2) otherwise. */
export function targetRelation(session: Session, flags: { value?: string; spelled?: string }): Relation {
  let id = session.env.relationId;
  if (flags.value !== undefined) id = relationOption(session, flags.value, flags.spelled ?? "-r");
  if (id === undefined) throw usageError("no relation id specified");
  const relation = session.relation(id);
  if (!relation) throw usageError(`invalid value ${JSON.stringify(String(id))} for option -r: relation not found`);
  return relation;
}
