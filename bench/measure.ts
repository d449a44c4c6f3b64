// Runs a command under GNU time to read what Node cannot tell about a child: its peak RSS and CPU time.
import { spawnSync, type SpawnSyncOptions } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface Measurement {
  wallMs: number;
  cpuMs: number;
  maxRssKb: number;
  status: number | null;
}

export function measure(command: string, args: string[], options: SpawnSyncOptions): Measurement {
  const dir = mkdtempSync(join(tmpdir(), "bench-"));
  const report = join(dir, "time");
  try {
    const started = process.hrtime.bigint();
    const result = spawnSync("/usr/bin/time", ["-o", report, "-f", "%U %S %M", command, ...args], { ...options, stdio: "ignore" });
    const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
    const [user, system, rss] = readFileSync(report, "utf8").trim().split("\n").at(-1)!.split(" ").map(Number);
    return { wallMs, cpuMs: (user! + system!) * 1000, maxRssKb: rss!, status: result.status };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
