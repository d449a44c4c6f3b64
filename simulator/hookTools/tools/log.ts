// juju-log: written to the unit's log at once, even if the hook later fails (juju-runtime.md §2.2).
import type { LogLevel } from "../../model.ts";
import { boolFlag, parseArgs, stringFlag, usageError } from "../args.ts";
import type { Session } from "../session.ts";
import { localEndpoint } from "../session.ts";

const levels: Record<string, LogLevel> = { TRACE: "TRACE", DEBUG: "DEBUG", INFO: "INFO", WARN: "WARNING", WARNING: "WARNING", ERROR: "ERROR", CRITICAL: "CRITICAL" };

export function jujuLog(session: Session, argv: string[]): void {
  const args = parseArgs(argv, [{ names: ["debug"], kind: "bool" }, { names: ["log-level", "l"], kind: "string" }]);
  if (args.positionals.length === 0) throw usageError("no message specified");
  let level: LogLevel = boolFlag(args, "debug") ? "DEBUG" : "INFO";
  const requested = stringFlag(args, "log-level");
  // Juju logs an unknown level at INFO rather than failing.
  if (requested !== undefined) level = levels[requested.toUpperCase()] ?? "INFO";
  let message = args.positionals.join(" ");
  const relation = session.env.relationId === undefined ? undefined : session.model.relations[String(session.env.relationId)];
  if (relation) message = `${localEndpoint(relation, session.env.app)}:${relation.id}: ${message}`;
  session.unit().logs.push({ level, message, timestamp: new Date().toISOString() });
  session.changedNow();
}
