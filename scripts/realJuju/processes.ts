// The platform's long-running processes: each started detached with its output in logs/<name>.log and its
// pid in pids/<name>.pid, so `down` (another invocation) stops exactly what `up` started and nothing else.
import { spawn } from "node:child_process";
import { existsSync, openSync, readdirSync, readFileSync } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { state } from "./layout.ts";
import { logFile } from "./steps.ts";

function pidFile(name: string): string {
  return join(state.pids, `${name}.pid`);
}

/** The pid `up` recorded for `name`, if that process is still alive. */
export function runningPid(name: string): number | undefined {
  const file = pidFile(name);
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, "utf8"));
  return Number.isInteger(pid) && alive(pid) ? pid : undefined;
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Starts `name` unless it runs already; returns its log file. */
export async function startDaemon(name: string, command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const log = logFile(name);
  if (runningPid(name)) return log;
  await mkdir(state.pids, { recursive: true });
  const out = openSync(log, "a");
  const child = spawn(command, args, { detached: true, stdio: ["ignore", out, out], env });
  await new Promise<void>((resolve, reject) => {
    child.once("spawn", resolve);
    child.once("error", (error) => reject(new Error(`cannot start ${name} (${command}: ${error.message})`)));
  });
  await writeFile(pidFile(name), String(child.pid));
  child.unref();
  return log;
}

/** Stops `name` (SIGTERM, then SIGKILL after `graceMs`) and forgets its pid. */
export async function stopDaemon(name: string, graceMs = 10_000): Promise<void> {
  const pid = runningPid(name);
  if (pid) await terminate([pid], graceMs);
  await rm(pidFile(name), { force: true });
}

export async function terminate(pids: number[], graceMs: number): Promise<void> {
  const signal = (which: NodeJS.Signals) => pids.filter(alive).forEach((pid) => { try { process.kill(pid, which); } catch { /* gone meanwhile */ } });
  signal("SIGTERM");
  const deadline = Date.now() + graceMs;
  while (pids.some(alive) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
  signal("SIGKILL");
  while (pids.some(alive)) await new Promise((resolve) => setTimeout(resolve, 100));
}

/** Every process whose command line mentions `marker` (a path only this platform uses), with its descendants. */
export function processesMentioning(marker: string): number[] {
  const parents = new Map<number, number>();
  const matched: number[] = [];
  for (const entry of readdirSync("/proc")) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      parents.set(pid, Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
      if (readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(marker)) matched.push(pid);
    } catch {
      // exited while we looked
    }
  }
  const found = new Set(matched);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, parent] of parents) if (!found.has(pid) && found.has(parent)) found.add(pid), (grew = true);
  }
  return [...found];
}
