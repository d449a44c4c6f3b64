// Support for charm tests with real workloads:
// - a charm per framework, as a user of that framework's charmcraft extension gets it: the real charmcraft
//   4.5.0 expands `extensions: [<framework>-framework]` (the source of truth for options, endpoints,
//   containers and actions), the user adds the PostgreSQL requirement (required: no `optional: true`), and
//   the project's one packed binary and dispatch ship with a runtime.yaml naming the framework;
// - a suite whose simulations run each unit's rock in a real workload container, next to a real PostgreSQL
//   on the address every container reaches.
import { mkdtempSync, rmSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { charmFiles } from "../../packing/charmcraftYaml.ts";
import { defaultWorkloads } from "../../simulator/controller/defaultWorkloads.ts";
import { ensureServiceAddress, SERVICE_ADDRESS } from "../../simulator/controller/serviceAddress.ts";
import { installHookTools } from "../../simulator/hookTools/install.ts";
import type { Framework } from "../../simulator/rocks/types.ts";
import { startPostgres, type PostgresServer } from "../../simulator/servers/postgres.ts";
import { Simulation, type ContainerFactory } from "../../simulator/simulation.ts";
import { expandExtensions } from "../support/charmcraft.ts";
import { repackExampleCharm } from "./support.ts";


export interface FrameworkCharm {
  app: string;
  /** The workload container the extension declares (`flask-app`, `django-app` or `app`). */
  container: string;
  /** The packed .charm. */
  path: string;
  /** The directory holding the unpacked project files (runtime.yaml among them). */
  dir: string;
}

/** `charmcraft expand-extensions` of a minimal project using the framework's extension. */
function expandExtension(framework: Framework, app: string, dir: string): Promise<Record<string, unknown>> {
  return expandExtensions(dir, {
    name: app, type: "charm", base: "ubuntu@24.04", platforms: { amd64: null },
    summary: `${framework} test charm`, description: `A ${framework} app.`, extensions: [`${framework}-framework`],
  });
}

/** `optionalRequires`: endpoints the user adds beside PostgreSQL, each `optional: true`. */
export async function packFrameworkCharm(framework: Framework, optionalRequires: Record<string, string> = {}): Promise<FrameworkCharm> {
  const app = `${framework}-k8s`;
  const dir = await mkdtemp(join(tmpdir(), `${framework}-charm-`));
  const project = await expandExtension(framework, app, dir);
  const requires = (project.requires ?? {}) as Record<string, unknown>;
  const optional = Object.fromEntries(Object.entries(optionalRequires).map(([name, iface]) => [name, { interface: iface, optional: true, limit: 1 }]));
  project.requires = { ...requires, ...optional, postgresql: { interface: "postgresql_client", limit: 1 } };
  const { files } = charmFiles(stringify(project), "amd64");
  const runtime = `framework: ${framework}\n`;
  await writeFile(join(dir, "runtime.yaml"), runtime);
  const path = join(dir, `${app}_amd64.charm`);
  // The binary and dispatch are the same for every framework: of the example charm, only they stay.
  repackExampleCharm(path, { ...files, "runtime.yaml": runtime }, (name) => name === "dispatch" || name === "charm");
  const container = Object.keys(project.containers as Record<string, unknown>)[0]!;
  return { app, container, path, dir };
}

export async function removeFrameworkCharm(charm: FrameworkCharm): Promise<void> {
  await rm(charm.dir, { recursive: true, force: true });
}

export interface RealWorkloadSuite {
  /** Started by `start()`. */
  postgres: PostgresServer;
  /**
   * A model `test-model` whose units run the rock built from `projectDir` (a rockcraft project); each
   * unit's own address goes into `addresses`.
   */
  simulation(name: string, projectDir: string, addresses: Map<string, string>): Simulation;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function realWorkloadSuite(name: string): RealWorkloadSuite {
  const dir = mkdtempSync(join(tmpdir(), `${name}-`));
  const toolsDir = join(dir, "tools");
  installHookTools(toolsDir, "bundle");
  const suite: RealWorkloadSuite = {
    postgres: undefined as unknown as PostgresServer,
    simulation(simulationName, projectDir, addresses) {
      const start = defaultWorkloads(() => {});
      const containers: ContainerFactory = async (unit, container, socketDir) => {
        const handle = await start({ unit, container, socketDir, image: projectDir });
        if (handle.address) addresses.set(unit, handle.address);
        return handle;
      };
      return new Simulation({ dir: join(dir, simulationName), modelName: "test-model", toolsDir, containers });
    },
    async start() {
      await ensureServiceAddress();
      suite.postgres = await startPostgres({ host: SERVICE_ADDRESS });
    },
    async stop() {
      await suite.postgres?.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return suite;
}
