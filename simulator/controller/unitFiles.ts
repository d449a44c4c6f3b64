// `juju scp`: one file into or out of a unit. A workload container's files go through its Pebble (paths
// in its own root, which must be absolute); the charm container's are the unit's files on this host,
// relative paths from the unit's charm directory.
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import { PebbleClient } from "../../src/pebble/client.ts";
import { pull, push } from "../../src/pebble/files.ts";
import type { UnitRuntime } from "../driver.ts";
import { JujuError } from "./errors.ts";

export interface CopyRequest {
  container?: string;
  path: string;
  /** base64 content to write; absent = read the file. */
  data?: string;
}

export async function copyFile(runtime: UnitRuntime, request: CopyRequest): Promise<{ data?: string }> {
  if (request.container) {
    if (!isAbsolute(request.path)) throw new JujuError(`the simulator copies to and from workload containers by absolute path, got "${request.path}"`);
    const client = new PebbleClient({ socketPath: join(runtime.containersDir, request.container, "pebble.socket") });
    try {
      if (request.data === undefined) return { data: (await pull(client, request.path)).toString("base64") };
      await push(client, request.path, Buffer.from(request.data, "base64"));
      return {};
    } catch (error) {
      throw new JujuError(`${request.container} container: ${(error as Error).message}`);
    }
  }
  const path = resolve(runtime.charmDir, request.path);
  if (request.data === undefined) {
    if (!existsSync(path) || !statSync(path).isFile()) throw new JujuError(`scp: ${request.path}: No such file or directory`);
    return { data: readFileSync(path).toString("base64") };
  }
  if (!existsSync(join(path, ".."))) throw new JujuError(`scp: ${request.path}: No such file or directory`);
  writeFileSync(path, Buffer.from(request.data, "base64"));
  return {};
}
