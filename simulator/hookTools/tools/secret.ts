// secret-add / -get / -set / -remove / -ids / -info-get / -grant / -revoke (docs/juju-contract.md §2.2, §3).
// Writes are pending until the hook succeeds; the owner sees them in-hook as Juju's context shows them
// (pendingContent). Which revision a reader tracks, and a label secret-get gives, are recorded by the
// controller at read time, so those parts are immediate.
import type { Model, Secret } from "../../model.ts";
import { appOfUnit } from "../../model.ts";
import { latestRevision, newSecretId, now } from "../../modelBuilder.ts";
import { boolFlag, checkEmpty, commandError, parseArgs, stringFlag, usageError } from "../args.ts";
import type { FlagSpec, ParsedArgs } from "../args.ts";
import { chosenFormat, formatFlag, formatValue } from "../output.ts";
import { canManageSecret } from "../pending.ts";
import type { Session } from "../session.ts";
import { relationOption } from "../session.ts";
import { checkRotate, parseExpire, parseSecretId, secretContentFromArgs, secretContentFromFile, secretNotFound, secretUriText } from "../secretArgs.ts";
import { relationKey } from "./relation.ts";

const upsertFlags: FlagSpec[] = ["expire", "rotate", "description", "label", "file", "owner"].map((name) => ({ names: [name], kind: "string" }));
const unitName = /^[a-z][a-z0-9-]*\/\d+$/;
const appName = /^[a-z][a-z0-9]*(?:-[a-z0-9]*[a-z][a-z0-9]*)*$/;

interface Upsert { content?: Record<string, string>; label?: string; description?: string; expire?: string; rotate?: string }

function parseUpsert(args: ParsedArgs, contentArgs: string[]): Upsert {
  const upsert: Upsert = {};
  const expire = stringFlag(args, "expire");
  if (expire) upsert.expire = parseExpire(expire);
  const rotate = stringFlag(args, "rotate");
  checkRotate(rotate);
  if (rotate) upsert.rotate = rotate;
  const owner = stringFlag(args, "owner") ?? "application";
  if (owner !== "application" && owner !== "unit") throw usageError(`secret owner ${JSON.stringify(owner)} not valid`);
  const content = secretContentFromArgs(contentArgs);
  const file = stringFlag(args, "file");
  if (file) Object.assign(content, secretContentFromFile(file));
  if (Object.keys(content).length > 0) upsert.content = content;
  const description = stringFlag(args, "description");
  if (description) upsert.description = description;
  const label = stringFlag(args, "label");
  if (label) upsert.label = label;
  return upsert;
}

/** Owner labels are unique among the secrets one owner holds. */
function checkLabelFree(view: Model, owner: Secret["owner"], label: string | undefined, except?: string): void {
  if (label === undefined) return;
  const taken = Object.values(view.secrets).some((s) => s.id !== except && s.label === label && s.owner.kind === owner.kind && s.owner.name === owner.name);
  if (taken) throw commandError(`secret with label ${JSON.stringify(label)} already exists`);
}

export function secretAdd(session: Session, argv: string[]): void {
  const args = parseArgs(argv, upsertFlags);
  if (args.positionals.length < 1 && !stringFlag(args, "file")) throw usageError("missing secret value or filename");
  const upsert = parseUpsert(args, args.positionals);
  const byUnit = stringFlag(args, "owner") === "unit";
  const owner = byUnit ? { kind: "unit" as const, name: session.env.unit } : { kind: "application" as const, name: session.env.app };
  if (!byUnit && !session.isLeader()) throw commandError("this unit is not the leader");
  if (!upsert.content) throw commandError("empty secret value not valid");
  checkLabelFree(session.local(), owner, upsert.label);
  const secret: Secret = { id: newSecretId(), owner, revisions: [{ revision: 1, content: upsert.content, createdAt: now() }], consumers: {}, grants: [] };
  if (upsert.label !== undefined) secret.label = upsert.label;
  if (upsert.description !== undefined) secret.description = upsert.description;
  if (upsert.expire !== undefined) secret.expire = upsert.expire;
  if (upsert.rotate !== undefined) secret.rotate = upsert.rotate;
  session.addPending({ op: "secret-add", secret });
  // The controller makes the URI with the model as its source, so Juju prints the long form.
  session.print(`secret://${session.model.uuid}/${secret.id}\n`);
}

/** A secret the unit may manage (a leader's app secret or its own unit secret), or undefined. */
function managed(session: Session, id: string): Secret | undefined {
  const view = session.local();
  const secret = view.secrets[id];
  return secret && canManageSecret(view, secret, session.env.unit) ? secret : undefined;
}

