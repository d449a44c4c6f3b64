// The one door between the charm and the hook tools (goops' pattern): every call goes through a
// HookToolRunner. The default runner starts the tool found on PATH with an argv array (never a shell) and
// optional data on stdin; tests swap in a runner that answers in-process. Typed errors and the per-event
// call count are the same whichever runner answers.
import { HookToolError, hookToolError } from "./errors.ts";

export interface HookToolOptions {
  /** Written to the tool's stdin (for `--file -`). Never appears in argv or in error messages. */
  stdin?: string;
}

/** How a hook tool ended: what it printed and its exit status (a signal counts as no code). */
export interface HookToolResult {
  code: number | undefined;
  stdout: string;
  stderr: string;
  /** The tool could not be started at all: why, in words for the error. */
  notStarted?: string;
}

export type HookToolRunner = (tool: string, args: readonly string[], options: HookToolOptions) => Promise<HookToolResult>;

/** Starts `tool` as a process found on PATH, the way Juju's hook tools are reached in a hook. */
export const processRunner: HookToolRunner = (tool, args, options) => new Promise((resolve) => {
  // Loaded on first use: an event the charm ignores never starts a tool. Without data the tool's stdin is
  // /dev/null (EOF, as an empty pipe gives), which spares a pipe and its stream per call.
  const { spawn } = process.getBuiltinModule("node:child_process");
  const child = spawn(tool, args, { stdio: [options.stdin === undefined ? "ignore" : "pipe", "pipe", "pipe"] });
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout!.on("data", (chunk: Buffer) => stdout.push(chunk));
  child.stderr!.on("data", (chunk: Buffer) => stderr.push(chunk));
  // A tool that fails before reading stdin closes the pipe; its exit status is what matters then.
  child.stdin?.on("error", () => {});
  child.on("error", (error: NodeJS.ErrnoException) => {
    const notStarted = error.code === "ENOENT"
      ? "not found on PATH; hook tools exist only while Juju runs a hook or action (dispatch)"
      : `could not be started (${error.code ?? error.message})`;
    resolve({ code: undefined, stdout: "", stderr: "", notStarted });
  });
  child.on("close", (code, signal) => {
    const text = Buffer.concat(stderr).toString("utf8");
    resolve({ code: code ?? undefined, stdout: Buffer.concat(stdout).toString("utf8"), stderr: text || (signal ? `killed by ${signal}` : "") });
  });
  child.stdin?.end(options.stdin);
});

let runner: HookToolRunner = processRunner;
let calls = 0;

/** Replaces the runner for every later call (tests: an in-process Juju); returns the one it replaced. */
export function setHookToolRunner(next: HookToolRunner): HookToolRunner {
  const previous = runner;
  runner = next;
  return previous;
}

/** How many hook tools this process has called (juju-log included). */
export function hookToolCallCount(): number {
  return calls;
}

/** Runs `tool args...` and resolves with its stdout; rejects with a HookToolError subclass on failure. */
export async function runHookTool(tool: string, args: readonly string[], options: HookToolOptions = {}): Promise<string> {
  calls += 1;
  const result = await runner(tool, args, options);
  if (result.notStarted !== undefined) throw new HookToolError(tool, undefined, result.notStarted);
  if (result.code === 0) return result.stdout;
  throw hookToolError(tool, result.code, result.stderr);
}

/** Runs `tool --format=json args...` and parses the one JSON value it prints. */
export async function runHookToolJson<T>(tool: string, args: readonly string[], options: HookToolOptions = {}): Promise<T> {
  const output = await runHookTool(tool, ["--format=json", ...args], options);
  try {
    return JSON.parse(output) as T;
  } catch {
    // The output itself is left out: it may be secret content or relation data.
    throw new HookToolError(tool, 0, `printed ${output.length} characters that are not JSON`);
  }
}
