// Measures a child process with what Node cannot read about one: its own CPU time (not its children's),
// its own peak RSS and its wall time, through bench/childUsage.py (Python's waitid/wait4, CPU clocks, ptrace).
import { spawnSync, type SpawnSyncOptions } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const childUsage = join(dirname(fileURLToPath(import.meta.url)), "childUsage.py");

export interface Measurement {
  wallMs: number;
  /** The process's own CPU time, user + system: what it spent, not what the programs it ran spent. */
  cpuMs: number;
  /** CPU time of the process and every child it waited for. */
  treeCpuMs: number;
  /** The largest peak RSS of the process and the children it waited for. */
  maxRssKb: number;
  /** The process's own peak RSS, read at its exit; absent where ptrace is not allowed. */
  ownMaxRssKb?: number;
  status: number | null;
}

/** The command prefix that makes `command` write its Measurement (without status) to `report`. */
export function measuredCommand(report: string): string[] {
  return ["/usr/bin/python3", childUsage, report];
}

export function readMeasurement(report: string, status: number | null): Measurement {
  return { ...(JSON.parse(readFileSync(report, "utf8")) as Omit<Measurement, "status">), status };
}

export function measure(command: string, args: string[], options: SpawnSyncOptions): Measurement {
  const dir = mkdtempSync(join(tmpdir(), "bench-"));
  const report = join(dir, "usage.json");
  try {
    const [python, ...prefix] = measuredCommand(report);
    const env = { ...(options.env ?? process.env), PYTHONCOERCECLOCALE: "0" };
    const result = spawnSync(python!, [...prefix, command, ...args], { ...options, env, stdio: "ignore" });
    return readMeasurement(report, result.status);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
