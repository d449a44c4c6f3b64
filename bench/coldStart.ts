// Cold start of the packed charm: the .charm is unzipped and `dispatch` runs an event the charm does not
// handle, with a hand-made Juju environment, 20 times. Target: median <= 100 ms, peak RSS <= 60 MB.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { unpackCharm } from "../packing/unpack.ts";
import { measure, median, type Measurement } from "./measure.ts";

export function noOpEventEnvironment(charmDir: string): Record<string, string> {
  return {
    PATH: "/usr/bin:/bin",
    JUJU_DISPATCH_PATH: "hooks/collect-metrics",
    JUJU_HOOK_NAME: "collect-metrics",
    JUJU_UNIT_NAME: "example-app/0",
    JUJU_MODEL_NAME: "bench",
    JUJU_MODEL_UUID: "8d2ad0ac-7a0e-4f4b-8b59-2a4c1f0d1e11",
    JUJU_VERSION: "3.6.8",
    JUJU_CHARM_DIR: charmDir,
    CHARM_DIR: charmDir,
    JUJU_CONTEXT_ID: "example-app/0-collect-metrics-1",
  };
}

export function coldStart(charmPath: string, runs = 20): { runs: Measurement[] } {
  const charmDir = mkdtempSync(join(tmpdir(), "bench-charm-"));
  try {
    unpackCharm(charmPath, charmDir);
    const env = noOpEventEnvironment(charmDir);
    const results: Measurement[] = [];
    for (let i = 0; i < runs; i++) {
      const m = measure(join(charmDir, "dispatch"), [], { cwd: charmDir, env });
      if (m.status !== 0) throw new Error(`dispatch exited ${m.status} on a no-op event`);
      results.push(m);
    }
    return { runs: results };
  } finally {
    rmSync(charmDir, { recursive: true, force: true });
  }
}

export function reportColdStart(charmPath: string): void {
  const { runs } = coldStart(charmPath);
  const wall = runs.map((r) => r.wallMs);
  console.log("cold start of the packed binary (no-op event, 20 runs)");
  console.log(`  wall time   median ${median(wall).toFixed(1)} ms   max ${Math.max(...wall).toFixed(1)} ms   (target: median <= 100 ms)`);
  console.log(`  charm CPU   median ${median(runs.map((r) => r.cpuMs)).toFixed(1)} ms`);
  console.log(`  peak RSS    max ${(Math.max(...runs.map((r) => r.ownMaxRssKb ?? r.maxRssKb)) / 1024).toFixed(1)} MB   (target: <= 60 MB)`);
}
