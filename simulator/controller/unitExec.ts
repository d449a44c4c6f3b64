// `juju exec --unit u -- cmd` (the command in the unit's charm container, in a hook context: the hook
// tools work and their writes commit when it exits 0) and `juju ssh --container c u cmd` (the command in
// a workload container, through its Pebble).
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { PebbleClient } from "../../pebble/client.ts";
import { exec as pebbleExec } from "../../pebble/exec.ts";
import { inCharmContainer } from "../charmContainer.ts";
import { unitEnvironment, type UnitRuntime } from "../driver.ts";
import { hookEnvironment } from "../events.ts";
import { commitHook, discardHook } from "../hookTools/pending.ts";
import { loadModel } from "../model.ts";

export interface CommandResult { exitCode: number; stdout: string; stderr: string }

const EXEC_TIMEOUT_MS = 5 * 60_000;

export async function execInCharmContainer(runtime: UnitRuntime, command: string[]): Promise<CommandResult> {
  const model = loadModel(runtime.modelPath);
  const contextId = `${runtime.unit.replace("/", "-")}-exec-${randomBytes(6).toString("hex")}`;
  const env = hookEnvironment({ kind: "lifecycle", hook: "update-status" }, unitEnvironment(runtime, model, contextId));
  // `juju exec` runs outside any hook: no hook name, no dispatch path.
  delete env.JUJU_HOOK_NAME;
  delete env.JUJU_DISPATCH_PATH;
  const result = await runShell(command.join(" "), runtime, env);
  if (result.exitCode === 0) commitHook(runtime.modelPath, contextId);
  else discardHook(runtime.modelPath, contextId);
  return result;
}

export async function execInWorkload(runtime: UnitRuntime, container: string, command: string[]): Promise<CommandResult> {
  const client = new PebbleClient({ socketPath: join(runtime.containersDir, container, "pebble.socket") });
  // `juju ssh` hands the words to a shell in the container, as ssh does.
  return pebbleExec(client, { command: ["/bin/sh", "-c", command.join(" ")], timeoutMs: EXEC_TIMEOUT_MS });
}

/** The command in the unit's charm container, as `juju exec` runs it there. */
function runShell(script: string, runtime: UnitRuntime, env: Record<string, string>): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const [command, ...args] = inCharmContainer(runtime, ["/bin/sh", "-c", script]);
    const child = spawn(command!, args, { cwd: runtime.charmDir, env, stdio: ["ignore", "pipe", "pipe"], timeout: EXEC_TIMEOUT_MS });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ exitCode: code ?? (signal ? 128 : 1), stdout, stderr }));
  });
}