/** App-owned secrets of the unit's own app need leadership to change. */
function requireLeaderFor(session: Session, id: string): void {
  const secret = session.local().secrets[id];
  if (secret && secret.owner.kind === "application" && secret.owner.name === session.env.app && !session.isLeader()) throw commandError("this unit is not the leader");
}

function isOwnerSide(secret: Secret, unit: string): boolean {
  // A user secret belongs to the model: units only ever consume it.
  if (secret.owner.kind === "model") return false;
  return secret.owner.kind === "unit" ? secret.owner.name === unit : secret.owner.name === appOfUnit(unit);
}

function canRead(secret: Secret, unit: string): boolean {
  return isOwnerSide(secret, unit) || secret.grants.some((g) => g.target === unit || g.target === appOfUnit(unit));
}

function resolveForRead(session: Session, uri: string | undefined, label: string | undefined): Secret {
  const view = session.local();
  if (uri !== undefined) {
    const secret = view.secrets[parseSecretId(uri)];
    if (secret) return secret;
    // Juju 3 names the secret by its URI here, unlike the bare id of the other tools; Juju 4 names none.
    throw commandError(jujuMajor(session) >= 4 ? "getting latest secret revision: secret not found" : `secret ${JSON.stringify(secretUriText(uri))} not found`);
  }
  const me = session.env.unit;
  // Owner labels resolve for the owner and, for an application's secret, for every unit of that app
  // (Juju PRs 14952 and 16997: non-leaders read their app's secrets by label).
  const owned = Object.values(view.secrets).find((s) => s.label === label && (canManageSecret(view, s, me) || ownedByAppOf(s, me)));
  const consumed = owned ?? Object.values(view.secrets).find((s) => s.consumers[me]?.label === label);
  if (!consumed) throw commandError(`${jujuMajor(session) >= 4 ? "secret URI for consumer label" : "consumer label"} ${JSON.stringify(label)} not found`);
  return consumed;
}

function ownedByAppOf(secret: Secret, unit: string): boolean {
  return secret.owner.kind === "application" && secret.owner.name === unit.slice(0, unit.lastIndexOf("/"));
}

/** The controller's major version: Juju 4 words several secret errors differently. */
function jujuMajor(session: Session): number {
  return Number(session.model.jujuVersion.split(/[.-]/)[0]);
}

/** Juju before 3.3.1 (except 3.1.7) always showed owners the latest revision. */
function ownersTrackLatest(jujuVersion: string): boolean {
  const [major = 0, minor = 0, patch = 0] = jujuVersion.split(/[.-]/).map(Number);
  if (major === 3 && minor === 1 && patch === 7) return false;
  return major < 3 || (major === 3 && (minor < 3 || (minor === 3 && patch < 1)));
}

export function secretGet(session: Session, argv: string[]): void {
  const args = parseArgs(argv, [{ names: ["format"], kind: "string" }, { names: ["label"], kind: "string" }, { names: ["peek"], kind: "bool" }, { names: ["refresh"], kind: "bool" }]);
  const format = chosenFormat(args, ["yaml", "json"]);
  const rest = [...args.positionals];
  const uri = rest.shift();
  const id = uri === undefined ? undefined : parseSecretId(uri);
  const label = stringFlag(args, "label") || undefined;
  if (id === undefined && label === undefined) throw usageError("require either a secret URI or label");
  const peek = boolFlag(args, "peek");
  const refresh = boolFlag(args, "refresh");
  if (peek && refresh) throw usageError("specify one of --peek or --refresh but not both");
  const key = rest.shift();
  checkEmpty(rest);

  const me = session.env.unit;
  const secret = resolveForRead(session, uri, label);
  if (!canRead(secret, me)) throw commandError(jujuMajor(session) >= 4 ? `${JSON.stringify(me)} is not allowed to read this secret` : "permission denied");
  if (id !== undefined && label !== undefined) labelOnRead(session, secret.id, label);
  const content = pendingContent(session, secret.id, { peek, refresh, byLabel: id === undefined ? label : undefined }) ?? committedContent(session, secret.id, { peek, refresh });
  if (key === undefined) {
    session.print(formatValue(content, format));
    return;
  }
  const base64 = key.endsWith("#base64");
  const name = base64 ? key.slice(0, -"#base64".length) : key;
  const value = content[name];
  if (value === undefined) throw commandError(`secret key value ${JSON.stringify(name)} not found`);
  session.print(formatValue(base64 ? Buffer.from(value).toString("base64") : value, format));
}

