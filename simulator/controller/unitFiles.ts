// `juju scp`: one file into or out of a unit. A workload container's files go through its Pebble (paths
// in its own root, which must be absolute); the charm container's are read and written inside that
// container (simulator/charmContainer.ts), relative paths from the charm directory `juju exec` starts in.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { PebbleClient } from "../../pebble/client.ts";
import { pull, push } from "../../pebble/files.ts";
import { inCharmContainer } from "../charmContainer.ts";
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
    if (!request.path.startsWith("/")) throw new JujuError(`the simulator copies to and from workload containers by absolute path, got "${request.path}"`);
    const client = new PebbleClient({ socketPath: join(runtime.containersDir, request.container, "pebble.socket") });
    try {
      if (request.data === undefined) return { data: (await pull(client, request.path)).toString("base64") };
      await push(client, request.path, Buffer.from(request.data, "base64"));
      return {};
    } catch (error) {
      throw new JujuError(`${request.container} container: ${(error as Error).message}`);
    }
  }
  // `cat` in the charm container: what scp's remote end does with the file, as root there.
  const command = request.data === undefined ? ["cat", "--", request.path] : ["/bin/sh", "-c", 'cat > "$1"', "scp", request.path];
  const result = await run(inCharmContainer(runtime, command), request.data === undefined ? undefined : Buffer.from(request.data, "base64"));
  if (result.exitCode !== 0) throw new JujuError(`scp: ${request.path}: No such file or directory`);
  return request.data === undefined ? { data: result.stdout.toString("base64") } : {};
}

function run(argv: string[], input: Buffer | undefined): Promise<{ exitCode: number; stdout: Buffer }> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ["pipe", "pipe", "ignore"] });
    const out: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ exitCode: code ?? 1, stdout: Buffer.concat(out) }));
    child.stdin.end(input);
  });
}
