// A Juju unit's workload container: a real Pebble daemon started the way Juju starts it, in its own
// mount, UTS and network namespaces (see README.md for the layout and why).
//
//   const container = await startWorkloadContainer({ unitName: "web/0", containerName: "app", rock, socketDir, workDir });
//   // the charm talks to `${socketDir}/pebble.socket`; the app serves on http://${container.address}:<port>
//   await container.restart();   // pod churn: fresh filesystem and Pebble, rock layer only
//   // Pebble dying on its own is a dead container: the kubelet restarts it (CONTAINER_BACKOFF), onRestart says when
//   await container.stop();      // processes, namespaces, veth pair and workDir gone
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { mkdir, realpath, rm, stat, writeFile } from "node:fs/promises";
import { request } from "node:http";
import { dirname, isAbsolute, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Rock } from "../rocks/types.ts";
import { baseRootfs, debianRootfs } from "./baseRootfs.ts";
import { renderInitScript, ROCK_PATH } from "./initScript.ts";
import type { InitPlan, ResolvedMount } from "./initScript.ts";
import { cleanupStale, createUnitNetwork, destroyUnitNetwork, destroyUnitNetworkNow, killNetnsProcesses } from "./network.ts";
import type { UnitNetwork } from "./network.ts";
import { checkPrerequisites } from "./prerequisites.ts";

export { cleanupStale } from "./network.ts";

export interface WorkloadContainerOptions {
  /** The Juju unit, e.g. "example-app/0"; the container's hostname is its pod name, "example-app-0". */
  unitName: string;
  /** The container's name in metadata.yaml, e.g. "app". */
  containerName: string;
  rock: Rock;
  /** Host dir that plays the charm container's /charm/containers/<name>: the socket appears at <socketDir>/pebble.socket. */
  socketDir: string;
  /** Host dir the container owns (init script, layer, staging mount point); created, and removed by stop(). */
  workDir: string;
  /** Default: $PEBBLE_BIN, else the repository's .cache/bin/pebble (built by scripts/setup.sh). */
  pebbleBin?: string;
}

export interface WorkloadContainer {
  /** `<socketDir>/pebble.socket`, served by the container's Pebble as root (admin access). */
  readonly socketPath: string;
  /** The unit's own IP: what it listens on (0.0.0.0 inside) is at http://<address>:<port> from the host. */
  readonly address: string;
  /** The host's end of the unit's link: the only host address the unit can reach. */
  readonly hostAddress: string;
  /** The unit's network namespace (`ip netns exec <netns> ...` runs a command in the unit's network). */
  readonly netns: string;
  /** Pebble's process id on the host (changes on restart). */
  readonly pid: number;
  /** Stops Pebble (SIGTERM, so it stops its services), kills what is left, removes namespaces, veth pair, the socket, $PEBBLE and workDir. Idempotent. */
  stop(): Promise<void>;
  /** A pod restart: Pebble and every process killed, then a fresh container (empty /tmp and empty dirs, rock layer only) on the same address. */
  restart(): Promise<void>;
  /** What Pebble printed so far in this container's life (its log and, with --verbose, its services' output), the last 1 MiB. */
  logs(): string;
  /** How many times the kubelet restarted the container after its Pebble died. */
  readonly restartCount: number;
  /** Called after each such restart, once the new Pebble answers (Juju's poller then sees a new boot id). */
  onRestart(listener: () => void): void;
}

const READY_TIMEOUT_MS = 15_000;
/** sun_path holds 108 bytes with its terminating NUL. */
const MAX_SOCKET_PATH = 107;
const STOP_GRACE_MS = 10_000;
const LOG_LIMIT = 1024 * 1024;
/**
 * The kubelet's container restart back-off (restartPolicy Always): the first restart at once, then 10 s
 * doubling to 5 min; a container that ran 10 min starts over (kubelet's backOff and its GC at twice the cap).
 */
export const CONTAINER_BACKOFF = { initialMs: 10_000, maxMs: 300_000, resetAfterMs: 600_000 };
const defaultPebbleBin = join(dirname(fileURLToPath(import.meta.url)), "..", "..", ".cache", "bin", "pebble");

