// is-leader and the legacy leader-get / leader-set (written at once, docs/juju-contract.md §1.2).
import { checkEmpty, commandError, parseArgs, parseKeyValues } from "../args.ts";
import { chosenFormat, formatFlag, formatValue } from "../output.ts";
import type { Session } from "../session.ts";

export function isLeader(session: Session, argv: string[]): void {
  const args = parseArgs(argv, [formatFlag]);
  const format = chosenFormat(args);
  checkEmpty(args.positionals);
  session.print(formatValue(session.isLeader(), format));
}

export function leaderGet(session: Session, argv: string[]): void {
  const args = parseArgs(argv, [formatFlag]);
  const format = chosenFormat(args);
  const [key = "-", ...rest] = args.positionals;
  checkEmpty(rest);
  const settings = session.application().leaderSettings;
  session.print(formatValue(key === "-" ? settings : (settings[key] ?? null), format));
}

export function leaderSet(session: Session, argv: string[]): void {
  const args = parseArgs(argv, []);
  const values = parseKeyValues(args.positionals);
  if (!session.isLeader()) throw commandError("cannot write leadership settings: cannot write settings: not the leader");
  const settings = session.application().leaderSettings;
  for (const [key, value] of Object.entries(values)) {
    if (value === "") delete settings[key];
    else settings[key] = value;
  }
  session.changedNow();
}
