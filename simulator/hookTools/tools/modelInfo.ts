// goal-state and credential-get (docs/juju-contract.md §2.2).
import { checkEmpty, commandError, parseArgs } from "../args.ts";
import { chosenFormat, formatFlag, formatValue } from "../output.ts";
import type { Session } from "../session.ts";
import { localEndpoint } from "../session.ts";

/** Juju's common.FormatTime(t, true): UTC, a space instead of the `T`, whole seconds. */
function goalStateTime(iso: string): string {
  return `${new Date(iso).toISOString().slice(0, 19).replace("T", " ")}Z`;
}

export function goalState(session: Session, argv: string[]): void {
  const args = parseArgs(argv, [formatFlag]);
  const format = chosenFormat(args, ["yaml", "json"]);
  checkEmpty(args.positionals);
  const { model, env } = session;
  // A unit's goal status is its workload status, or `dying` (juju apiserver uniter goalStateUnits).
  const unitStatus = (name: string) => {
    const unit = model.units[name];
    return { status: unit?.life === "dying" ? "dying" : (unit?.status.status ?? "unknown"), since: goalStateTime(unit?.status.since ?? "1970-01-01T00:00:00Z") };
  };
  const appUnits = (app: string) => Object.keys(model.units).filter((u) => model.units[u]?.app === app).sort();
  const units = Object.fromEntries(appUnits(env.app).map((u) => [u, unitStatus(u)]));
  const relations: Record<string, Record<string, { status: string; since: string }>> = {};
  for (const relation of Object.values(model.relations)) {
    // Juju's uniter leaves out every relation with a single endpoint: goal-state never lists peers
    // (juju worker/uniter/runner/context, goalStateRelations: "Ignore peer relations here").
    if (relation.broken || relation.ends.length === 1 || !relation.ends.some((end) => end.app === env.app)) continue;
    const entry = (relations[localEndpoint(relation, env.app)] ??= {});
    // The relation's status: a leader entering scope sets it `joined` (juju uniter relation statetracker).
    const status = relation.scope.some((unit) => model.units[unit]?.leader) ? "joined" : "joining";
    for (const end of relation.ends) {
      if (end.app === env.app) continue;
      entry[end.app] = { status, since: goalStateTime(relation.createdAt) };
      // Every unit of the remote application, in scope yet or not: the goal, not the present.
      for (const unit of appUnits(end.app)) entry[unit] = unitStatus(unit);
    }
  }
  session.print(formatValue({ units, relations }, format));
}

export function credentialGet(session: Session, argv: string[]): void {
  const args = parseArgs(argv, [formatFlag]);
  const format = chosenFormat(args, ["yaml", "json"]);
  checkEmpty(args.positionals);
  if (!session.application().trusted) throw commandError("cannot access cloud credentials: permission denied");
  session.print(formatValue(session.model.cloudSpec, format));
}
