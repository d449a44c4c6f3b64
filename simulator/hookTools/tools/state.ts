// state-get / state-set / state-delete: the unit's controller-side key/value store. Writes are
// pending until the hook succeeds; the unit's own reads see them (docs/juju-contract.md §1.2, §2.2).
import { readFileSync } from "node:fs";
import { boolFlag, checkEmpty, commandError, parseArgs, parseKeyValues, stringFlag } from "../args.ts";
import { chosenFormat, formatFlag, formatValue } from "../output.ts";
import type { Session } from "../session.ts";
import { parseSettings } from "./relation.ts";

export function stateGet(session: Session, argv: string[]): void {
  const args = parseArgs(argv, [formatFlag, { names: ["strict"], kind: "bool" }]);
  const format = chosenFormat(args);
  const [key = "-", ...rest] = args.positionals;
  checkEmpty(rest);
  const state = session.local().units[session.env.unit]?.state ?? {};
  if (key === "-") {
    // Juju's context hands an empty state over as a nil map: `null` in JSON, nothing in smart.
    session.print(formatValue(Object.keys(state).length > 0 ? state : null, format));
    return;
  }
  const value = state[key];
  if (value === undefined && boolFlag(args, "strict")) throw commandError(`${JSON.stringify(key)} not found`);
  session.print(formatValue(value ?? "", format));
}

export function stateSet(session: Session, argv: string[]): void {
  const args = parseArgs(argv, [{ names: ["file"], kind: "string" }]);
  const overrides = parseKeyValues(args.positionals);
  const file = stringFlag(args, "file");
  const values = file === undefined ? {} : parseSettings(file === "-" ? session.readStdin() : readFileSync(file, "utf8"));
  Object.assign(values, overrides);
  session.addPending({ op: "state-set", unit: session.env.unit, values });
}

export function stateDelete(session: Session, argv: string[]): void {
  const args = parseArgs(argv, []);
  const [key = "", ...rest] = args.positionals;
  checkEmpty(rest);
  // Juju deletes nothing, without complaint, when no key is given.
  if (key !== "") session.addPending({ op: "state-delete", unit: session.env.unit, key });
}