/** A crashed earlier run's leftovers are removed before this process starts its first container. */
let staleRemoved: Promise<unknown> | undefined;
/** Containers not yet stopped: their namespaces are torn down if the process exits without stop(). */
const live = new Set<UnitNetwork>();
process.once("exit", () => {
  for (const network of live) destroyUnitNetworkNow(network);
});

export async function startWorkloadContainer(options: WorkloadContainerOptions): Promise<WorkloadContainer> {
  const pebbleBin = options.pebbleBin ?? process.env.PEBBLE_BIN ?? defaultPebbleBin;
  await checkPrerequisites(pebbleBin);
  staleRemoved ??= cleanupStale();
  await staleRemoved;
  const label = `${options.unitName} container ${options.containerName}`;
  const mounts = await resolveMounts(options.rock, label);
  await mkdir(options.socketDir, { recursive: true });
  await mkdir(options.workDir, { recursive: true });
  const socketDir = await realpath(options.socketDir);
  const workDir = await realpath(options.workDir);
  const socketPath = join(socketDir, "pebble.socket");
  if (Buffer.byteLength(socketPath) > MAX_SOCKET_PATH) {
    throw new Error(`${label}: its Pebble socket ${socketPath} is ${Buffer.byteLength(socketPath)} bytes long, and a Unix socket's path takes at most ${MAX_SOCKET_PATH}: use a shorter JUJU_SIM_HOME (or socketDir)`);
  }
  const layerFile = join(workDir, "rock-layer.yaml");
  await writeFile(layerFile, options.rock.layer);

  const network = await createUnitNetwork(label);
  live.add(network);
  const plan: InitPlan = {
    rootfs: options.rock.packages ? await debianRootfs(options.rock.packages) : await baseRootfs(),
    stageDir: join(workDir, "stage"),
    hostname: options.unitName.replace("/", "-"),
    address: network.address,
    socketDir,
    pebbleBin: await realpath(pebbleBin),
    layerFile,
    layerName: layerFileName(options.rock.framework),
    mounts,
    emptyDirs: options.rock.emptyDirs,
    users: options.rock.users,
  };
  const initScript = join(workDir, "init.sh");
  await writeFile(initScript, renderInitScript(plan));

  let output = "";
  let pebble: ChildProcess | undefined;
  let stopped = false;
  /** Set while the simulator itself stops Pebble: that exit is not a crash. */
  let terminating = false;
  let startedAt = 0;
  let nextDelayMs: number | undefined;
  let restartTimer: NodeJS.Timeout | undefined;
  let restartCount = 0;
  let started = false;
  const listeners: Array<() => void> = [];

  // Pebble is the container's PID 1: when it dies the container is dead, and the kubelet restarts it in
  // the same pod ($PEBBLE, an emptyDir of the pod, is kept; the container's own filesystem is new).
  const onExit = (child: ChildProcess) => {
    // A container that never started is the caller's failure to report, not the kubelet's to restart.
    if (stopped || terminating || child !== pebble || !started) return;
    const delay = Date.now() - startedAt >= CONTAINER_BACKOFF.resetAfterMs || nextDelayMs === undefined ? 0 : nextDelayMs;
    nextDelayMs = delay === 0 ? CONTAINER_BACKOFF.initialMs : Math.min(delay * 2, CONTAINER_BACKOFF.maxMs);
    restartTimer = setTimeout(() => {
      restartTimer = undefined;
      void (async () => {
        await killNetnsProcesses(network.netns);
        if (stopped) return;
        await launch({ keepPebbleState: true });
        restartCount++;
        for (const listener of listeners) listener();
      })().catch((error: Error) => {
        output += `\nkubelet: restarting the container failed: ${error.message}\n`;
      });
    }, delay);
  };

  const launch = async (options: { keepPebbleState?: boolean } = {}) => {
    // A new pod gets a new emptyDir: no $PEBBLE state (so PEBBLE_COPY_ONCE seeds the rock's layer) and no socket.
    if (!options.keepPebbleState) await rm(join(socketDir, "pebble"), { recursive: true, force: true });
    await rm(socketPath, { force: true });
    terminating = false;
    startedAt = Date.now();
    output = "";
    const child = spawn("nsenter", [`--net=${network.netnsPath}`, "--", "unshare", "--mount", "--uts", "--propagation", "private", "--", "/bin/sh", initScript], {
      stdio: ["ignore", "pipe", "pipe"],
      env: { PATH: ROCK_PATH },
    });
    const keep = (chunk: Buffer) => {
      output += chunk.toString("utf8");
      if (output.length > LOG_LIMIT) output = output.slice(-LOG_LIMIT);
    };
    child.stdout!.on("data", keep);
    child.stderr!.on("data", keep);
    child.once("exit", () => onExit(child));
    pebble = child;
    await waitReady(child, socketPath, () => output, label);
  };

  // SIGTERM first so Pebble stops its services as Kubernetes' termination would; then nothing survives.
  const terminate = async () => {
    terminating = true;
    clearTimeout(restartTimer);
    restartTimer = undefined;
    const child = pebble;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      child.kill("SIGTERM");
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, STOP_GRACE_MS))]);
    }
    await killNetnsProcesses(network.netns);
  };

  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await terminate();
    await destroyUnitNetwork(network);
    live.delete(network);
    await rm(join(socketDir, "pebble"), { recursive: true, force: true });
    await rm(socketPath, { force: true });
    await rm(workDir, { recursive: true, force: true });
  };

  try {
    await launch();
    started = true;
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    socketPath,
    address: network.address,
    hostAddress: network.hostAddress,
    netns: network.netns,
    get pid() {
      return pebble?.pid ?? -1;
    },
    stop,
    async restart() {
      if (stopped) throw new Error(`${label} is stopped: start a new one instead of restarting it`);
      await terminate();
      nextDelayMs = undefined;
      try {
        await launch();
      } catch (error) {
        await stop();
        throw error;
      }
    },
    logs: () => output,
    get restartCount() {
      return restartCount;
    },
    onRestart: (listener) => {
      listeners.push(listener);
    },
  };
}

