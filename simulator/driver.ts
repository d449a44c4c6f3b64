// Runs one event on one unit the way Juju's uniter does: `dispatch` exec'd in the charm directory with the
// hook environment, stdout logged at DEBUG and stderr at WARNING in the unit's log, then the hook's
// transactional writes committed on exit 0 or dropped otherwise (docs/juju-contract.md §1.1-1.2).
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { inCharmContainer, podCharmDir } from "./charmContainer.ts";
import { hookEnvironment, dispatchPath, type SimEvent, type UnitEnvironment } from "./events.ts";
import { loadModel, updateModel, type LogLevel, type Model } from "./model.ts";
import { commitHook, discardHook, CommitRefused } from "./hookTools/pending.ts";
import { auditArgv } from "./hookTools/secretAudit.ts";
import { finishAction } from "./modelBuilder.ts";

export interface UnitRuntime {
  modelPath: string;
  unit: string;
  /** Host directory of the unpacked charm of this unit (its own copy, as each Juju unit has). */
  charmDir: string;
  toolsDir: string;
  /** Host directory playing /charm/containers: one sub-directory per workload container. */
  containersDir: string;
  proxy?: UnitEnvironment["proxy"];
  kubernetes?: UnitEnvironment["kubernetes"];
  /** Host directory of the service account's files the pod mounts, when the model has a Kubernetes API. */
  serviceAccountDir?: string;
  /** A command that runs dispatch inside the charm container (benchmarks measure the charm this way). */
  commandPrefix?: string[];
  /** Runs the charm instead of exec'ing `dispatch` (the in-process tier: the charm's code in the test's process). */
  dispatcher?: Dispatcher;
}

/** What runs the charm for one event, given the hook environment Juju would give `dispatch`. */
export type Dispatcher = (env: Record<string, string>, runtime: UnitRuntime) => Promise<{ exitCode: number; stdout: string; stderr: string }>;

export interface DispatchResult {
  event: SimEvent;
  dispatchPath: string;
  /** The hook context: its hook-tool calls are readCalls(modelPath, contextId). */
  contextId: string;
  exitCode: number;
  stdout: string;
  stderr: string;
  /** Set when the controller refused the hook's changes at commit (the hook then counts as failed). */
  commitError?: string;
  durationMs: number;
}

export async function dispatch(runtime: UnitRuntime, event: SimEvent): Promise<DispatchResult> {
  const model = loadModel(runtime.modelPath);
  const contextId = `${runtime.unit.replace("/", "-")}-${randomBytes(6).toString("hex")}`;
  const env = hookEnvironment(event, unitEnvironment(runtime, model, contextId));
  if (event.kind === "action") updateModel(runtime.modelPath, (m) => { const run = m.actions[event.id]; if (run) run.status = "running"; });
  const started = Date.now();
  const [command, ...args] = inCharmContainer(runtime, [...(runtime.commandPrefix ?? []), "./dispatch"]);
  const { exitCode, stdout, stderr } = runtime.dispatcher ? await runtime.dispatcher(env, runtime) : await run(command!, args, runtime.charmDir, env);
  let commitError: string | undefined;
  if (exitCode === 0) {
    try {
      commitHook(runtime.modelPath, contextId);
    } catch (error) {
      if (!(error instanceof CommitRefused)) throw error;
      commitError = error.message;
      discardHook(runtime.modelPath, contextId);
    }
  } else {
    discardHook(runtime.modelPath, contextId);
  }
  // What the charm printed lands in debug-log: it is audited like a hook tool's argv.
  const auditFile = model.secretAudit;
  if (auditFile) auditArgv(auditFile, "dispatch output", runtime.unit, [stdout, stderr], loadModel(runtime.modelPath), { unit: runtime.unit, ops: [] });
  const effectiveExit = commitError ? 1 : exitCode;
  updateModel(runtime.modelPath, (m) => {
    const unit = m.units[runtime.unit];
    if (unit) {
      const name = dispatchPath(event).split("/")[1]!;
      appendOutput(unit.logs, name, stdout, "DEBUG");
      appendOutput(unit.logs, name, stderr, "WARNING");
      if (commitError) unit.logs.push({ level: "ERROR", message: `${name}: cannot commit hook changes: ${commitError}`, timestamp: new Date().toISOString() });
    }
    if (event.kind === "action") finishAction(m, event.id, { exitCode: effectiveExit, stdout, stderr });
  });
  return { event, dispatchPath: dispatchPath(event), contextId, exitCode: effectiveExit, stdout, stderr, commitError, durationMs: Date.now() - started };
}

/** What Juju tells a unit's hooks about where they run: the charm container's paths, never the host's. */
export function unitEnvironment(runtime: UnitRuntime, model: Model, contextId: string): UnitEnvironment {
  return {
    model, unit: runtime.unit, charmDir: podCharmDir(runtime.unit), contextId, toolsDir: runtime.toolsDir, agentAddress: runtime.modelPath,
    ...(runtime.proxy ? { proxy: runtime.proxy } : {}), ...(runtime.kubernetes ? { kubernetes: runtime.kubernetes } : {}),
  };
}

function appendOutput(logs: { level: LogLevel; message: string; timestamp: string }[], hook: string, text: string, level: LogLevel): void {
  const timestamp = new Date().toISOString();
  for (const line of text.split("\n")) if (line.trim()) logs.push({ level, message: `${hook}: ${line}`, timestamp });
}

function run(command: string, args: string[], cwd: string, env: Record<string, string>): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({
      exitCode: code ?? (signal ? 128 : 1),
      stdout: Buffer.concat(out).toString("utf8"),
      stderr: Buffer.concat(err).toString("utf8"),
    }));
  });
}
