// action-get / -set / -fail / -log (docs/juju-contract.md §2.2, §3). Results and failure are pending until
// the action's process succeeds; action-log messages are visible at once.
import { checkEmpty, parseArgs, usageError } from "../args.ts";
import { chosenFormat, formatFlag, formatValue } from "../output.ts";
import type { Session } from "../session.ts";

const keyRule = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
const reservedKeys = ["stdout", "stdout-encoding", "stderr", "stderr-encoding"];

export function actionGet(session: Session, argv: string[]): void {
  const args = parseArgs(argv, [formatFlag]);
  const format = chosenFormat(args);
  const [key, ...rest] = args.positionals;
  checkEmpty(rest);
  const params = session.action().params;
  if (key === undefined) {
    session.print(formatValue(params, format));
    return;
  }
  let node: unknown = params;
  for (const part of key.split(".")) {
    node = node !== null && typeof node === "object" && !Array.isArray(node) ? (node as Record<string, unknown>)[part] : undefined;
  }
  session.print(formatValue(node ?? null, format));
}

export function actionSet(session: Session, argv: string[]): void {
  const args = parseArgs(argv, []);
  const results: { path: string[]; value: string }[] = [];
  for (const arg of args.positionals) {
    const eq = arg.indexOf("=");
    if (eq < 0) throw usageError(`argument ${JSON.stringify(arg)} must be of the form key...=value`);
    const path = arg.slice(0, eq).split(".");
    for (const key of path) {
      if (!keyRule.test(key)) throw usageError(`key ${JSON.stringify(key)} must start and end with lowercase alphanumeric, and contain only lowercase alphanumeric and hyphens`);
      if (reservedKeys.includes(key)) throw usageError(`cannot set reserved action key "${key}"`);
    }
    results.push({ path, value: arg.slice(eq + 1) });
  }
  const run = session.action();
  for (const { path, value } of results) session.addPending({ op: "action-set", actionId: run.id, path, value });
}

export function actionFail(session: Session, argv: string[]): void {
  const args = parseArgs(argv, []);
  const [message = "action failed without reason given, check action for errors", ...rest] = args.positionals;
  checkEmpty(rest);
  session.addPending({ op: "action-fail", actionId: session.action().id, message });
}

export function actionLog(session: Session, argv: string[]): void {
  const args = parseArgs(argv, []);
  if (args.positionals.length === 0) throw usageError("no message specified");
  session.action().log.push({ message: args.positionals.join(" "), timestamp: new Date().toISOString() });
  session.changedNow();
}
