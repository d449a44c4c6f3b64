// One network namespace per workload container, joined to the host by a veth pair on a private /30
// out of 10.213.0.0/16 (addresses of our own test hosts). The unit's side is `eth0`; there is no
// default route: a unit reaches the host's end of its own pair and, as pods reach each other on
// Kubernetes, every other unit, through a route for 10.213.0.0/16 and forwarding on the host ends of the
// pairs only (the host's own ip_forward stays as it is, so nothing is routed off the host).
//
// A slot (0..16383) picks the /30, the namespace name `psim-<slot>` and the host interface `psim<slot>`.
// `ip netns add` creates /run/netns/<name> exclusively, so claiming a slot is atomic across processes.
// Each claim is recorded in /run/paas-simulator/<name>.json with its owner process, so `cleanupStale()`
// can remove what a crashed run left without touching namespaces of runs still in progress.
import { execFile, execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import { mkdir, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { ROCK_PATH } from "./initScript.ts";

const run = promisify(execFile);
/** `ip` is looked up where the prerequisites check found it. */
const TOOL_ENV = { PATH: ROCK_PATH };

const NETNS_DIR = "/run/netns";
const RECORD_DIR = "/run/paas-simulator";
const NETNS_PREFIX = "psim-";
const SLOTS = 16384;
/** Every unit's address is in it. */
const UNITS_SUBNET = "10.213.0.0/16";
/** 10.213.0.0 as a 32-bit number. */
const SUBNET_BASE = (10 << 24) | (213 << 16);
/** A namespace without a record younger than this is being set up, not abandoned. */
const UNRECORDED_GRACE_MS = 60_000;
const KILL_WAIT_MS = 5_000;

export interface UnitNetwork {
  /** The namespace's name for `ip netns` (e.g. "psim-4711"). */
  netns: string;
  /** Its bind mount, for `nsenter --net=`. */
  netnsPath: string;
  /** The host end of the veth pair. */
  hostInterface: string;
  /** The host end's address: what the unit can reach on the host. */
  hostAddress: string;
  /** The unit's address on its `eth0`, reachable from the host. */
  address: string;
}

interface OwnerRecord {
  ownerPid: number;
  /** The owner's start time (clock ticks since boot), so a reused pid is not mistaken for the owner. */
  ownerStart: string;
  label: string;
}

/** The host and unit addresses of a slot's /30: .1 and .2 of its block. */
export function slotAddresses(slot: number): { hostAddress: string; address: string } {
  if (!Number.isInteger(slot) || slot < 0 || slot >= SLOTS) throw new RangeError(`network slot ${slot} is outside 0..${SLOTS - 1}`);
  const base = SUBNET_BASE + slot * 4;
  return { hostAddress: dotted(base + 1), address: dotted(base + 2) };
}

function dotted(address: number): string {
  return [24, 16, 8, 0].map((shift) => (address >>> shift) & 255).join(".");
}

/** Claims a free slot and wires it up: veth pair, addresses, links and the unit's loopback up. */
export async function createUnitNetwork(label: string): Promise<UnitNetwork> {
  const slot = await claimSlot(label);
  const netns = `${NETNS_PREFIX}${slot}`;
  const { hostAddress, address } = slotAddresses(slot);
  const network: UnitNetwork = { netns, netnsPath: join(NETNS_DIR, netns), hostInterface: `psim${slot}`, hostAddress, address };
  try {
    await ip("link", "add", network.hostInterface, "type", "veth", "peer", "name", "eth0", "netns", netns);
    await ip("addr", "add", `${hostAddress}/30`, "dev", network.hostInterface);
    await ip("link", "set", network.hostInterface, "up");
    await ip("-n", netns, "addr", "add", `${address}/30`, "dev", "eth0");
    await ip("-n", netns, "link", "set", "eth0", "up");
    await ip("-n", netns, "link", "set", "lo", "up");
    await ip("-n", netns, "route", "add", UNITS_SUBNET, "via", hostAddress);
    await writeFile(`/proc/sys/net/ipv4/conf/${network.hostInterface}/forwarding`, "1\n");
  } catch (error) {
    await destroyUnitNetwork(network);
    throw error;
  }
  return network;
}

async function claimSlot(label: string): Promise<number> {
  await mkdir(RECORD_DIR, { recursive: true });
  const start = Math.floor(Math.random() * SLOTS);
  for (let i = 0; i < SLOTS; i++) {
    const slot = (start + i) % SLOTS;
    const netns = `${NETNS_PREFIX}${slot}`;
    try {
      await ip("netns", "add", netns);
    } catch (error) {
      if (/exists/i.test(String((error as Error).message))) continue;
      throw error;
    }
    const record: OwnerRecord = { ownerPid: process.pid, ownerStart: await processStart(process.pid) ?? "", label };
    await writeFile(recordPath(netns), JSON.stringify(record));
    return slot;
  }
  throw new Error(`every network slot of 10.213.0.0/16 is taken: run cleanupStale() or delete leftover namespaces (ip netns list | grep ${NETNS_PREFIX})`);
}

/** Process ids inside the namespace. */
export async function netnsPids(netns: string): Promise<number[]> {
  const { stdout } = await run("ip", ["netns", "pids", netns], { env: TOOL_ENV });
  return stdout.split(/\s+/).filter(Boolean).map(Number);
}

/** SIGKILLs every process in the namespace and waits until none is left. */
export async function killNetnsProcesses(netns: string): Promise<void> {
  const deadline = Date.now() + KILL_WAIT_MS;
  for (;;) {
    let pids: number[];
    try {
      pids = await netnsPids(netns);
    } catch {
      return; // the namespace is already gone
    }
    if (pids.length === 0) return;
    if (Date.now() > deadline) throw new Error(`processes ${pids.join(", ")} in network namespace ${netns} survived SIGKILL`);
    for (const pid of pids) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // exited meanwhile
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Kills what runs inside, deletes the namespace (which takes the veth pair with it) and its record. */
export async function destroyUnitNetwork(network: Pick<UnitNetwork, "netns" | "hostInterface">): Promise<void> {
  await killNetnsProcesses(network.netns);
  await ip("netns", "del", network.netns).catch(() => undefined);
  // The pair goes when its namespace does; delete the host end ourselves if something still holds it.
  await ip("link", "del", network.hostInterface).catch(() => undefined);
  await rm(recordPath(network.netns), { force: true });
}

/** destroyUnitNetwork for a process that is exiting: synchronous, best effort, no waiting for processes to go. */
export function destroyUnitNetworkNow(network: Pick<UnitNetwork, "netns">): void {
  try {
    for (const pid of execFileSync("ip", ["netns", "pids", network.netns], { encoding: "utf8", env: TOOL_ENV }).split(/\s+/).filter(Boolean)) {
      process.kill(Number(pid), "SIGKILL");
    }
    execFileSync("ip", ["netns", "del", network.netns], { stdio: "ignore", env: TOOL_ENV });
    rmSync(recordPath(network.netns), { force: true });
  } catch {
    // cleanupStale() removes whatever is left: the record still names this dead process as the owner
  }
}

/**
 * Removes namespaces, veth pairs and processes that crashed runs left behind: every `psim-*`
 * namespace whose owner process is gone. Returns the names removed.
 */
export async function cleanupStale(): Promise<string[]> {
  const names = (await readdir(NETNS_DIR).catch(() => [] as string[])).filter((name) => name.startsWith(NETNS_PREFIX));
  const removed: string[] = [];
  for (const netns of names) {
    if (!(await isAbandoned(netns))) continue;
    await destroyUnitNetwork({ netns, hostInterface: `psim${netns.slice(NETNS_PREFIX.length)}` });
    removed.push(netns);
  }
  return removed;
}

async function isAbandoned(netns: string): Promise<boolean> {
  let record: OwnerRecord;
  try {
    record = JSON.parse(await readFile(recordPath(netns), "utf8")) as OwnerRecord;
  } catch {
    const created = await stat(join(NETNS_DIR, netns)).catch(() => undefined);
    return created !== undefined && Date.now() - created.mtimeMs > UNRECORDED_GRACE_MS;
  }
  return (await processStart(record.ownerPid)) !== record.ownerStart;
}

/** Field 22 of /proc/<pid>/stat (start time), or undefined when the process does not exist. */
async function processStart(pid: number): Promise<string | undefined> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => undefined);
  // The command name (field 2) may contain spaces and parentheses: count fields after its last ")".
  return stat?.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
}

function recordPath(netns: string): string {
  return join(RECORD_DIR, `${netns}.json`);
}

async function ip(...args: string[]): Promise<void> {
  try {
    await run("ip", args, { env: TOOL_ENV });
  } catch (error) {
    const stderr = String((error as { stderr?: string }).stderr ?? "").trim();
    throw new Error(`\`ip ${args.join(" ")}\` failed: ${stderr || (error as Error).message}`);
  }
}
