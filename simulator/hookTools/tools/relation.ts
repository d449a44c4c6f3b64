// relation-ids, relation-list, relation-get, relation-set, relation-model-get (docs/juju-contract.md §2.2, §3).
import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import type { Relation } from "../../model.ts";
import { appOfUnit } from "../../model.ts";
import { boolFlag, checkEmpty, commandError, parseArgs, parseKeyValues, stringFlag, usageError } from "../args.ts";
import type { FlagSpec, ParsedArgs } from "../args.ts";
import { chosenFormat, deprecatedFormatWarning, formatFlag, formatValue } from "../output.ts";
import type { Session } from "../session.ts";
import { localEndpoint, remoteApp, targetRelation } from "../session.ts";

const relationFlag: FlagSpec = { names: ["relation", "r"], kind: "string" };
const appFlag: FlagSpec = { names: ["app"], kind: "bool" };

function relationFromArgs(session: Session, args: ParsedArgs): Relation {
  const value = stringFlag(args, "relation");
  return targetRelation(session, value === undefined ? {} : { value, spelled: args.spelled.get("relation") ?? "-r" });
}

/** Juju names a relation to charms as `<local endpoint>:<id>`. */
export function relationFakeId(relation: Relation, app: string): string {
  return `${localEndpoint(relation, app)}:${relation.id}`;
}

export function relationIds(session: Session, argv: string[]): void {
  const args = parseArgs(argv, [formatFlag]);
  const format = chosenFormat(args);
  let endpoint = args.positionals[0];
  if (endpoint === undefined) {
    const own = session.env.relationId === undefined ? undefined : session.relation(session.env.relationId);
    if (!own) throw usageError("no endpoint name specified");
    endpoint = localEndpoint(own, session.env.app);
  }
  checkEmpty(args.positionals.slice(1));
  // Juju keeps a relation in the unit's context until its -broken hook has run: that hook still lists it
  // (juju worker/uniter/runner/context: the relation leaves the context after the hook commits).
  const ids = Object.values(session.model.relations)
    .filter((r) => (!r.broken || r.id === session.env.relationId) && r.ends.some((end) => end.app === session.env.app && end.endpoint === endpoint))
    .map((r) => relationFakeId(r, session.env.app))
    .sort();
  session.print(formatValue(ids, format));
}

/** Units on the other side that are in scope; for a peer relation, the other units of this app. */
export function remoteUnitsInScope(relation: Relation, unit: string): string[] {
  const app = appOfUnit(unit);
  const peer = relation.ends.length === 1;
  return relation.scope.filter((u) => (peer ? u !== unit : appOfUnit(u) !== app)).sort();
}

export function relationList(session: Session, argv: string[]): void {
  const args = parseArgs(argv, [formatFlag, relationFlag, appFlag]);
  const format = chosenFormat(args);
  const relation = relationFromArgs(session, args);
  checkEmpty(args.positionals);
  if (boolFlag(args, "app")) session.print(formatValue(remoteApp(relation, session.env.app), format));
  else session.print(formatValue(remoteUnitsInScope(relation, session.env.unit), format));
}

const unitName = /^[a-z][a-z0-9]*(?:-[a-z0-9]*[a-z][a-z0-9]*)*\/\d+$/;
const appName = /^[a-z][a-z0-9]*(?:-[a-z0-9]*[a-z][a-z0-9]*)*$/;

