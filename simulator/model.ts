// The simulator's JSON model of one Juju model, as the hook tools see it (docs/juju-contract.md §1-§3).
// One file holds the committed state; writers take a lock file next to it and replace it atomically
// (write tmp + rename), because hooks of different units run concurrently (§1.1).
import { chmodSync, closeSync, mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeFileSync, writeSync } from "node:fs";

export type ConfigType = "string" | "int" | "float" | "boolean" | "secret";
export type ConfigValue = string | number | boolean;
export type RelationRole = "provides" | "requires" | "peers";
export type WorkloadStatusName = "maintenance" | "blocked" | "waiting" | "active" | "unknown" | "error";
export type LogLevel = "TRACE" | "DEBUG" | "INFO" | "WARNING" | "ERROR" | "CRITICAL";

export interface EndpointMeta { role: RelationRole; interface: string; limit?: number; scope?: "global" | "container" }
export interface ConfigOptionMeta { type: ConfigType; default?: ConfigValue; description?: string }
export interface ActionMeta {
  description?: string;
  /** JSON-schema properties of the action's params. */
  params: Record<string, { type?: string; default?: unknown; description?: string }>;
  required?: string[];
}
export interface CharmMeta {
  name: string;
  endpoints: Record<string, EndpointMeta>;
  extraBindings: string[];
  config: Record<string, ConfigOptionMeta>;
  actions: Record<string, ActionMeta>;
}

export interface StatusRecord { status: WorkloadStatusName; message: string; since: string }
/** `module` is the logger debug-log names: the charm's `unit.<unit>.juju-log` when absent. */
export interface LogLine { level: LogLevel; message: string; timestamp: string; module?: string }

export interface Application {
  name: string;
  charm: CharmMeta;
  /** Values set by the user; options left unset fall back to their declared default. */
  config: Record<string, ConfigValue>;
  trusted: boolean;
  /** Set by the leader with `status-set --application`. */
  status: StatusRecord;
  statusHistory: StatusRecord[];
  /** Legacy `leader-set` settings. */
  leaderSettings: Record<string, string>;
}

export interface Unit {
  name: string;
  app: string;
  leader: boolean;
  life: "alive" | "dying";
  status: StatusRecord;
  statusHistory: StatusRecord[];
  workloadVersion: string;
  workloadVersionHistory: string[];
  /** Ports by endpoint; "*" = opened for every endpoint (no --endpoints). Entries like "80/tcp", "icmp". */
  openedPorts: Record<string, string[]>;
  logs: LogLine[];
  /** `state-set` store. */
  state: Record<string, string>;
  /** The pod address: ingress, private and bind address; egress subnet is `<address>/32`. */
  address: string;
  cidr: string;
}

export interface RelationEnd { app: string; endpoint: string }
export interface Relation {
  id: number;
  interface: string;
  /** Two ends, or one for a peer relation. */
  ends: RelationEnd[];
  appData: Record<string, Record<string, string>>;
  unitData: Record<string, Record<string, string>>;
  /** Units that have entered scope (joined), in join order. */
  scope: string[];
  broken: boolean;
  createdAt: string;
  /** Set for cross-model relations; relation-model-get reports it. */
  remoteModelUuid?: string;
}

/** "model": a user secret (`juju add-secret`), owned by the model whose name is `name`. */
export interface SecretOwner { kind: "application" | "unit" | "model"; name: string }
export interface SecretRevision { revision: number; content: Record<string, string>; createdAt: string }
/** `relationId` is absent for a user secret granted with `juju grant-secret` (model scope). */
export interface SecretGrant { relationId?: number; target: string; targetKind: "application" | "unit" }
export interface SecretConsumer { label?: string; trackedRevision?: number }
export interface Secret {
  /** The 20-character id; the URI is `secret:<id>`. */
  id: string;
  owner: SecretOwner;
  /** The owner's label. */
  label?: string;
  description?: string;
  expire?: string;
  rotate?: string;
  revisions: SecretRevision[];
  /** Per reading unit (owner units too): its label for the secret and the revision it tracks. */
  consumers: Record<string, SecretConsumer>;
  grants: SecretGrant[];
}

export interface ActionRun {
  /** Juju 3 task id, e.g. "2"; exported as JUJU_ACTION_UUID. */
  id: string;
  unit: string;
  name: string;
  params: Record<string, unknown>;
  status: "pending" | "running" | "completed" | "failed";
  results: Record<string, unknown>;
  log: { message: string; timestamp: string }[];
  message: string;
}

export interface CloudSpec {
  type: string;
  name: string;
  region?: string;
  endpoint: string;
  credential: { "auth-type": string; attrs: Record<string, string> };
  cacertificates: string[];
  "is-controller-cloud": boolean;
}

export interface Model {
  name: string;
  uuid: string;
  jujuVersion: string;
  cloudSpec: CloudSpec;
  applications: Record<string, Application>;
  units: Record<string, Unit>;
  relations: Record<string, Relation>;
  secrets: Record<string, Secret>;
  actions: Record<string, ActionRun>;
  nextRelationId: number;
  nextActionId: number;
  /** A test run's secret audit file (scripts/test.ts): hook tools report secret values in their argv there. */
  secretAudit?: string;
}

export function loadModel(path: string): Model {
  return JSON.parse(readFileSync(path, "utf8")) as Model;
}

/** Replaces the file atomically so concurrent readers never see a half-written model. */
export function saveModel(path: string, model: Model): void {
  writeJsonAtomic(path, model);
}

/** Model files hold secret content: only their owner reads them. */
export function writeJsonAtomic(path: string, value: unknown): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(value), { mode: 0o600 });
  renameSync(tmp, path);
}

const lockWaitMs = 5;
const lockTimeoutMs = 30_000;

/** Runs `fn` holding the model's lock file; a lock left by a dead process is taken over. */
export function withModelLock<T>(path: string, fn: () => T): T {
  const lock = `${path}.lock`;
  const deadline = Date.now() + lockTimeoutMs;
  for (;;) {
    try {
      const fd = openSync(lock, "wx");
      writeSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      if (lockHolderIsDead(lock)) {
        unlinkSync(lock);
        continue;
      }
      if (Date.now() > deadline) throw new Error(`${lock} has been held for ${lockTimeoutMs} ms: remove it if no simulator process is running`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, lockWaitMs);
    }
  }
  try {
    return fn();
  } finally {
    unlinkSync(lock);
  }
}

function lockHolderIsDead(lock: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(lock, "utf8"));
  } catch {
    return false;
  }
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}

/** A directory only its owner can enter (created, or narrowed if it exists), for state that holds secrets. */
export function mkdirPrivate(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
}

/** Load, change and save the model under its lock; returns what `change` returns. */
export function updateModel<T>(path: string, change: (model: Model) => T): T {
  return withModelLock(path, () => {
    const model = loadModel(path);
    const result = change(model);
    saveModel(path, model);
    return result;
  });
}

export function appOfUnit(unit: string): string {
  return unit.slice(0, unit.lastIndexOf("/"));
}

/** Juju's default keys in every unit databag (§2.2 relation-get). */
export function defaultUnitDatabag(unit: Unit): Record<string, string> {
  return { "egress-subnets": `${unit.address}/32`, "ingress-address": unit.address, "private-address": unit.address };
}
