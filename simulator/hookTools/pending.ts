// The writes Juju commits only when the hook exits 0 (docs/juju-contract.md §1.2). Each hook context keeps
// a journal of them in `<model>.pending/<context-id>.json`; the same unit's later reads replay it over
// the committed model, and the event driver commits or drops it after the charm exits.
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { Model, Secret, SecretGrant } from "../model.ts";
import { appOfUnit, loadModel, saveModel, withModelLock, writeJsonAtomic } from "../model.ts";
import { latestRevision, now } from "../modelBuilder.ts";

export type PendingOp =
  | { op: "relation-set"; relationId: number; bag: string; app: boolean; settings: Record<string, string> }
  | { op: "state-set"; unit: string; values: Record<string, string> }
  | { op: "state-delete"; unit: string; key: string }
  | { op: "open-port" | "close-port"; unit: string; port: string; endpoints: string[] }
  | { op: "secret-add"; secret: Secret }
  | { op: "secret-set"; unit: string; id: string; content?: Record<string, string>; label?: string; description?: string; expire?: string; rotate?: string }
  | { op: "secret-remove"; unit: string; id: string; revision?: number }
  | { op: "secret-grant"; unit: string; id: string; grant: SecretGrant }
  | { op: "secret-revoke"; unit: string; id: string; target: string }
  | { op: "action-set"; actionId: string; path: string[]; value: string }
  | { op: "action-fail"; actionId: string; message: string };

export interface Journal { unit: string; ops: PendingOp[] }

/** Thrown by commitHook when Juju's controller would refuse the hook's changes. */
export class CommitRefused extends Error {}

export function journalPath(modelPath: string, contextId: string): string {
  if (!/^[A-Za-z0-9._-]+$/.test(contextId)) throw new Error(`hook context id ${JSON.stringify(contextId)} may only hold letters, digits, '.', '_' and '-'`);
  return join(`${modelPath}.pending`, `${contextId}.json`);
}

export function readJournal(modelPath: string, contextId: string, unit: string): Journal {
  try {
    return JSON.parse(readFileSync(journalPath(modelPath, contextId), "utf8")) as Journal;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { unit, ops: [] };
    throw error;
  }
}

export function writeJournal(modelPath: string, contextId: string, journal: Journal): void {
  mkdirSync(`${modelPath}.pending`, { recursive: true });
  writeJsonAtomic(journalPath(modelPath, contextId), journal);
}

/** The hook succeeded: apply its pending writes to the model, all or nothing. */
export function commitHook(modelPath: string, contextId: string): void {
  withModelLock(modelPath, () => {
    const model = loadModel(modelPath);
    const journal = readJournal(modelPath, contextId, "");
    for (const op of journal.ops) applyOp(model, op, "commit");
    saveModel(modelPath, model);
    rmSync(journalPath(modelPath, contextId), { force: true });
  });
}

/** The hook failed: its pending writes are lost; immediate effects (status, logs, ...) stay. */
export function discardHook(modelPath: string, contextId: string): void {
  withModelLock(modelPath, () => rmSync(journalPath(modelPath, contextId), { force: true }));
}

/** The model as the hook's own unit sees it mid-hook: committed state plus its pending writes. */
export function localView(model: Model, journal: Journal): Model {
  const view = structuredClone(model);
  for (const op of journal.ops) applyOp(view, op, "view");
  return view;
}

/** Whether `unit` may manage `secret` now: its own unit secret, or its app's secret while leader. */
export function canManageSecret(model: Model, secret: Secret, unit: string): boolean {
  if (secret.owner.kind === "unit") return secret.owner.name === unit;
  return secret.owner.name === appOfUnit(unit) && model.units[unit]?.leader === true;
}

/**
 * In "view" mode writes the controller would refuse are skipped (the unit just sees its own
 * buffered attempt fail later); in "commit" mode they refuse the whole commit, as Juju's flush does.
 */
