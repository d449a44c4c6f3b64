// juju-log: written to the unit's log at once, even if the hook later fails (docs/juju-contract.md §2.2).
import type { LogLevel } from "../../model.ts";
import { boolFlag, parseArgs, stringFlag, usageError } from "../args.ts";
import { deprecatedFormatWarning, formatFlag } from "../output.ts";
import type { Session } from "../session.ts";
import { localEndpoint } from "../session.ts";

const levels: Record<string, LogLevel> = { TRACE: "TRACE", DEBUG: "DEBUG", INFO: "INFO", WARN: "WARNING", WARNING: "WARNING", ERROR: "ERROR", CRITICAL: "CRITICAL" };

export function jujuLog(session: Session, argv: string[]): void {
  const args = parseArgs(argv, [{ names: ["debug"], kind: "bool" }, { names: ["log-level", "l"], kind: "string" }, formatFlag]);
  if (args.positionals.length === 0) throw usageError("no message specified");
  deprecatedFormatWarning(args, "juju-log");
  const logs = session.unit().logs;
  const timestamp = new Date().toISOString();
  const debug = boolFlag(args, "debug");
  let level: LogLevel = debug ? "DEBUG" : "INFO";
  const requested = stringFlag(args, "log-level") ?? "";
  if (!debug && requested !== "") {
    const known = levels[requested.toUpperCase()];
    // Juju logs an unknown level at INFO, after a warning in the same log.
    if (known === undefined) logs.push({ level: "WARNING", message: `Specified log level of ${JSON.stringify(requested)} is not valid`, timestamp });
    level = known ?? "INFO";
  }
  let message = args.positionals.join(" ");
  const relation = session.env.relationId === undefined ? undefined : session.model.relations[String(session.env.relationId)];
  if (relation) message = `${localEndpoint(relation, session.env.app)}:${relation.id}: ${message}`;
  logs.push({ level, message, timestamp });
  session.changedNow();
}
