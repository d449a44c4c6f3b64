// Running commands in the workload through POST /v1/exec and the task's websockets
// (control, stdio, stderr), following Pebble's per-stream protocol.
import type { PebbleConnection } from "./connection.ts";
import { ChangeError, ExecError } from "./errors.ts";
import { goDuration } from "./layer.ts";
import { within, type PebbleSocket } from "./transport.ts";
import type { Change } from "./types.ts";

export interface ExecOptions {
  command: string[];
  /** Added on top of the daemon's (and the service context's) environment. */
  environment?: Record<string, string>;
  workingDir?: string;
  user?: string;
  userId?: number;
  group?: string;
  groupId?: number;
  /** Pebble SIGKILLs the command after this long and the call raises ChangeError. */
  timeoutMs?: number;
  stdin?: string | Buffer;
  /** Keep stderr apart from stdout (default true); false interleaves both into `stdout`. */
  splitStderr?: boolean;
  /** Inherit environment, user, group and working dir from this plan service. */
  serviceContext?: string;
}

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** A started command. */
export interface ExecProcess {
  readonly changeId: string;
  readonly taskId: string;
  /** Sends a signal by Linux name ("SIGTERM", "SIGHUP", …) through the control websocket. */
  signal(name: string): Promise<void>;
  /** Waits for the command to end. Failure to start or a timeout raises ChangeError. */
  wait(): Promise<ExecResult>;
}

const STDIN_CHUNK_BYTES = 16 * 1024;
/** How long output may trail the end of the change before we stop reading it. */
const OUTPUT_GRACE_MS = 2000;
/** How long to wait for the server's close frame before dropping the connection. */
const CLOSE_GRACE_MS = 500;
/** When a websocket cannot connect, how long to wait for the change that usually explains why. */
const FAILED_START_WAIT_MS = 10_000;

export async function exec(client: PebbleConnection, options: ExecOptions): Promise<ExecResult> {
  return (await startExec(client, options)).wait();
}

/** Like `exec`, but a non-zero exit code raises ExecError. */
export async function run(client: PebbleConnection, options: ExecOptions): Promise<ExecResult> {
  const result = await exec(client, options);
  if (result.exitCode !== 0) throw new ExecError(options.command, result.exitCode, result.stdout, result.stderr);
  return result;
}

export async function startExec(client: PebbleConnection, options: ExecOptions): Promise<ExecProcess> {
  const splitStderr = options.splitStderr ?? true;
  const { change: changeId, result } = await client.requestAsync("POST", "/v1/exec", { body: execBody(options, splitStderr) });
  const taskId = String((result as { "task-id"?: string } | null)?.["task-id"] ?? "");
  const sockets: PebbleSocket[] = [];
  const stdout = new StreamReader();
  const stderr = new StreamReader();
  try {
    // The order ops and the Go client use; the process starts once stdio (and stderr) are connected.
    sockets.push(await openSocket(client, taskId, "control"));
    const stdio = await openSocket(client, taskId, "stdio", stdout);
    sockets.push(stdio);
    if (splitStderr) sockets.push(await openSocket(client, taskId, "stderr", stderr));
    await sendStdin(stdio, options.stdin);
  } catch (error) {
    await closeAll(sockets);
    throw await explainFailedStart(client, changeId, error);
  }
  const [control] = sockets as [PebbleSocket];
  const waitMs = options.timeoutMs !== undefined ? options.timeoutMs + 1000 : Infinity;

  return {
    changeId,
    taskId,
    signal: (name) => control.send(JSON.stringify({ command: "signal", signal: { name } }), false),
    async wait() {
      let change: Change;
      try {
        change = await client.waitChange(changeId, waitMs);
        await within(Promise.all([stdout.done, splitStderr ? stderr.done : undefined]), OUTPUT_GRACE_MS);
      } finally {
        await closeAll(sockets);
      }
      if (change.err) throw new ChangeError(change);
      const exitCode = change.tasks[0]?.data?.["exit-code"];
      return { exitCode: typeof exitCode === "number" ? exitCode : -1, stdout: stdout.text(), stderr: stderr.text() };
    },
  };
}

function execBody(options: ExecOptions, splitStderr: boolean): Record<string, unknown> {
  const body: Record<string, unknown> = { command: options.command, "split-stderr": splitStderr };
  if (options.environment) body.environment = options.environment;
  if (options.workingDir !== undefined) body["working-dir"] = options.workingDir;
  if (options.timeoutMs !== undefined) body.timeout = goDuration(options.timeoutMs);
  if (options.userId !== undefined) body["user-id"] = options.userId;
  if (options.user !== undefined) body.user = options.user;
  if (options.groupId !== undefined) body["group-id"] = options.groupId;
  if (options.group !== undefined) body.group = options.group;
  if (options.serviceContext !== undefined) body["service-context"] = options.serviceContext;
  return body;
}

/** Collects binary frames until the server's text `{"command":"end"}` (or the socket closes). */
class StreamReader {
  readonly #chunks: Buffer[] = [];
  #finish: () => void = () => {};
  readonly done = new Promise<void>((resolve) => (this.#finish = resolve));
  readonly listeners = {
    message: (data: Buffer, binary: boolean) => {
      if (binary) this.#chunks.push(data);
      else if (isEndCommand(data)) this.#finish();
    },
    closed: () => this.#finish(),
  };

  text(): string {
    return Buffer.concat(this.#chunks).toString("utf8");
  }
}

function isEndCommand(data: Buffer): boolean {
  try {
    return (JSON.parse(data.toString("utf8")) as { command?: string }).command === "end";
  } catch {
    return false; // other text frames carry nothing we act on
  }
}

function openSocket(client: PebbleConnection, taskId: string, id: string, reader?: StreamReader): Promise<PebbleSocket> {
  return client.openSocket(`/v1/tasks/${encodeURIComponent(taskId)}/websocket/${id}`, reader?.listeners ?? {});
}

async function sendStdin(stdio: PebbleSocket, stdin: string | Buffer | undefined): Promise<void> {
  const data = typeof stdin === "string" ? Buffer.from(stdin, "utf8") : stdin;
  for (let at = 0; data && at < data.length; at += STDIN_CHUNK_BYTES) await stdio.send(data.subarray(at, at + STDIN_CHUNK_BYTES), true);
  // Without `end` a command that reads stdin (cat) would wait forever.
  await stdio.send(JSON.stringify({ command: "end" }), false);
}

/**
 * Close frames first: a control socket dropped without one makes Pebble SIGKILL the command. Pebble
 * stops reading stdio/stderr once the streams end, so their close frame is never answered: drop
 * them right after sending it. Control is answered (or already closed by the server), so wait briefly.
 */
async function closeAll(sockets: PebbleSocket[]): Promise<void> {
  const [control, ...streams] = sockets;
  for (const stream of streams) stream.drop();
  await control?.close(CLOSE_GRACE_MS);
}

/** When the websockets fail, the change's error usually names the real cause (e.g. a bad user). */
async function explainFailedStart(client: PebbleConnection, changeId: string, error: unknown): Promise<unknown> {
  try {
    const change = await client.waitChange(changeId, FAILED_START_WAIT_MS);
    return change.err ? new ChangeError(change) : error;
  } catch {
    return error;
  }
}
