// The charm's logger: pino records buffered in memory and forwarded to `juju-log`, with every registered
// secret value replaced by `***`, by flushLogs(), which the entry point awaits before exiting. One record is
// one juju-log call (one entry in `juju debug-log`, stamped and levelled by Juju): joining records would
// put the second on an unprefixed line of the first's entry. Only a record over Juju's argument limit is
// cut into pieces.
import { pino, type Logger } from "pino";
import { runHookTool } from "./hookTool.ts";
import { redact } from "./redact.ts";

export { registerSecret } from "./redact.ts";

export type JujuLogLevel = "TRACE" | "DEBUG" | "INFO" | "WARNING" | "ERROR";

/** Juju refuses longer single arguments (Linux MAX_ARG_STRLEN is 128 KiB); ops splits at the same length. */
export const MAX_LOG_MESSAGE = 131071;

/** Juju's level for a pino level number (trace 10, debug 20, info 30, warn 40, error 50, fatal 60). */
export function jujuLogLevel(pinoLevel: number): JujuLogLevel {
  if (pinoLevel >= 50) return "ERROR";
  if (pinoLevel >= 40) return "WARNING";
  if (pinoLevel >= 30) return "INFO";
  if (pinoLevel >= 20) return "DEBUG";
  return "TRACE";
}

export interface LogRecord {
  level: JujuLogLevel;
  message: string;
}

/** The juju-log messages for `records`: one per record, a record longer than `limit` cut into `limit`-sized pieces. */
export function logMessages(records: readonly LogRecord[], limit = MAX_LOG_MESSAGE): LogRecord[] {
  const messages: LogRecord[] = [];
  for (const record of records) {
    for (let start = 0; start < Math.max(record.message.length, 1); start += limit) {
      messages.push({ level: record.level, message: record.message.slice(start, start + limit) });
    }
  }
  return messages;
}

// pino's own fields, left out of the forwarded text (Juju stamps time, unit and level itself).
const RECORD_FIELDS = new Set(["level", "time", "pid", "hostname", "msg", "err"]);

/** One pino JSON record as a log line: the message, other fields as JSON, then an error's stack. */
export function formatLogRecord(record: Record<string, unknown>): string {
  const extra = Object.fromEntries(Object.entries(record).filter(([key]) => !RECORD_FIELDS.has(key)));
  const parts = [typeof record.msg === "string" ? record.msg : ""];
  if (Object.keys(extra).length) parts.push(JSON.stringify(extra));
  let text = parts.filter(Boolean).join(" ");
  const err = record.err as { stack?: string; message?: string } | undefined;
  if (err) text += `${text ? "\n" : ""}${err.stack ?? err.message ?? ""}`;
  return text;
}

let pending: LogRecord[] = [];
let sending: Promise<void> = Promise.resolve();

const destination = {
  write(line: string): void {
    const record = JSON.parse(line) as Record<string, unknown>;
    pending.push({ level: jujuLogLevel(Number(record.level)), message: formatLogRecord(record) });
  },
};

/** The charm's logger (default level info). Records reach Juju on flushLogs(). */
export const logger: Logger = pino({ level: "info", base: undefined, timestamp: false }, destination);

/** Sends every buffered record to juju-log (redacted), in order. Never rejects: a failure goes to stderr. */
export function flushLogs(): Promise<void> {
  const records = pending;
  pending = [];
  sending = sending.then(() => send(records));
  return sending;
}

async function send(records: readonly LogRecord[]): Promise<void> {
  for (const message of logMessages(records.map((record) => ({ level: record.level, message: redact(record.message) })))) {
    try {
      await runHookTool("juju-log", ["--log-level", message.level, "--", message.message]);
    } catch (error) {
      // Juju logs the charm's stderr at WARNING: the record is not lost outside a hook either.
      process.stderr.write(`${redact(`could not forward a log record (${(error as Error).message}); ${message.level}: ${message.message}`)}\n`);
    }
  }
}
