// The one place that starts a hook tool: an argv array (never a shell), the tool found on PATH, optional
// data on stdin, typed errors, and a call counter for the per-event tool-call budget.
import { HookToolError, hookToolError } from "./errors.ts";

export interface HookToolOptions {
  /** Written to the tool's stdin (for `--file -`). Never appears in argv or in error messages. */
  stdin?: string;
}

let calls = 0;

/** How many hook tools this process has started (juju-log included). */
export function hookToolCallCount(): number {
  return calls;
}

/** Runs `tool args...` and resolves with its stdout; rejects with a HookToolError subclass on failure. */
export function runHookTool(tool: string, args: readonly string[], options: HookToolOptions = {}): Promise<string> {
  calls += 1;
  return new Promise((resolve, reject) => {
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
      const reason = error.code === "ENOENT"
        ? "not found on PATH; hook tools exist only while Juju runs a hook or action (dispatch)"
        : `could not be started (${error.code ?? error.message})`;
      reject(new HookToolError(tool, undefined, reason));
    });
    child.on("close", (code, signal) => {
      if (code === 0) {
        resolve(Buffer.concat(stdout).toString("utf8"));
        return;
      }
      const text = Buffer.concat(stderr).toString("utf8");
      reject(hookToolError(tool, code ?? undefined, text || (signal ? `killed by ${signal}` : "")));
    });
    child.stdin?.end(options.stdin);
  });
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