export function relationGet(session: Session, argv: string[]): void {
  const args = parseArgs(argv, [formatFlag, relationFlag, appFlag]);
  const format = chosenFormat(args);
  const relation = relationFromArgs(session, args);
  const rest = [...args.positionals];
  let key = rest.shift() ?? "";
  if (key === "-") key = "";
  let readApp = boolFlag(args, "app");
  let target: string;
  const supplied = rest.shift();
  if (supplied !== undefined) {
    if (readApp) {
      target = unitName.test(supplied) ? appOfUnit(supplied) : supplied;
    } else {
      if (!unitName.test(supplied)) {
        if (appName.test(supplied)) throw usageError(`expected unit name, got application name ${JSON.stringify(supplied)}`);
        throw usageError(`invalid unit name ${JSON.stringify(supplied)}`);
      }
      target = supplied;
    }
  } else if (readApp) {
    if (!session.env.remoteApp) throw usageError("no unit or application specified");
    target = session.env.remoteApp;
  } else if (session.env.remoteUnit) {
    target = session.env.remoteUnit;
  } else if (session.env.remoteApp) {
    target = session.env.remoteApp;
    readApp = true;
  } else {
    throw usageError("no unit or application specified");
  }
  checkEmpty(rest);

  const settings = readApp ? readAppSettings(session, relation, target) : readUnitSettings(session, relation, target);
  session.print(formatValue(key === "" ? settings : (settings[key] ?? null), format));
}

function readUnitSettings(session: Session, relation: Relation, unit: string): Record<string, string> {
  // Your own databag is read from the hook's local view, pending writes included.
  if (unit === session.env.unit) return session.local().relations[String(relation.id)]?.unitData[unit] ?? {};
  const bag = relation.unitData[unit];
  if (!bag) throw commandError(`cannot read settings for unit ${JSON.stringify(unit)} in relation ${JSON.stringify(relationKey(relation))}: unit ${JSON.stringify(unit)}: settings not found`);
  return bag;
}

function readAppSettings(session: Session, relation: Relation, app: string): Record<string, string> {
  if (app === session.env.app) {
    if (session.isLeader()) return session.local().relations[String(relation.id)]?.appData[app] ?? {};
    // The controller only lets a non-leader read its own app's bag in a peer relation.
    if (relation.ends.length !== 1) throw commandError("permission denied");
  }
  const bag = relation.appData[app];
  if (!bag) throw commandError("permission denied");
  return bag;
}

/** Juju's relation key, e.g. `wordpress:db mysql:server` (peer: `app:peers`). */
export function relationKey(relation: Relation): string {
  return relation.ends.map((end) => `${end.app}:${end.endpoint}`).join(" ");
}

export function relationSet(session: Session, argv: string[]): void {
  const args = parseArgs(argv, [relationFlag, appFlag, { names: ["file"], kind: "string" }, formatFlag]);
  const relation = relationFromArgs(session, args);
  const overrides = parseKeyValues(args.positionals);
  deprecatedFormatWarning(args, "relation-set");
  const file = stringFlag(args, "file");
  const settings = file === undefined ? {} : parseSettings(file === "-" ? session.readStdin() : readSettingsFile(file));
  Object.assign(settings, overrides);
  const app = boolFlag(args, "app");
  if (app && !session.isLeader()) throw commandError("cannot write relation settings");
  session.addPending({ op: "relation-set", relationId: relation.id, bag: app ? session.env.app : session.env.unit, app, settings });
}

function readSettingsFile(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    throw commandError(`open ${path}: ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file or directory" : (error as Error).message}`);
  }
}

/** A YAML (or JSON) map whose values are scalars, stored as strings like goyaml does. */
export function parseSettings(text: string): Record<string, string> {
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (error) {
    throw commandError(`yaml: ${(error as Error).message.split("\n")[0]}`);
  }
  if (data === null || data === undefined) return {};
  if (typeof data !== "object" || Array.isArray(data)) throw commandError("yaml: unmarshal errors: the settings must be a map of keys to string values");
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(data)) {
    if (value !== null && typeof value === "object") throw commandError(`yaml: unmarshal errors: cannot unmarshal a map or list into the string value of ${JSON.stringify(key)}`);
    result[key] = value === null ? "" : String(value);
  }
  return result;
}

export function relationModelGet(session: Session, argv: string[]): void {
  const args = parseArgs(argv, [formatFlag, relationFlag]);
  const format = chosenFormat(args);
  const relation = relationFromArgs(session, args);
  checkEmpty(args.positionals);
  session.print(formatValue({ uuid: relation.remoteModelUuid ?? session.model.uuid }, format));
}
