// The one host address every workload container reaches: workload containers have their own network
// namespaces with a route only to their link's host end, so servers the controller runs for them
// (PostgreSQL behind postgresql-k8s) listen on this address, held by the host's loopback, and each unit
// gets a route to it through its link.
import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

/** Outside 10.213.0.0/16 (the containers' links) and the service addresses `juju status` shows. */
export const SERVICE_ADDRESS = "10.152.200.1";

export async function ensureServiceAddress(): Promise<void> {
  const { stdout } = await run("ip", ["-4", "addr", "show", "dev", "lo"]);
  if (!stdout.includes(`inet ${SERVICE_ADDRESS}/32`)) await run("ip", ["addr", "add", `${SERVICE_ADDRESS}/32`, "dev", "lo"]);
}

export async function routeToServiceAddress(netns: string, hostAddress: string): Promise<void> {
  await run("ip", ["-n", netns, "route", "replace", `${SERVICE_ADDRESS}/32`, "via", hostAddress]);
}
