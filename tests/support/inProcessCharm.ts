// The in-process tier: the charm's own code (src/charm.ts and everything under it) runs in the test's
// process for each event the simulator delivers, with the simulator's hook tools answering through the
// hook-tool runner (the same Juju-checked tool logic the packed tier runs as processes) and a FakePebble per
// workload container. Juju's event sequences (deploy, integrate, config, remove-relation, ...) are the
// Simulation's; only `dispatch` is replaced. No packing, no containers, no servers.
import { after } from "node:test";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { charmFiles } from "../../packing/charmcraftYaml.ts";
import type { Dispatcher } from "../../simulator/driver.ts";
import { runTool } from "../../simulator/hookTools/runTool.ts";
import { hookEnvFromProcess } from "../../simulator/hookTools/session.ts";
import { Simulation, type ContainerFactory } from "../../simulator/simulation.ts";
import { handleEvent } from "../../src/charm.ts";
import { readJujuContext } from "../../src/juju/context.ts";
import { setHookToolRunner } from "../../src/juju/hookTool.ts";
import { Juju } from "../../src/juju/juju.ts";
import { flushLogs, logger } from "../../src/juju/log.ts";
import { loadCharmMeta } from "../../src/juju/metadata.ts";
import type { PebbleClient } from "../../pebble/client.ts";
import type { PebblePlan } from "../../pebble/layer.ts";
import { FakePebble } from "./fakePebble.ts";
import { repoRoot } from "./paths.ts";

/** A rock's services in Pebble's wire form, as its layer declares them. */
export type RockServices = Record<string, Record<string, unknown>>;

/** The stand-in rock of the packed tier (tests/charm/support.ts standInRock): one service, an empty /app. */
export function standInServices(service = "expressjs"): RockServices {
  return {
    [service]: {
      override: "replace", startup: "enabled", user: "_daemon_", "working-dir": "/app",
      command: "/bin/sh -c 'exec python3 -m http.server \"$PORT\"'", environment: { NODE_ENV: "production" },
    },
  };
}

export interface InProcessOptions {
  /** The rock's services (default: the stand-in ExpressJS service). */
  rock?: RockServices;
  /** Files in the rock's app dir (they decide the migration command). */
  appFiles?: Record<string, string>;
  /** The app dir those files live in (default /app). */
  appDir?: string;
  /** The controller's Juju version (default the simulator's 3.6): hook tools answer as that Juju does. */
  jujuVersion?: string;
}

/** The packed tier's CharmHarness (tests/charm/support.ts) where it means the same, so a case moves as it is. */
export interface InProcessHarness {
  simulation: Simulation;
  /** A Pebble client of the unit's workload container. */
  pebble(unit: string): PebbleClient;
  /** The unit's workload container as the fake Pebble holds it (what the workload does, what the charm left). */
  workload(unit: string): FakePebble;
  plan(unit: string): Promise<PebblePlan>;
  /** The environment of `service` in the unit's Pebble plan: what the app receives. */
  env(unit: string, service?: string): Promise<Record<string, string>>;
  status(unit: string): { status: string; message: string };
}

export function inProcessHarness(opts: InProcessOptions = {}): InProcessHarness {
  const dir = mkdtempSync(join(tmpdir(), "charm-in-process-"));
  const pebbles = new Map<string, FakePebble>();
  const rock = opts.rock ?? standInServices();
  const newPebble = (unit: string) => {
    const pebble = new FakePebble(rock);
    const appDir = opts.appDir ?? "/app";
    pebble.dirs.add(appDir);
    for (const [name, content] of Object.entries(opts.appFiles ?? {})) pebble.files.set(`${appDir}/${name}`, { content: Buffer.from(content), permissions: "644", user: "root", group: "root" });
    pebbles.set(unit, pebble);
    return pebble;
  };
  const containers: ContainerFactory = async (unit) => {
    let pebble = newPebble(unit);
    return {
      stop: async () => { pebble.up = false; },
      restart: async () => { pebble = newPebble(unit); },
    };
  };
  const dispatcher: Dispatcher = async (env, runtime) => {
    const pebble = pebbles.get(runtime.unit);
    return runInProcess({ ...env, JUJU_CHARM_DIR: runtime.charmDir, CHARM_DIR: runtime.charmDir }, pebble);
  };
  const toolsDir = join(dir, "tools");
  mkdirSync(toolsDir);
  const simulation = new Simulation({
    dir: join(dir, "model"), modelName: "test-model", toolsDir, containers, dispatcher, ...(opts.jujuVersion ? { jujuVersion: opts.jujuVersion } : {}),
  });
  after(async () => {
    await simulation.destroy();
    rmSync(dir, { recursive: true, force: true });
  });
  const workload = (unit: string) => {
    const found = pebbles.get(unit);
    if (!found) throw new Error(`${unit} has no workload container`);
    return found;
  };
  return {
    simulation,
    pebble: (unit) => workload(unit).client(),
    workload,
    plan: async (unit) => workload(unit).plan(),
    env: async (unit, service = "expressjs") => workload(unit).plan().services[service]?.environment ?? {},
    status: (unit) => {
      const { status, message } = simulation.model().units[unit]!.status;
      return { status, message };
    },
  };
}

/**
 * One event, the way src/main.ts runs it in the packed binary: the context from the hook environment, the
 * charm, its logs forwarded to juju-log; an uncaught error is the hook's failure (exit 1).
 */
async function runInProcess(env: Record<string, string>, pebble: FakePebble | undefined): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  const previous = setHookToolRunner(async (tool, args, options) => {
    const outcome = runTool(tool, [...args], () => hookEnvFromProcess(env), () => options.stdin ?? "");
    return { code: outcome.exitCode, stdout: outcome.stdout, stderr: outcome.stderr };
  });
  let exitCode: number;
  let stderr = "";
  try {
    const context = readJujuContext(env);
    const juju = new Juju(context, await loadCharmMeta(context.charmDir));
    exitCode = await handleEvent(juju, {
      pebble: () => {
        if (!pebble) throw new Error("the unit has no workload container");
        return pebble.client();
      },
    });
  } catch (error) {
    logger.error({ err: error }, "Uncaught exception while in charm code");
    if (env.JUJU_ACTION_NAME) stderr = `${error instanceof Error ? error.message : String(error)}\n`;
    exitCode = 1;
  } finally {
    await flushLogs();
    setHookToolRunner(previous);
  }
  return { exitCode, stdout: "", stderr };
}

/**
 * The example charm's files as charmcraft packs them (metadata, config, actions from charmcraft.yaml, with
 * runtime.yaml and paas-config.yaml), in a directory removed after the test file; `edits` rewrite any of
 * them. Another framework: `charmcraft` names a template under runtime/templates.
 */
export function charmDir(edits: Record<string, (text: string) => string> = {}, charmcraft = join(repoRoot, "charmcraft.yaml")): string {
  const dir = mkdtempSync(join(tmpdir(), "charm-files-"));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const files: Record<string, string> = {
    ...charmFiles(readFileSync(charmcraft, "utf8"), process.arch === "arm64" ? "arm64" : "amd64").files,
    "runtime.yaml": readFileSync(join(repoRoot, "runtime.yaml"), "utf8"),
    "paas-config.yaml": readFileSync(join(repoRoot, "paas-config.yaml"), "utf8"),
  };
  for (const [name, edit] of Object.entries(edits)) files[name] = edit(files[name] ?? "");
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}
