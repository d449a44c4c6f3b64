// Runs the packed example charm in the simulator: each unit's workload container is a real Pebble daemon
// holding a rock's layer, in its own container (namespaces, overlay root, own address), by default with a
// stand-in app that answers HTTP on its port.
import { after } from "node:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { WorkloadContainer } from "../../simulator/containers/container.ts";
import { startRoutedContainer } from "../../simulator/controller/defaultWorkloads.ts";
import { installHookTools } from "../../simulator/hookTools/install.ts";
import { DAEMON_USER, type Rock } from "../../simulator/rocks/types.ts";
import { Simulation, type ContainerFactory } from "../../simulator/simulation.ts";
import { readZip, writeZip } from "../../packing/zip.ts";
import { PebbleClient } from "../../pebble/client.ts";
import { parsePlan, type PebblePlan } from "../../pebble/layer.ts";
import { charmPath } from "./../support/paths.ts";
import type { KubernetesServer } from "../../simulator/servers/kubernetes.ts";

export { charmPath };

const ANSWER_HTTP = `exec python3 -m http.server "$PORT"`;

/**
 * The default workload: a container whose app answers HTTP on $PORT (the port the charm configures) from
 * an empty /app, so the app's ready check passes as it would with a real app. `script`: another shell
 * script for the app (single quotes are not allowed in it).
 */
export function standInRock(service = "expressjs", script = ANSWER_HTTP): Rock {
  if (script.includes("'")) throw new Error("standInRock: the app's script is single-quoted in the layer and cannot contain a single quote");
  return {
    framework: service,
    mounts: [],
    emptyDirs: [{ containerPath: "/app", owner: "_daemon_" }],
    users: [{ ...DAEMON_USER }],
    layer: [
      "summary: stand-in rock", "services:", `  ${service}:`, "    override: replace", "    startup: enabled", "    user: _daemon_", "    working-dir: /app",
      `    command: /bin/sh -c '${script}'`, "    environment:", "      NODE_ENV: production", "",
    ].join("\n"),
  };
}

export interface CharmHarness {
  simulation: Simulation;
  pebble(unit: string): PebbleClient;
  plan(unit: string): Promise<PebblePlan>;
  /** The environment of `service` in the unit's Pebble plan: what the app receives. */
  env(unit: string, service?: string): Promise<Record<string, string>>;
  /** The unit's workload container (its own address, netns and filesystem). */
  container(unit: string): WorkloadContainer;
  /** The unit's workload status as `juju status` shows it (without its timestamp). */
  status(unit: string): UnitStatus;
}

export interface UnitStatus {
  status: string;
  message: string;
}

/** A unit's workload status in the simulated model, without its timestamp. */
export function unitStatus(simulation: Simulation, unit: string): UnitStatus {
  const { status, message } = simulation.model().units[unit]!.status;
  return { status, message };
}

/** `rock` (default `standInRock()`): runs in a real workload container per unit (simulator/containers), which reaches servers listening on SERVICE_ADDRESS. */
export interface HarnessOptions {
  rock?: Rock;
  /** A real kube-apiserver: the app's Kubernetes objects are created there and the charm reaches it. */
  kubernetes?: KubernetesServer;
}

export async function charmHarness(opts: HarnessOptions = {}): Promise<CharmHarness> {
  const dir = mkdtempSync(join(tmpdir(), "charm-"));
  const toolsDir = join(dir, "tools");
  installHookTools(toolsDir, "bundle");
  const workloads = new Map<string, WorkloadContainer>();
  const rock = opts.rock ?? standInRock();
  const containers: ContainerFactory = async (unit, container, socketDir) => {
    const workload = await startRoutedContainer({ unitName: unit, containerName: container, rock, socketDir, workDir: join(dir, "work", unit.replace("/", "-"), container) });
    workloads.set(unit, workload.container);
    return workload.handle;
  };
  const simulation = new Simulation({
    dir: join(dir, "model"), modelName: "test-model", toolsDir, containers,
    ...(opts.kubernetes ? { kubernetes: opts.kubernetes } : {}),
  });
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
    container: (unit) => {
      const workload = workloads.get(unit);
      if (!workload) throw new Error(`${unit} has no workload container yet`);
      return workload;
    },
    status: (unit) => unitStatus(simulation, unit),
  };
}

export { parsePlan };

/** A file of a repacked charm: new content, or an edit of the example charm's own file. */
export type CharmFile = string | ((shipped: string) => string);

/**
 * Writes the packed example charm to `path` with `files` replaced, added or edited; of its other files
 * only those `keep` accepts stay (default: all). The binary is the same: another framework or option set.
 */
export function repackExampleCharm(path: string, files: Record<string, CharmFile>, keep: (name: string) => boolean = () => true): void {
  const shipped = readZip(readFileSync(charmPath));
  const entries = shipped.filter((entry) => entry.name in files || keep(entry.name)).map((entry) => {
    const file = files[entry.name];
    if (file === undefined) return entry;
    return { ...entry, data: Buffer.from(typeof file === "string" ? file : file(entry.data.toString("utf8"))) };
  });
  for (const [name, file] of Object.entries(files)) {
    if (entries.some((entry) => entry.name === name)) continue;
    if (typeof file !== "string") throw new Error(`the packed charm has no ${name} to edit`);
    entries.push({ name, data: Buffer.from(file), mode: 0o644 });
  }
  writeFileSync(path, writeZip(entries));
}

/**
 * The packed example charm with some of its files rewritten (`runtime.yaml`, `metadata.yaml`,
 * `config.yaml`), in a temp dir removed after the test file. Returns the new .charm's path.
 */
export function variantCharm(name: string, edits: Record<string, (text: string) => string>): string {
  const dir = mkdtempSync(join(tmpdir(), "charm-variant-"));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, `${name}.charm`);
  repackExampleCharm(path, edits);
  return path;
}
