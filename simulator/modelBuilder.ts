// Builds and changes a simulated model the way Juju's controller would (deploy, add-unit, integrate,
// leadership, secrets from other apps, `juju run`). The event driver and tests call these on a Model
// (load/update it with model.ts); hook tools never do.
import { randomBytes, randomUUID } from "node:crypto";
import type { ActionRun, CharmMeta, ConfigValue, Model, Relation, RelationEnd, Secret, SecretOwner, StatusRecord, Unit } from "./model.ts";
import { defaultUnitDatabag } from "./model.ts";

export function now(): string {
  return new Date().toISOString();
}

export function newModel(opts: { name?: string; uuid?: string; jujuVersion?: string } = {}): Model {
  return {
    name: opts.name ?? "test-model",
    uuid: opts.uuid ?? randomUUID(),
    jujuVersion: opts.jujuVersion ?? "3.6.8",
    cloudSpec: {
      type: "kubernetes",
      name: "microk8s",
      endpoint: "https://10.152.183.1:443",
      credential: { "auth-type": "oauth2", attrs: { Token: "simulated-service-account-token" } },
      cacertificates: [],
      "is-controller-cloud": true,
    },
    applications: {},
    units: {},
    relations: {},
    secrets: {},
    actions: {},
    nextRelationId: 0,
    nextActionId: 1,
  };
}

function unknownStatus(): StatusRecord {
  return { status: "unknown", message: "", since: now() };
}

export function addApplication(model: Model, name: string, charm: CharmMeta, opts: { config?: Record<string, ConfigValue>; trusted?: boolean } = {}): void {
  if (model.applications[name]) throw new Error(`application ${name} already exists`);
  model.applications[name] = {
    name,
    charm,
    config: { ...opts.config },
    trusted: opts.trusted ?? false,
    status: unknownStatus(),
    statusHistory: [],
    leaderSettings: {},
  };
}

/** Adds the next unit of `app` (`app/0`, `app/1`, ...) with a pod address; returns its name. */
export function addUnit(model: Model, app: string, opts: { leader?: boolean; address?: string } = {}): string {
  if (!model.applications[app]) throw new Error(`application ${app} does not exist: add it first`);
  const taken = Object.values(model.units).filter((u) => u.app === app).map((u) => Number(u.name.split("/")[1]));
  const number = taken.length === 0 ? 0 : Math.max(...taken) + 1;
  const name = `${app}/${number}`;
  const index = Object.keys(model.units).length + 1;
  const unit: Unit = {
    name,
    app,
    leader: false,
    life: "alive",
    status: unknownStatus(),
    statusHistory: [],
    workloadVersion: "",
    workloadVersionHistory: [],
    openedPorts: {},
    logs: [],
    state: {},
    address: opts.address ?? `10.1.${Math.floor(index / 250)}.${(index % 250) + 2}`,
    cidr: "10.1.0.0/16",
  };
  model.units[name] = unit;
  if (opts.leader) setLeader(model, name);
  return name;
}

/** Makes `unit` the leader of its application (and every other unit of it a follower). */
export function setLeader(model: Model, unitName: string): void {
  const unit = requireUnit(model, unitName);
  for (const other of Object.values(model.units)) if (other.app === unit.app) other.leader = other.name === unitName;
}

export function requireUnit(model: Model, unitName: string): Unit {
  const unit = model.units[unitName];
  if (!unit) throw new Error(`unit ${unitName} does not exist in the model`);
  return unit;
}

/**
 * Creates a relation between two endpoints (or a peer relation from one); no unit is in scope yet:
 * call enterScope per unit as the driver fires relation-joined. Returns the relation id.
 */
export function addRelation(model: Model, a: RelationEnd, b?: RelationEnd): number {
  const endpointA = endpointMeta(model, a);
  if (b) {
    const endpointB = endpointMeta(model, b);
    if (endpointA.interface !== endpointB.interface) throw new Error(`${a.app}:${a.endpoint} (${endpointA.interface}) and ${b.app}:${b.endpoint} (${endpointB.interface}) use different interfaces`);
  } else if (endpointA.role !== "peers") {
    throw new Error(`${a.app}:${a.endpoint} is not a peer endpoint: a relation on it needs a second end`);
  }
  const id = model.nextRelationId++;
  const ends = b ? [a, b] : [a];
  const relation: Relation = {
    id,
    interface: endpointA.interface,
    ends,
    appData: Object.fromEntries(ends.map((end) => [end.app, {}])),
    unitData: {},
    scope: [],
    broken: false,
    createdAt: now(),
  };
  model.relations[String(id)] = relation;
  return id;
}

function endpointMeta(model: Model, end: RelationEnd) {
  const app = model.applications[end.app];
  if (!app) throw new Error(`application ${end.app} does not exist`);
  const meta = app.charm.endpoints[end.endpoint];
  if (!meta) throw new Error(`application ${end.app} has no endpoint ${end.endpoint}`);
  return meta;
}

