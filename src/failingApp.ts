// Names an app that is not serving: reads what Pebble knows about it (the service's state, its last log
// lines, the ready check's last error) only when the status is already not active, so a healthy hook
// makes no extra Pebble request. The pure decision is failingAppStatus in src/paas/status.ts.
import type { DesiredStatus } from "./apply.ts";
import { logger } from "./juju/index.ts";
import { redact } from "./juju/redact.ts";
import { APP_DID_NOT_START, failingAppStatus, logTail } from "./paas/index.ts";
import type { CheckInfo, PebbleClient } from "./pebble/client.ts";

const LOG_LINES_READ = 10;

export async function nameFailingApp(pebble: PebbleClient, service: string, check: CheckInfo | undefined, port: number, status: DesiredStatus): Promise<DesiredStatus> {
  if (status.status === "active") return status;
  const [[info], logs, lastError] = await Promise.all([
    pebble.getServices([service]),
    pebble.getLogs([service], LOG_LINES_READ),
    check?.status === "down" && check.changeId ? lastCheckError(pebble, check.changeId) : Promise.resolve(undefined),
  ]);
  const logLines = logs.map((entry) => redact(entry.message));
  if (logLines.length) logger.warn(`the last lines of service ${service}'s log:\n${logLines.join("\n")}`);
  // A start that failed already carries Pebble's reason; the service's own words make it actionable.
  if (status.message.startsWith(APP_DID_NOT_START)) return { ...status, message: `${status.message}${logTail(logLines)}` };
  const named = failingAppStatus({
    service, port, logLines,
    ...(info ? { serviceState: info.current } : {}),
    ...(check ? { check: { name: check.name, status: check.status, failures: check.failures, threshold: check.threshold, ...(lastError ? { lastError } : {}) } } : {}),
  });
  return named ?? status;
}

/** The last error line of the check's change (Pebble logs each failure in its task), without its timestamp. */
async function lastCheckError(pebble: PebbleClient, changeId: string): Promise<string | undefined> {
  const change = await pebble.getChange(changeId);
  const lines = change.tasks.flatMap((task) => task.log ?? []);
  const last = lines.at(-1);
  return last === undefined ? undefined : redact(last.replace(/^\S+ (ERROR )?/, "").trim()) || undefined;
}
