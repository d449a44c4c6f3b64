// The cluster's network: one bridge the project creates (its address is the node's), pods on it through the
// CNI bridge plugin, no masquerading and no forwarding turned on, so no cluster traffic leaves this machine.
// Teardown removes what the cluster added: the pods' network namespaces, the bridge, and every iptables
// chain kube-proxy, the kubelet and the CNI plugins made (KUBE-*, CNI-*) with the rules that jump to them.
import { existsSync } from "node:fs";
import { mkdir, readFile, realpath, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { NETWORK, state } from "./layout.ts";
import { run } from "./steps.ts";

export const cniConfDir = join(state.cni, "net.d");
export const CNI_BIN_DIR = "/usr/lib/cni";

export async function createNetwork(log: string): Promise<void> {
  for (const [prerequisite, what] of [[join(CNI_BIN_DIR, "bridge"), "Debian's containernetworking-plugins"], ["/proc/sys/net/bridge", "the br_netfilter module (modprobe br_netfilter)"]] as const) {
    if (!existsSync(prerequisite)) throw new Error(`${prerequisite} is missing: the cluster needs ${what} (scripts/setup.sh installs the packages)`);
  }
  const prefix = NETWORK.podCidr.split("/")[1];
  if (!(await linkExists(NETWORK.bridge))) {
    await run(log, "ip", ["link", "add", NETWORK.bridge, "type", "bridge"]);
    await run(log, "ip", ["addr", "add", `${NETWORK.nodeIp}/${prefix}`, "dev", NETWORK.bridge]);
  }
  await run(log, "ip", ["link", "set", NETWORK.bridge, "up"]);
  // kube-proxy's Service rules must see traffic between two pods on the bridge.
  await writeFile("/proc/sys/net/bridge/bridge-nf-call-iptables", "1");
  // A pod reaching another through a Service IP is routed by this host (in and out of the bridge), which
  // needs forwarding; what would leave the bridge for any other interface is dropped first.
  await mkdir(state.cni, { recursive: true });
  if (!existsSync(forwardingRecord)) await writeFile(forwardingRecord, await readFile(IP_FORWARD, "utf8"));
  const isolate = ["FORWARD", "-i", NETWORK.bridge, "!", "-o", NETWORK.bridge, "-j", ISOLATION_CHAIN];
  await run(log, "iptables", ["-N", ISOLATION_CHAIN]).catch(() => undefined);
  await run(log, "iptables", ["-F", ISOLATION_CHAIN]);
  await run(log, "iptables", ["-A", ISOLATION_CHAIN, "-j", "DROP"]);
  await run(log, "iptables", ["-C", ...isolate]).catch(() => run(log, "iptables", ["-I", ...isolate]));
  await writeFile(IP_FORWARD, "1");
  await mkdir(cniConfDir, { recursive: true });
  await writeFile(join(cniConfDir, "10-real-juju.conflist"), JSON.stringify({
    cniVersion: "1.0.0",
    name: "real-juju",
    plugins: [
      {
        // The bridge is the pods' default route: Service IPs are reached through kube-proxy's rules on this host.
        type: "bridge", bridge: NETWORK.bridge, isGateway: true, isDefaultGateway: true, ipMasq: false, hairpinMode: true,
        ipam: { type: "host-local", ranges: [[{ subnet: NETWORK.podCidr, gateway: NETWORK.nodeIp }]], dataDir: join(state.cni, "ipam") },
      },
      { type: "portmap", capabilities: { portMappings: true } },
    ],
  }, null, 2));
}

async function linkExists(name: string): Promise<boolean> {
  return existsSync(`/sys/class/net/${name}`);
}

export async function removeNetwork(log: string): Promise<void> {
  if (await linkExists(NETWORK.bridge)) await run(log, "ip", ["link", "del", NETWORK.bridge]);
  await removeClusterIptables(log);
  if (existsSync(forwardingRecord)) {
    await writeFile(IP_FORWARD, await readFile(forwardingRecord, "utf8"));
    await rm(forwardingRecord);
  }
}

const IP_FORWARD = "/proc/sys/net/ipv4/ip_forward";
/** ip_forward as it was before `up`, restored by `down`. */
const forwardingRecord = join(state.cni, "ip_forward.before");
const ISOLATION_CHAIN = "REAL-JUJU-ISOLATION";
const CLUSTER_CHAIN = /^(KUBE-|CNI-|REAL-JUJU-)/;

/** Deletes, table by table, every rule that jumps to a cluster chain, then the chains themselves. */
export async function removeClusterIptables(log: string): Promise<void> {
  for (const table of ["filter", "nat", "mangle"]) {
    const rules = await run(log, "iptables-save", ["-t", table]);
    const chains = rules.split("\n").filter((line) => line.startsWith(":")).map((line) => line.slice(1).split(" ")[0]!);
    for (const line of rules.split("\n")) {
      const rule = /^-A (\S+) (.*)$/.exec(line);
      if (!rule || CLUSTER_CHAIN.test(rule[1]!)) continue;
      const target = / -j (\S+)/.exec(line)?.[1];
      if (target && CLUSTER_CHAIN.test(target)) await run(log, "sh", ["-c", `iptables -t ${table} -D ${rule[1]} ${rule[2]}`]);
    }
    const ours = chains.filter((chain) => CLUSTER_CHAIN.test(chain));
    for (const chain of ours) await run(log, "iptables", ["-t", table, "-F", chain]);
    for (const chain of ours) await run(log, "iptables", ["-t", table, "-X", chain]);
  }
}

/** What the cluster's iptables look like: the cluster chains still present (empty after teardown). */
export async function clusterIptablesChains(): Promise<string[]> {
  const found: string[] = [];
  for (const table of ["filter", "nat", "mangle"]) {
    const rules = await run("/dev/null", "iptables-save", ["-t", table]);
    for (const line of rules.split("\n")) if (line.startsWith(":") && CLUSTER_CHAIN.test(line.slice(1))) found.push(`${table}/${line.slice(1).split(" ")[0]}`);
  }
  return found;
}

/** Mount points under `dir` (deepest first), from this process's mount table, which names real paths. */
export async function mountsUnder(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const root = await realpath(dir);
  const table = await readFile("/proc/self/mountinfo", "utf8");
  const points = table.split("\n").map((line) => line.split(" ")[4]).filter((point): point is string => !!point && (point === root || point.startsWith(`${root}/`)));
  return [...new Set(points)].sort((a, b) => b.length - a.length);
}
