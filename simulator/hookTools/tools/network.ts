// network-get (docs/juju-contract.md §2.2): the unit's pod address for any endpoint or extra binding.
import { boolFlag, checkEmpty, commandError, parseArgs, stringFlag, usageError } from "../args.ts";
import { chosenFormat, formatFlag, formatValue } from "../output.ts";
import type { Session } from "../session.ts";
import { targetRelation } from "../session.ts";

const fieldFlags = ["bind-address", "ingress-address", "egress-subnets", "primary-address"];

export function networkGet(session: Session, argv: string[]): void {
  const args = parseArgs(argv, [formatFlag, { names: ["relation", "r"], kind: "string" }, ...fieldFlags.map((name) => ({ names: [name], kind: "bool" as const }))]);
  const format = chosenFormat(args);
  const [binding, ...rest] = args.positionals;
  if (binding === undefined) throw usageError("no arguments specified");
  checkEmpty(rest);
  const relation = stringFlag(args, "relation");
  if (relation !== undefined) targetRelation(session, { value: relation, spelled: args.spelled.get("relation") ?? "-r" });
  const charm = session.application().charm;
  if (!charm.endpoints[binding] && !charm.extraBindings.includes(binding)) throw commandError(`no network config found for binding ${JSON.stringify(binding)}`);
  const unit = session.unit();
  const info = {
    "bind-addresses": [{ "mac-address": "", "interface-name": "eth0", addresses: [{ hostname: "", value: unit.address, cidr: unit.cidr }] }],
    "egress-subnets": [`${unit.address}/32`],
    "ingress-addresses": [unit.address],
  };
  const fields: Record<string, unknown> = {
    "bind-address": unit.address,
    "ingress-address": unit.address,
    "egress-subnets": info["egress-subnets"],
    "primary-address": unit.address,
  };
  const chosen = fieldFlags.filter((flag) => boolFlag(args, flag));
  if (chosen.includes("primary-address") && chosen.length > 1) throw commandError("--primary-address must be the only flag specified");
  if (chosen.length === 0) session.print(formatValue(info, format));
  else if (chosen.length === 1) session.print(formatValue(fields[chosen[0] ?? ""], format));
  else session.print(formatValue(Object.fromEntries(chosen.map((flag) => [flag, fields[flag]])), format));
}
