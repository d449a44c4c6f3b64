// config-get (docs/juju-contract.md §2.2): values typed per option type; secret options hold secret URIs.
import type { ConfigValue } from "../../model.ts";
import { boolFlag, checkEmpty, parseArgs, usageError } from "../args.ts";
import { chosenFormat, formatFlag, formatValue } from "../output.ts";
import type { Session } from "../session.ts";

export function configGet(session: Session, argv: string[]): void {
  const args = parseArgs(argv, [formatFlag, { names: ["all", "a"], kind: "bool" }]);
  const format = chosenFormat(args);
  const all = boolFlag(args, "all");
  const key = args.positionals[0];
  checkEmpty(args.positionals.slice(1));
  if (all && key !== undefined) throw usageError(`cannot use argument --all together with key ${JSON.stringify(key)}`);
  const app = session.application();
  const values: Record<string, ConfigValue | null> = {};
  for (const [name, option] of Object.entries(app.charm.config)) {
    const value = app.config[name] ?? option.default;
    if (value !== undefined) values[name] = value;
    else if (all) values[name] = null;
  }
  session.print(formatValue(key === undefined ? values : (values[key] ?? null), format));
}