/**
 * secret-get with a URI and a label: the controller records the label while it answers, not at commit
 * (juju apiserver secretsmanager getSecretContent): the owner's label when this unit manages the secret,
 * this unit's consumer label when it only reads it, none for a unit of the owning application that is
 * not the leader. A secret added in this hook takes the label with its pending creation.
 */
function labelOnRead(session: Session, id: string, label: string): void {
  const me = session.env.unit;
  const committed = session.model.secrets[id];
  if (!committed) {
    session.addPending({ op: "secret-set", unit: me, id, label });
    return;
  }
  if (isOwnerSide(committed, me)) {
    if (!canManageSecret(session.model, committed, me)) return;
    committed.label = label;
  } else {
    committed.consumers[me] = { ...committed.consumers[me], label };
  }
  session.changedNow();
}

/**
 * Content written earlier in this hook (juju context getPendingSecretValue): a secret added here always
 * reads its pending content; a pending secret-set only with --refresh or --peek, and, when read by
 * label, on Juju 3 only if that secret-set gave the same label (Juju 4 resolves the owner's label first).
 */
function pendingContent(session: Session, id: string, mode: { peek: boolean; refresh: boolean; byLabel: string | undefined }): Record<string, string> | undefined {
  const seesSet = (label: string | undefined) => (mode.refresh || mode.peek) && (mode.byLabel === undefined || jujuMajor(session) >= 4 || label === mode.byLabel);
  let content: Record<string, string> | undefined;
  for (const op of session.journal.ops) {
    if (op.op === "secret-add" && op.secret.id === id) content = op.secret.revisions[0]?.content;
    if (op.op === "secret-set" && op.id === id && op.content && seesSet(op.label)) content = op.content;
  }
  return content;
}

function committedContent(session: Session, id: string, mode: { peek: boolean; refresh: boolean }): Record<string, string> {
  const secret = session.model.secrets[id];
  if (!secret) throw secretNotFound(id);
  const me = session.env.unit;
  const latest = latestRevision(secret);
  const consumer = (secret.consumers[me] ??= {});
  let revision = consumer.trackedRevision;
  const alwaysLatest = isOwnerSide(secret, me) && ownersTrackLatest(session.model.jujuVersion);
  if (mode.peek || alwaysLatest) {
    revision = latest;
  } else if (mode.refresh || revision === undefined || !secret.revisions.some((r) => r.revision === revision)) {
    revision = latest;
    consumer.trackedRevision = latest;
    session.changedNow();
  }
  return { ...secret.revisions.find((r) => r.revision === revision)?.content };
}

export function secretSet(session: Session, argv: string[]): void {
  const args = parseArgs(argv, upsertFlags);
  const [uri, ...contentArgs] = args.positionals;
  if (uri === undefined) throw usageError("missing secret URI");
  const id = parseSecretId(uri);
  const upsert = parseUpsert(args, contentArgs);
  requireLeaderFor(session, id);
  const secret = session.local().secrets[id];
  if (secret) checkLabelFree(session.local(), secret.owner, upsert.label, id);
  // Juju buffers a change to a secret the unit does not own without complaint; the commit refuses it.
  session.addPending({ op: "secret-set", unit: session.env.unit, id, ...upsert });
}

export function secretRemove(session: Session, argv: string[]): void {
  const args = parseArgs(argv, [{ names: ["revision"], kind: "string" }]);
  const [uri, ...rest] = args.positionals;
  if (uri === undefined) throw usageError("missing secret URI");
  const id = parseSecretId(uri);
  checkEmpty(rest);
  const revisionText = stringFlag(args, "revision");
  let revision: number | undefined;
  if (revisionText !== undefined) {
    if (!/^[+-]?\d+$/.test(revisionText)) throw usageError(`invalid value ${JSON.stringify(revisionText)} for option --revision: strconv.ParseInt: parsing ${JSON.stringify(revisionText)}: invalid syntax`);
    // Juju takes a revision of 0 or less as no revision: the whole secret goes.
    if (Number(revisionText) > 0) revision = Number(revisionText);
  }
  requireLeaderFor(session, id);
  session.addPending(revision === undefined ? { op: "secret-remove", unit: session.env.unit, id } : { op: "secret-remove", unit: session.env.unit, id, revision });
}

export function secretIds(session: Session, argv: string[]): void {
  const args = parseArgs(argv, [formatFlag]);
  const format = chosenFormat(args);
  checkEmpty(args.positionals);
  const view = session.local();
  const ids = Object.values(view.secrets).filter((s) => canManageSecret(view, s, session.env.unit)).map((s) => s.id).sort();
  // Juju collects the ids into a nil slice: no secrets print `null` in JSON.
  session.print(formatValue(ids.length > 0 ? ids : null, format));
}

