// Runs a rock's main Pebble service directly on the host (no namespaces): the command and working dir
// of the service named after the framework, with every container path that the rock mounts replaced
// by its host path. Proves a built rock's app really serves, without the simulator's container runtime.
//
//   const service = await startRockService(rock, { port, env: { PORT: String(port) } });
//   after(() => service.stop());
//   await fetch(`${service.url}/`);
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { parse } from "yaml";
import type { Rock } from "../../simulator/rocks/types.ts";

export { freePort } from "../../simulator/servers/postgres.ts";

export interface HostCommand {
  argv: string[];
  cwd: string;
  env: Record<string, string>;
}

export interface RockService {
  url: string;
  /** Everything the service printed so far (stdout and stderr). */
  output(): string;
  /** SIGTERM to its process group, SIGKILL after 10 s. */
  stop(): Promise<void>;
}

interface LayerService {
  command: string;
  "working-dir"?: string;
  environment?: Record<string, string>;
}

const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;

/** The rock's main service as a host command. `replace` maps whole command tokens first (e.g. a config file). */
export function hostCommand(rock: Rock, env: Record<string, string>, replace: Record<string, string> = {}): HostCommand {
  const layer = parse(rock.layer) as { services: Record<string, LayerService> };
  const service = layer.services[rock.framework];
  if (!service) throw new Error(`the ${rock.framework} rock's layer has no "${rock.framework}" service`);
  const argv = splitCommand(service.command).map((token, index) => replace[token] ?? hostPath(rock, token, index === 0));
  // `python3` (migrate.sh, manage.py) must find the rock's Python, as it does in the container.
  const python = rock.mounts.find((mount) => mount.containerPath === "/usr/bin/python3");
  const path = [...(python ? [dirname(python.hostPath)] : []), "/usr/local/bin", "/usr/bin", "/bin"].join(":");
  return {
    argv,
    cwd: service["working-dir"] ? hostDir(rock, service["working-dir"]) : tmpdir(),
    env: { PATH: path, HOME: process.env["HOME"] ?? "/root", LANG: "C.UTF-8", ...service.environment, ...env },
  };
}

/** The host directory shown at `containerDir`: a mounted directory, or the source of the entries mounted in it. */
export function hostDir(rock: Rock, containerDir: string): string {
  const whole = rock.mounts.find((mount) => mount.containerPath === containerDir);
  if (whole) return whole.hostPath;
  const entry = rock.mounts.find((mount) => dirname(mount.containerPath) === containerDir);
  return entry ? dirname(entry.hostPath) : tmpdir();
}

export async function startRockService(rock: Rock, options: { port: number; env: Record<string, string>; replace?: Record<string, string> }): Promise<RockService> {
  const command = hostCommand(rock, options.env, options.replace);
  const [program, ...args] = command.argv;
  const child = spawn(program!, args, { cwd: command.cwd, env: command.env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const keep = (chunk: Buffer) => (output = (output + chunk.toString("utf8")).slice(-20_000));
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  const exited = new Promise<void>((resolve) => child.once("close", () => resolve()));
  child.once("error", (error) => (output += `\ncannot start ${program}: ${error.message}`));

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
    process.kill(-child.pid, "SIGTERM");
    const timer = setTimeout(() => child.pid !== undefined && process.kill(-child.pid, "SIGKILL"), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  };
  const url = `http://127.0.0.1:${options.port}`;
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (true) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`\`${command.argv.join(" ")}\` exited (${child.exitCode ?? child.signalCode}) before serving:\n${output}`);
    }
    const status = await fetch(`${url}/`).then((response) => response.status, () => 0);
    if (status === 200) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`\`${command.argv.join(" ")}\` did not answer GET / with 200 within ${READY_TIMEOUT_MS / 1000} s (last status ${status}):\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { url, output: () => output, stop };
}

/** Runs a command the way the charm execs it in the workload (e.g. migrate.sh), in a container directory. */
export function runInRock(rock: Rock, argv: string[], options: { workingDir: string; env: Record<string, string> }): Promise<{ code: number; output: string }> {
  const command = hostCommand(rock, options.env);
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { cwd: hostDir(rock, options.workingDir), env: command.env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    child.once("error", reject);
    child.once("close", (code) => resolve({ code: code ?? -1, output }));
  });
}

/** A temp dir for a test's own files (e.g. the gunicorn.conf.py the charm would write), with its cleanup. */
export async function scratchDir(): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), "rock-test-"));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** Pebble's command splitting: whitespace-separated, quotes group; the `[ ]` default-argument brackets dropped. */
function splitCommand(command: string): string[] {
  const tokens: string[] = [];
  let current = "";
  let started = false;
  let quote = "";
  for (const char of command) {
    if (quote) {
      if (char === quote) quote = "";
      else current += char;
    } else if (char === '"' || char === "'") {
      quote = char;
      started = true;
    } else if (/\s/.test(char)) {
      if (started) tokens.push(current);
      current = "";
      started = false;
    } else {
      current += char;
      started = true;
    }
  }
  if (started) tokens.push(current);
  return tokens.filter((token) => token !== "[" && token !== "]");
}

/** A container path in a command, as a host path; the rock's /bin is /usr/bin. A bare program name is
 * looked up in the rock's /usr/local/bin (go-framework's binary), else left to the host's PATH. */
function hostPath(rock: Rock, token: string, isProgram: boolean): string {
  const path = isProgram && !token.includes("/") ? `/usr/local/bin/${token}` : token.replace(/^\/bin\//, "/usr/bin/");
  const mounts = [...rock.mounts].sort((a, b) => b.containerPath.length - a.containerPath.length);
  for (const mount of mounts) {
    if (path === mount.containerPath || path.startsWith(`${mount.containerPath}/`)) return mount.hostPath + path.slice(mount.containerPath.length);
  }
  return token;
}