function applyOp(model: Model, op: PendingOp, mode: "view" | "commit"): void {
  const refuse = (message: string): void => {
    if (mode === "commit") throw new CommitRefused(message);
  };
  switch (op.op) {
    case "relation-set": {
      const relation = model.relations[String(op.relationId)];
      if (!relation) return refuse(`relation ${op.relationId} not found`);
      const bags = op.app ? relation.appData : relation.unitData;
      const bag = { ...bags[op.bag] };
      for (const [key, value] of Object.entries(op.settings)) {
        if (value === "") delete bag[key];
        else bag[key] = value;
      }
      bags[op.bag] = bag;
      return;
    }
    case "state-set": {
      const unit = model.units[op.unit];
      if (unit) Object.assign(unit.state, op.values);
      return;
    }
    case "state-delete": {
      const unit = model.units[op.unit];
      if (unit) delete unit.state[op.key];
      return;
    }
    case "open-port":
    case "close-port": {
      const unit = model.units[op.unit];
      if (!unit) return;
      const charm = model.applications[unit.app]?.charm;
      const unknown = op.endpoints.find((e) => e !== "*" && !charm?.endpoints[e] && !charm?.extraBindings.includes(e));
      // Only the controller checks endpoint names, when it commits the hook (juju state/application_ports.go);
      // until then the unit's own opened-ports lists the request.
      if (unknown !== undefined) refuse(`${op.op === "open-port" ? "open" : "close"} port range: endpoint ${JSON.stringify(unknown)} for application ${JSON.stringify(unit.app)} not found`);
      for (const endpoint of op.endpoints) {
        const ports = new Set(unit.openedPorts[endpoint] ?? []);
        if (op.op === "open-port") ports.add(op.port);
        else ports.delete(op.port);
        if (ports.size > 0) unit.openedPorts[endpoint] = [...ports];
        else delete unit.openedPorts[endpoint];
      }
      return;
    }
    case "secret-add":
      model.secrets[op.secret.id] = structuredClone(op.secret);
      return;
    case "secret-set": {
      const secret = model.secrets[op.id];
      if (!secret) return refuse(`secret "${op.id}" not found`);
      if (!canManageSecret(model, secret, op.unit)) return refuse("permission denied");
      if (op.content && !sameContent(secret, op.content, model.jujuVersion)) {
        secret.revisions.push({ revision: latestRevision(secret) + 1, content: op.content, createdAt: now() });
      }
      if (op.label !== undefined) secret.label = op.label;
      if (op.description !== undefined) secret.description = op.description;
      if (op.expire !== undefined) secret.expire = op.expire;
      if (op.rotate !== undefined) secret.rotate = op.rotate;
      return;
    }
    case "secret-remove": {
      const secret = model.secrets[op.id];
      if (!secret) return refuse(`secret "${op.id}" not found`);
      if (!canManageSecret(model, secret, op.unit)) return refuse("permission denied");
      if (op.revision === undefined) delete model.secrets[op.id];
      else secret.revisions = secret.revisions.filter((r) => r.revision !== op.revision);
      return;
    }
    case "secret-grant": {
      const secret = model.secrets[op.id];
      if (!secret) return refuse(`secret "${op.id}" not found`);
      if (!secret.grants.some((g) => g.relationId === op.grant.relationId && g.target === op.grant.target)) secret.grants.push(op.grant);
      return;
    }
    case "secret-revoke": {
      const secret = model.secrets[op.id];
      if (!secret) return refuse(`secret "${op.id}" not found`);
      if (!canManageSecret(model, secret, op.unit)) return refuse("permission denied");
      secret.grants = secret.grants.filter((g) => g.target !== op.target);
      return;
    }
    case "action-set": {
      const run = model.actions[op.actionId];
      if (run) setNested(run.results, op.path, op.value);
      return;
    }
    case "action-fail": {
      const run = model.actions[op.actionId];
      if (!run) return;
      run.status = "failed";
      run.message = op.message;
      return;
    }
  }
}

/** Juju 3.6 and later skip a new revision whose content equals the latest one. */
function sameContent(secret: Secret, content: Record<string, string>, jujuVersion: string): boolean {
  const [major = 0, minor = 0] = jujuVersion.split(".").map(Number);
  if (major < 3 || (major === 3 && minor < 6)) return false;
  const latest = secret.revisions.find((r) => r.revision === latestRevision(secret));
  if (!latest) return false;
  const keys = Object.keys(content);
  return keys.length === Object.keys(latest.content).length && keys.every((k) => latest.content[k] === content[k]);
}

function setNested(target: Record<string, unknown>, path: string[], value: string): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== "object" || next === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1] ?? ""] = value;
}
