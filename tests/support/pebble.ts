// Starts a real Pebble daemon for a test, the way Juju runs one in a workload container
// (`pebble run --create-dirs --hold`), with its state in memory and everything in a temp dir.
//
//   const pebble = await startPebble();            // { socketPath, dir, stop }
//   const client = new PebbleClient({ socketPath: pebble.socketPath });
//   after(() => pebble.stop());
//
// Options: `socketPath` puts the socket somewhere else (e.g. `<containers dir>/<container>/pebble.socket`,
// parent directories are created); `env` adds to the daemon's environment, which services and exec inherit.
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { mkdtemp, mkdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { pebbleAnswers } from "../../simulator/containers/container.ts";
import { pebbleBin } from "./paths.ts";

export interface PebbleDaemon {
  /** The Unix socket the daemon listens on. */
  socketPath: string;
  /** `$PEBBLE`: a fresh temp dir, removed by `stop()`. */
  dir: string;
  /** Stops the daemon (SIGTERM, so it stops its services; SIGKILL after 10 s) and removes `dir`. */
  stop(): Promise<void>;
}

export interface StartPebbleOptions {
  socketPath?: string;
  env?: Record<string, string>;
}

const READY_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 10_000;
/** Daemons still running: killed if the test process exits without stopping them. */
const running = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

export async function startPebble(options: StartPebbleOptions = {}): Promise<PebbleDaemon> {
  const dir = await mkdtemp(join(tmpdir(), "pebble-"));
  const socketPath = options.socketPath ?? join(dir, "pebble.socket");
  await mkdir(dirname(socketPath), { recursive: true });
  const child = spawn(pebbleBin, ["run", "--create-dirs", "--hold"], {
    env: { ...process.env, ...options.env, PEBBLE: dir, PEBBLE_SOCKET: socketPath, PEBBLE_PERSIST: "never" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add(child);
  let output = "";
  const keep = (chunk: Buffer) => (output = (output + chunk.toString("utf8")).slice(-4000));
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.once("exit", () => running.delete(child));

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    }
    await rm(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!(await pebbleAnswers(socketPath))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`Pebble (${pebbleBin}) did not come up on ${socketPath}; its output:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { socketPath, dir, stop };
}

