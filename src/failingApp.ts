// What Pebble knows about an app that is not serving: its service's state, its last log lines, the ready
// check's last error. Read only when applying left the app not serving, so a healthy hook makes no extra
// Pebble request; the status it leads to is decided in src/paas/status.ts (namedFailingApp).
import { logger } from "./juju/index.ts";
import { redact } from "./juju/redact.ts";
import type { FailingAppFacts } from "./paas/index.ts";
import type { CheckInfo, PebbleClient } from "../pebble/client.ts";

const LOG_LINES_READ = 10;

export async function readFailingApp(pebble: PebbleClient, service: string, check: CheckInfo | undefined, port: number): Promise<FailingAppFacts> {
  const [[info], logs, lastError] = await Promise.all([
    pebble.getServices([service]),
    pebble.getLogs([service], LOG_LINES_READ),
    check?.status === "down" && check.changeId ? lastCheckError(pebble, check.changeId) : Promise.resolve(undefined),
  ]);
  const logLines = logs.map((entry) => redact(entry.message));
  if (logLines.length) logger.warn(`the last lines of service ${service}'s log:\n${logLines.join("\n")}`);
  return {
    service, port, logLines,
    ...(info ? { serviceState: info.current } : {}),
    ...(check ? { check: { name: check.name, status: check.status, failures: check.failures, threshold: check.threshold, ...(lastError ? { lastError } : {}) } } : {}),
  };
}

/** The last error line of the check's change (Pebble logs each failure in its task), without its timestamp. */
async function lastCheckError(pebble: PebbleClient, changeId: string): Promise<string | undefined> {
  const change = await pebble.getChange(changeId);
  const lines = change.tasks.flatMap((task) => task.log ?? []);
  const last = lines.at(-1);
  return last === undefined ? undefined : redact(last.replace(/^\S+ (ERROR )?/, "").trim()) || undefined;
}
