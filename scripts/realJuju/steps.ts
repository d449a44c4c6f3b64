// Every step of `real-juju` writes its output to its own log file; a failure names the step and that file.
import { spawn } from "node:child_process";
import { createWriteStream, mkdirSync } from "node:fs";
import { join } from "node:path";
import { state } from "./layout.ts";

export class StepError extends Error {}

export function logFile(step: string): string {
  mkdirSync(state.logs, { recursive: true });
  return join(state.logs, `${step}.log`);
}

/** Runs `body` as the named step, timing it; a failure becomes "step <name> failed (see <log>): <why>". */
export async function step<T>(name: string, body: (log: string) => Promise<T>): Promise<T> {
  const log = logFile(name);
  const started = Date.now();
  try {
    const result = await body(log);
    console.log(`real-juju: ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    return result;
  } catch (error) {
    if (error instanceof StepError) throw error;
    throw new StepError(`real-juju: step "${name}" failed (log: ${log}): ${(error as Error).message}`);
  }
}

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Runs under `nice -n 10`: long builds yield to the tests other jobs run on this machine. */
  nice?: boolean;
  input?: string;
}

/** Runs a command to completion, appending its output to `log`; rejects naming the command and its exit. */
export function run(log: string, command: string, args: string[], options: RunOptions = {}): Promise<string> {
  const [file, argv] = options.nice ? ["nice", ["-n", "10", command, ...args]] : [command, args];
  return new Promise((resolve, reject) => {
    const out = createWriteStream(log, { flags: "a" });
    out.write(`$ ${[command, ...args].join(" ")}\n`);
    const child = spawn(file, argv, { cwd: options.cwd, env: options.env ?? process.env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
      out.write(chunk);
    });
    child.stderr.on("data", (chunk: Buffer) => out.write(chunk));
    // A command that exits without reading its input is not an error of ours.
    child.stdin.on("error", () => {});
    child.stdin.end(options.input ?? "");
    child.on("error", (error) => {
      out.end();
      reject(new Error(`cannot run ${command} (${error.message}): scripts/setup.sh installs it`));
    });
    child.on("close", (code, signal) => {
      out.end();
      if (code === 0) resolve(stdout);
      else reject(new Error(`\`${command} ${args.slice(0, 3).join(" ")}…\` exited with ${code ?? signal}`));
    });
  });
}

/** Polls `check` until it returns true, failing with `what` after `timeoutMs`. */
export async function waitFor(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}