/**
 * rockcraft names the layer file after the rock, which a Rock does not carry; the framework alone
 * would not do for Go, as Pebble refuses labels under three characters ("001-go.yaml").
 */
export function layerFileName(framework: string): string {
  return `001-${framework}-rock.yaml`;
}

async function resolveMounts(rock: Rock, label: string): Promise<ResolvedMount[]> {
  for (const path of [...rock.mounts.map((m) => m.containerPath), ...rock.emptyDirs.map((d) => d.containerPath)]) {
    if (!isAbsolute(path) || path === "/") throw new Error(`${label}: the ${rock.framework} rock's container path "${path}" must be absolute and not /`);
  }
  return Promise.all(
    rock.mounts.map(async (mount) => {
      let hostPath: string;
      try {
        hostPath = await realpath(mount.hostPath);
      } catch {
        throw new Error(`${label}: the ${rock.framework} rock mounts ${mount.hostPath} at ${mount.containerPath}, but ${mount.hostPath} does not exist: rebuild the rock`);
      }
      const kind: ResolvedMount["kind"] = (await stat(hostPath)).isDirectory() ? "directory" : "file";
      return { hostPath, containerPath: mount.containerPath, readOnly: mount.readOnly ?? false, kind };
    }),
  );
}

async function waitReady(child: ChildProcess, socketPath: string, output: () => string, label: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!(await pebbleAnswers(socketPath))) {
    const exited = child.exitCode !== null || child.signalCode !== null;
    if (exited || Date.now() > deadline) {
      const why = exited ? `exited with ${child.exitCode ?? child.signalCode}` : `did not answer on ${socketPath} within ${READY_TIMEOUT_MS / 1000} s`;
      throw new Error(`${label}: Pebble ${why}; its output:\n${output().split("\n").slice(-40).join("\n")}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** One GET /v1/system-info over the socket: true once the daemon serves requests. */
export function pebbleAnswers(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ socketPath, path: "/v1/system-info", timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on("error", () => resolve(false));
    req.on("timeout", () => req.destroy());
    req.end();
  });
}