export function requireRelation(model: Model, id: number): Relation {
  const relation = model.relations[String(id)];
  if (!relation) throw new Error(`relation ${id} does not exist`);
  return relation;
}

/** The unit joins the relation: Juju writes its address keys into its databag. */
export function enterScope(model: Model, relationId: number, unitName: string): void {
  const relation = requireRelation(model, relationId);
  const unit = requireUnit(model, unitName);
  if (!relation.ends.some((end) => end.app === unit.app)) throw new Error(`${unitName} is not on either end of relation ${relationId}`);
  if (!relation.scope.includes(unitName)) relation.scope.push(unitName);
  relation.unitData[unitName] = { ...defaultUnitDatabag(unit), ...relation.unitData[unitName] };
}

/** The unit departs; its databag stays readable for the life of the relation, as in Juju. */
export function leaveScope(model: Model, relationId: number, unitName: string): void {
  const relation = requireRelation(model, relationId);
  relation.scope = relation.scope.filter((u) => u !== unitName);
}

/** After relation-broken the relation is dead: excluded from relation-ids, -r refers to nothing. */
export function breakRelation(model: Model, relationId: number): void {
  requireRelation(model, relationId).broken = true;
}

/** Juju's secret ids are xids: 20 characters of lowercase base32hex. */
export function newSecretId(): string {
  const alphabet = "0123456789abcdefghijklmnopqrstuv";
  return [...randomBytes(20)].map((byte) => alphabet[byte % 32]).join("");
}

/** A secret created by another party (e.g. a provider app): revision 1 holds `content`. Returns its id. */
export function addSecret(model: Model, opts: { owner: SecretOwner; content: Record<string, string>; label?: string; description?: string; expire?: string; rotate?: string }): string {
  const id = newSecretId();
  const secret: Secret = {
    id,
    owner: opts.owner,
    revisions: [{ revision: 1, content: { ...opts.content }, createdAt: now() }],
    consumers: {},
    grants: [],
  };
  if (opts.label !== undefined) secret.label = opts.label;
  if (opts.description !== undefined) secret.description = opts.description;
  if (opts.expire !== undefined) secret.expire = opts.expire;
  if (opts.rotate !== undefined) secret.rotate = opts.rotate;
  model.secrets[id] = secret;
  return id;
}

/** The owner publishes new content (as another unit's committed secret-set would); returns the revision. */
export function addSecretRevision(model: Model, id: string, content: Record<string, string>): number {
  const secret = model.secrets[id];
  if (!secret) throw new Error(`secret ${id} does not exist`);
  const revision = latestRevision(secret) + 1;
  secret.revisions.push({ revision, content: { ...content }, createdAt: now() });
  return revision;
}

export function latestRevision(secret: Secret): number {
  return Math.max(0, ...secret.revisions.map((r) => r.revision));
}

/** Grants `target` (an application or unit name) access in the scope of relation `relationId`. */
export function grantSecret(model: Model, id: string, relationId: number, target: string): void {
  const secret = model.secrets[id];
  if (!secret) throw new Error(`secret ${id} does not exist`);
  secret.grants.push({ relationId, target, targetKind: target.includes("/") ? "unit" : "application" });
}

/** `juju run <unit> <action>`: queues the action with schema defaults filled in; returns its id. */
export function enqueueAction(model: Model, unitName: string, name: string, params: Record<string, unknown> = {}): string {
  const unit = requireUnit(model, unitName);
  const meta = model.applications[unit.app]?.charm.actions[name];
  if (!meta) throw new Error(`application ${unit.app} has no action ${name}`);
  const withDefaults: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(meta.params)) if (schema.default !== undefined) withDefaults[key] = schema.default;
  const id = String(model.nextActionId++);
  const run: ActionRun = { id, unit: unitName, name, params: { ...withDefaults, ...params }, status: "pending", results: {}, log: [], message: "" };
  model.actions[id] = run;
  return id;
}

/**
 * Ends an action after the charm exited (and after commitHook/discardHook): a non-zero exit fails
 * it; Juju adds the process's exit code and output as reserved result keys.
 */
export function finishAction(model: Model, id: string, outcome: { exitCode: number; stdout?: string; stderr?: string }): ActionRun {
  const run = model.actions[id];
  if (!run) throw new Error(`action ${id} does not exist`);
  run.results["return-code"] = outcome.exitCode;
  if (outcome.stdout) run.results["stdout"] = outcome.stdout;
  if (outcome.stderr) run.results["stderr"] = outcome.stderr;
  if (outcome.exitCode !== 0) {
    run.status = "failed";
    run.message = run.message || `exit status ${outcome.exitCode}`;
  } else if (run.status !== "failed") {
    run.status = "completed";
  }
  return run;
}

