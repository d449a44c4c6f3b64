// Runs the packed example charm in the simulator: each unit's workload container is a real Pebble daemon
// holding a rock's layer. `hostRock` gives a layer whose services run on the host (no mount namespace), for
// tests about the charm's decisions (statuses, env, relation data) rather than about the app itself.
import { after } from "node:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { installHookTools } from "../../simulator/hookTools/install.ts";
import { Simulation, type ContainerFactory } from "../../simulator/simulation.ts";
import { PebbleClient } from "../../src/pebble/client.ts";
import { parsePlan, type Plan } from "../../src/pebble/layer.ts";
import { charmPath } from "./../support/paths.ts";
import { startPebble, type PebbleDaemon } from "../support/pebble.ts";
import type { KubernetesServer } from "../../simulator/servers/kubernetes.ts";

export { charmPath };

/** A rock layer whose main service is a long-running host process that stands for the app. */
export function hostRockLayer(service = "expressjs"): string {
  return [
    "summary: stand-in rock", "services:", `  ${service}:`, "    override: replace", "    startup: enabled",
    "    command: /bin/sh -c 'exec sleep 100000'", "    environment:", "      NODE_ENV: production", "",
  ].join("\n");
}

export interface CharmHarness {
  simulation: Simulation;
  pebble(unit: string): PebbleClient;
  plan(unit: string): Promise<Plan>;
  /** The environment of `service` in the unit's Pebble plan: what the app receives. */
  env(unit: string, service?: string): Promise<Record<string, string>>;
}

export async function charmHarness(opts: { rockLayer?: string; kubernetes?: KubernetesServer } = {}): Promise<CharmHarness> {
  const dir = mkdtempSync(join(tmpdir(), "charm-"));
  const toolsDir = join(dir, "tools");
  installHookTools(toolsDir, "bundle");
  const daemons = new Map<string, PebbleDaemon>();
  const layer = opts.rockLayer ?? hostRockLayer();
  const containers: ContainerFactory = async (unit, _container, socketDir) => {
    const socketPath = join(socketDir, "pebble.socket");
    const start = async () => {
      const daemon = await startPebble({ socketPath });
      await new PebbleClient({ socketPath }).addLayer("rock", layer);
      daemons.set(unit, daemon);
    };
    await start();
    return {
      stop: async () => { await daemons.get(unit)?.stop(); daemons.delete(unit); },
      restart: async () => { await daemons.get(unit)?.stop(); await start(); },
    };
  };
  const simulation = new Simulation({ dir: join(dir, "model"), modelName: "test-model", toolsDir, containers, ...(opts.kubernetes ? { kubernetes: opts.kubernetes } : {}) });
  after(async () => {
    await simulation.destroy();
    rmSync(dir, { recursive: true, force: true });
  });
  const pebble = (unit: string) => new PebbleClient({ socketPath: join(simulation.runtimeOf(unit).containersDir, "app", "pebble.socket") });
  return {
    simulation,
    pebble,
    plan: async (unit) => pebble(unit).getPlan(),
    env: async (unit, service = "expressjs") => (await pebble(unit).getPlan()).services[service]?.environment ?? {},
  };
}

export { parsePlan };
