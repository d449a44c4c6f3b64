// What the container runtime needs from the machine, checked once per process with errors that say
// what to install or change.
import { execFile } from "node:child_process";
import { access, constants } from "node:fs/promises";
import { delimiter, join } from "node:path";
import { promisify } from "node:util";
import { ROCK_PATH } from "./initScript.ts";

const run = promisify(execFile);

/** Each tool the runtime runs, and the Debian package that provides it. */
const TOOLS: Array<{ name: string; packageName: string }> = [
  { name: "ip", packageName: "iproute2" },
  { name: "unshare", packageName: "util-linux" },
  { name: "nsenter", packageName: "util-linux" },
  { name: "pivot_root", packageName: "util-linux" },
  { name: "mount", packageName: "mount" },
  { name: "umount", packageName: "mount" },
];

let machineChecked: Promise<void> | undefined;

/** The machine's part is checked once per process; the Pebble binary on every call. */
export async function checkPrerequisites(pebbleBin: string): Promise<void> {
  machineChecked ??= checkMachine();
  await machineChecked;
  try {
    await access(pebbleBin, constants.X_OK);
  } catch {
    throw new Error(`no executable Pebble at ${pebbleBin}: run scripts/setup.sh (it builds Pebble 1.26.0) or set PEBBLE_BIN`);
  }
}

async function checkMachine(): Promise<void> {
  if (process.getuid?.() !== 0) {
    throw new Error("workload containers need root (mount and network namespaces, veth pairs): run the simulator as root");
  }
  const missing: string[] = [];
  for (const tool of TOOLS) {
    if (!(await onPath(tool.name))) missing.push(`${tool.name} (apt-get install -y ${tool.packageName})`);
  }
  if (missing.length > 0) throw new Error(`workload containers need these programs, which are not in ${ROCK_PATH}: ${missing.join(", ")}`);
  try {
    await run("unshare", ["--mount", "--net", "--uts", "--propagation", "private", "true"], { env: { PATH: ROCK_PATH } });
  } catch (error) {
    const stderr = String((error as { stderr?: string }).stderr ?? (error as Error).message).trim();
    throw new Error(
      `cannot create mount, network and UTS namespaces (${stderr}): in a container, run it privileged (docker --privileged) or with CAP_SYS_ADMIN and CAP_NET_ADMIN and no seccomp filter on unshare`,
    );
  }
}

/** The runtime runs its tools with the rock's PATH (the standard dirs), whatever the caller's PATH. */
export async function onPath(name: string, path = ROCK_PATH): Promise<boolean> {
  for (const dir of path.split(delimiter)) {
    try {
      await access(join(dir, name), constants.X_OK);
      return true;
    } catch {
      // not in this dir
    }
  }
  return false;
}
