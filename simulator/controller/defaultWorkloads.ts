// The workload containers the controller starts: a real Pebble in the unit's own namespaces
// (simulator/containers) holding the rock built from the rockcraft project the image resource names.
// An image resource is a path to a rockcraft project, or an image reference whose name
// (`[registry/]name[:tag]`) is the `name:` in a rockcraft.yaml of this repository (the root, tests/apps/*,
// or the test partners' tests/partners/*/rock).
// Every container gets a route to the controller's service address (serviceAddress.ts).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, isAbsolute, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { startWorkloadContainer, type WorkloadContainer, type WorkloadContainerOptions } from "../containers/container.ts";
import { buildProjectRock } from "../rocks/build.ts";
import type { WorkloadHandle } from "../simulation.ts";
import { ensureServiceAddress, routeToServiceAddress, SERVICE_ADDRESS } from "./serviceAddress.ts";
import type { WorkloadStarter } from "./workloads.ts";

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

export function defaultWorkloads(log: (line: string) => void): WorkloadStarter {
  return async (request) => {
    const projectDir = rockcraftProject(request.image);
    const rock = await buildProjectRock(projectDir, { log });
    const { container, handle } = await startRoutedContainer({
      unitName: request.unit, containerName: request.container, rock, socketDir: request.socketDir, workDir: join(dirname(request.socketDir), `${request.container}-work`),
    });
    log(`${request.unit}: container ${request.container} at ${container.address} (${rock.framework} rock from ${projectDir})`);
    return { address: container.address, ...handle };
  };
}

/** A unit's workload container with its route to the service address, kept across restarts. */
export async function startRoutedContainer(options: WorkloadContainerOptions): Promise<{ container: WorkloadContainer; handle: WorkloadHandle }> {
  await ensureServiceAddress();
  const container = await startWorkloadContainer(options);
  await routeToServiceAddress(container.netns, container.hostAddress);
  return {
    container,
    handle: {
      stop: () => container.stop(),
      restart: async () => {
        await container.restart();
        await routeToServiceAddress(container.netns, container.hostAddress);
      },
      onRestart: (listener) => container.onRestart(() => {
        void routeToServiceAddress(container.netns, container.hostAddress).then(listener, listener);
      }),
    },
  };
}

function rockcraftProject(image: string): string {
  if (isAbsolute(image) && existsSync(join(image, "rockcraft.yaml"))) return image;
  const name = image.split("/").at(-1)!.split(/[:@]/)[0]!;
  const subdirs = (parent: string, below = "") =>
    readdirSync(join(repoRoot, parent), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => join(repoRoot, parent, e.name, below));
  const candidates = [repoRoot, ...subdirs(join("tests", "apps")), ...subdirs(join("tests", "partners"), "rock")];
  for (const dir of candidates) {
    const path = join(dir, "rockcraft.yaml");
    if (existsSync(path) && (parse(readFileSync(path, "utf8")) as { name?: unknown } | null)?.name === name) return dir;
  }
  throw new Error(`no rockcraft project builds image "${image}": give --resource a path to a rockcraft project, or an image named after a rockcraft.yaml's name in ${repoRoot}, tests/apps/* or tests/partners/*/rock`);
}
