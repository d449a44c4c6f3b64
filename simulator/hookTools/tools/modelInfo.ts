// goal-state and credential-get (juju-runtime.md §2.2).
import { checkEmpty, commandError, parseArgs } from "../args.ts";
import { chosenFormat, formatFlag, formatValue } from "../output.ts";
import type { Session } from "../session.ts";
import { localEndpoint } from "../session.ts";

export function goalState(session: Session, argv: string[]): void {
  const args = parseArgs(argv, [formatFlag]);
  const format = chosenFormat(args, ["yaml", "json"]);
  checkEmpty(args.positionals);
  const { model, env } = session;
  const unitStatus = (name: string) => ({ status: model.units[name]?.life === "dying" ? "dying" : "active", since: model.units[name]?.status.since ?? "" });
  const units = Object.fromEntries(Object.keys(model.units).filter((u) => model.units[u]?.app === env.app).sort().map((u) => [u, unitStatus(u)]));
  const relations: Record<string, Record<string, { status: string; since: string }>> = {};
  for (const relation of Object.values(model.relations)) {
    // Juju's uniter leaves out every relation with a single endpoint: goal-state never lists peers
    // (juju worker/uniter/runner/context, goalStateRelations: "Ignore peer relations here").
    if (relation.broken || relation.ends.length === 1 || !relation.ends.some((end) => end.app === env.app)) continue;
    const entry = (relations[localEndpoint(relation, env.app)] ??= {});
    for (const end of relation.ends) if (end.app !== env.app) entry[end.app] = { status: "joined", since: relation.createdAt };
    for (const unit of relation.scope) if (model.units[unit]?.app !== env.app) entry[unit] = unitStatus(unit);
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
