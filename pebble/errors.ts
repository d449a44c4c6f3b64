// Typed failures of the Pebble client. Callers branch on the class (and on `kind`/`statusCode`),
// never on message text.
import type { Change } from "./types.ts";

/** Base class: every error the Pebble client raises is one of these. */
export class PebbleError extends Error {
  override name = "PebbleError";
}

/**
 * The daemon could not be reached: the socket file is missing (ENOENT), nothing listens on it
 * (ECONNREFUSED), or it did not answer in time. In a sidecar charm this usually means the workload
 * container is (re)starting; the usual answer is to wait for its pebble-ready event.
 */
export class PebbleConnectionError extends PebbleError {
  override name = "PebbleConnectionError";
  readonly socketPath: string;
  /** The Node error code (ENOENT, ECONNREFUSED, ETIMEDOUT, …) when there is one. */
  readonly code: string | undefined;

  constructor(socketPath: string, reason: string, code?: string) {
    super(
      `cannot reach Pebble at ${socketPath}: ${reason}; ` +
        "the workload container may be restarting (wait for its pebble-ready event)",
    );
    this.socketPath = socketPath;
    this.code = code;
  }
}

/** Maps a socket-level failure (from axios, net or ws) to PebbleConnectionError. */
export function connectionError(socketPath: string, code: string | undefined, error: unknown, timeoutMs: number): PebbleConnectionError {
  const errorCode = code ?? (error as NodeJS.ErrnoException | undefined)?.code;
  const reasons: Record<string, string> = {
    ENOENT: "the socket does not exist",
    ECONNREFUSED: "nothing is listening on the socket",
    ETIMEDOUT: `no answer within ${timeoutMs} ms`,
    ECONNABORTED: `no answer within ${timeoutMs} ms`,
    ECONNRESET: "the connection was reset",
  };
  const reason = (errorCode && reasons[errorCode]) || (error instanceof Error ? error.message : String(error));
  return new PebbleConnectionError(socketPath, reason, errorCode);
}

/** Pebble answered with an error envelope (`type: "error"`). */
export class PebbleAPIError extends PebbleError {
  override name = "PebbleAPIError";
  readonly statusCode: number;
  /** Pebble's machine-readable error kind (`not-found`, `permission-denied`, …), when it gave one. */
  readonly kind: string | undefined;
  /** Pebble's own message, without the request prefix. */
  readonly apiMessage: string;
  readonly method: string;
  readonly path: string;

  constructor(method: string, path: string, statusCode: number, apiMessage: string, kind?: string) {
    super(`Pebble ${method} ${path} failed with ${statusCode}${kind ? ` (${kind})` : ""}: ${apiMessage}`);
    this.statusCode = statusCode;
    this.kind = kind;
    this.apiMessage = apiMessage;
    this.method = method;
    this.path = path;
  }
}

/** A change (service action, exec, …) finished with an error. */
export class ChangeError extends PebbleError {
  override name = "ChangeError";
  /** The change's `err` text. */
  readonly err: string;
  /** Every task's log entries, in task order: they hold the service output of a failed start. */
  readonly taskLogs: string[];
  readonly change: Change;

  constructor(change: Change) {
    const err = change.err ?? `change ${change.id} ended with status ${change.status}`;
    const taskLogs = change.tasks.flatMap((task) => task.log ?? []);
    super([err, ...(taskLogs.length ? ["task log:", ...taskLogs] : [])].join("\n"));
    this.err = err;
    this.taskLogs = taskLogs;
    this.change = change;
  }
}

/** How much of stderr an ExecError message repeats; the full text stays on the `stderr` field. */
const STDERR_TAIL_CHARS = 1000;

/** A command run through exec exited with a non-zero code. */
export class ExecError extends PebbleError {
  override name = "ExecError";
  readonly command: string[];
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;

  constructor(command: string[], exitCode: number, stdout: string, stderr: string) {
    // The environment is deliberately absent: it may carry secrets.
    const tail = stderr.length > STDERR_TAIL_CHARS ? `…${stderr.slice(-STDERR_TAIL_CHARS)}` : stderr;
    super(
      `command ${JSON.stringify(command)} exited with code ${exitCode}` +
        (tail.trim() ? `; stderr:\n${tail.trimEnd()}` : ""),
    );
    this.command = command;
    this.exitCode = exitCode;
    this.stdout = stdout;
    this.stderr = stderr;
  }
}

/** Waiting for something (a change, so far) took longer than the caller allowed. */
export class PebbleTimeoutError extends PebbleError {
  override name = "PebbleTimeoutError";
  readonly timeoutMs: number;

  constructor(what: string, timeoutMs: number) {
    super(`${what} did not finish within ${timeoutMs} ms`);
    this.timeoutMs = timeoutMs;
  }
}

/** A file operation failed for one path (`kind` is Pebble's: not-found, permission-denied, generic-file-error). */
export class PathError extends PebbleError {
  override name = "PathError";
  readonly kind: string;
  readonly path: string;

  constructor(path: string, kind: string, message: string) {
    super(`${path}: ${message}${kind ? ` (${kind})` : ""}`);
    this.kind = kind;
    this.path = path;
  }
}