export function secretInfoGet(session: Session, argv: string[]): void {
  const args = parseArgs(argv, [formatFlag, { names: ["label"], kind: "string" }]);
  const format = chosenFormat(args, ["yaml", "json"]);
  const [uri, ...rest] = args.positionals;
  const id = uri === undefined ? undefined : parseSecretId(uri);
  const label = stringFlag(args, "label") || undefined;
  if (id === undefined && label === undefined) throw usageError("require either a secret URI or label");
  if (id !== undefined && label !== undefined) throw usageError("specify either a secret URI or label but not both");
  checkEmpty(rest);
  const view = session.local();
  const owned = Object.values(view.secrets).filter((s) => canManageSecret(view, s, session.env.unit));
  const secret = id !== undefined ? owned.find((s) => s.id === id) : owned.find((s) => (s.label ?? "") === label);
  if (!secret) throw secretNotFound(id ?? label ?? "");
  const info: Record<string, unknown> = { revision: latestRevision(secret), label: secret.label ?? "", owner: secret.owner.kind };
  if (secret.description) info.description = secret.description;
  if (secret.rotate) info.rotation = secret.rotate;
  if (secret.expire) info.expiry = secret.expire;
  const access = secret.grants.map((g) => {
    const relation = view.relations[String(g.relationId)];
    const scope = relation ? `relation-${relationKey(relation).replaceAll(":", ".").replace(" ", "#")}` : `relation-${g.relationId}`;
    return { target: `${g.targetKind}-${g.target.replace("/", "-")}`, scope, role: "view" };
  });
  if (access.length > 0) info.access = access;
  session.print(formatValue({ [secret.id]: info }, format));
}

export function secretGrant(session: Session, argv: string[]): void {
  const args = parseArgs(argv, [{ names: ["unit"], kind: "string" }, { names: ["relation", "r"], kind: "string" }]);
  const [uri, ...rest] = args.positionals;
  if (uri === undefined) throw usageError("missing secret URI");
  const id = parseSecretId(uri);
  const relationId = relationIdFor(session, args);
  if (relationId === undefined) throw usageError("no relation id specified");
  const relation = session.relation(relationId);
  const app = relation?.ends.find((end) => end.app !== session.env.app)?.app ?? session.env.app;
  const unit = stringFlag(args, "unit");
  if (unit) {
    if (!unitName.test(unit)) throw usageError(`unit ${JSON.stringify(unit)} not valid`);
    if (appOfUnit(unit) !== app) throw usageError(`cannot specify unit ${JSON.stringify(unit)} in relation to application ${JSON.stringify(app)}`);
  }
  checkEmpty(rest);
  requireLeaderFor(session, id);
  if (!managed(session, id)) throw secretNotFound(id);
  const target = unit || app;
  session.addPending({ op: "secret-grant", unit: session.env.unit, id, grant: { relationId, target, targetKind: unit ? "unit" : "application" } });
}

function relationIdFor(session: Session, args: ParsedArgs): number | undefined {
  const value = stringFlag(args, "relation");
  if (value === undefined) return session.env.relationId;
  return relationOption(session, value, args.spelled.get("relation") ?? "-r");
}

export function secretRevoke(session: Session, argv: string[]): void {
  const args = parseArgs(argv, [{ names: ["app", "application"], kind: "string" }, { names: ["unit"], kind: "string" }, { names: ["relation", "r"], kind: "string" }]);
  const [uri, ...rest] = args.positionals;
  if (uri === undefined) throw usageError("missing secret URI");
  const id = parseSecretId(uri);
  let app = stringFlag(args, "app") ?? "";
  const unit = stringFlag(args, "unit") ?? "";
  if (app && !appName.test(app)) throw usageError(`application ${JSON.stringify(app)} not valid`);
  if (unit && !unitName.test(unit)) throw usageError(`unit ${JSON.stringify(unit)} not valid`);
  if (app && unit) throw usageError("specify only one of application or unit");
  const relationId = relationIdFor(session, args);
  if (relationId !== undefined) {
    const relation = session.relation(relationId);
    if (app) throw usageError("do not specify both relation and app");
    app = relation?.ends.find((end) => end.app !== session.env.app)?.app ?? session.env.app;
  }
  if (!app && !unit) throw usageError("missing relation or application or unit");
  checkEmpty(rest);
  requireLeaderFor(session, id);
  session.addPending({ op: "secret-revoke", unit: session.env.unit, id, target: unit || app });
}
