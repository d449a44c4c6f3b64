// The floor every event is compared with, and the packed binary's own start-up. The floor is one start of
// the Node runtime the charm is built from (`node -e 0`): no charm can cost less than that. The cold start
// unzips the .charm and has `dispatch` run an event the charm does not handle, with a hand-made Juju
// environment: what the binary costs before it does anything.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { unpackCharm } from "../packing/unpack.ts";
import { nodeBin } from "../tests/support/paths.ts";
import { measure, type Measurement } from "./measure.ts";
import { spread, type Spread } from "./stats.ts";

export interface StartFigures {
  runs: number;
  cpuMs: Spread;
  wallMs: Spread;
  rssMb: Spread;
}

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

function figures(runs: Measurement[]): StartFigures {
  return {
    runs: runs.length,
    cpuMs: spread(runs.map((r) => r.cpuMs)),
    wallMs: spread(runs.map((r) => r.wallMs)),
    rssMb: spread(runs.map((r) => (r.ownMaxRssKb ?? r.maxRssKb) / 1024)),
  };
}

function repeat(runs: number, run: () => Measurement, what: string): Measurement[] {
  const results: Measurement[] = [];
  for (let i = 0; i < runs; i++) {
    const m = run();
    if (m.status !== 0) throw new Error(`${what} exited ${m.status}`);
    results.push(m);
  }
  return results;
}

/** `node -e 0` with the pinned runtime. */
export function floor(runs = 20): StartFigures {
  return figures(repeat(runs, () => measure(nodeBin, ["-e", "0"], { env: { PATH: "/usr/bin:/bin" } }), "node -e 0"));
}

export function coldStart(charmPath: string, runs = 20): StartFigures {
  const charmDir = mkdtempSync(join(tmpdir(), "bench-charm-"));
  try {
    unpackCharm(charmPath, charmDir);
    const env = noOpEventEnvironment(charmDir);
    return figures(repeat(runs, () => measure(join(charmDir, "dispatch"), [], { cwd: charmDir, env }), "dispatch of a no-op event"));
  } finally {
    rmSync(charmDir, { recursive: true, force: true });
  }
}
