// npm run bench: packs the charm, then measures, in one run, the floor (`node -e 0` with the charm's own
// Node runtime), the packed binary's cold start, the common events on an active unit, and how an event's
// cost grows with the deployment. Every figure is min/median/max over its runs; CPU is compared with the
// floor measured in the same run, since shared machines drift between runs. Targets live here, never in
// timed tests.
//   npm run bench [-- --no-pack] [--runs N] [--json [FILE]] [--plot [FILE]]
//   --json writes every figure (default dist/bench.json), for comparison between commits;
//   --plot writes the growth figures as an SVG (default docs/bench-growth.svg, the README's plot).
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { coldStart, floor, type StartFigures } from "./coldStart.ts";
import { benchEvents } from "./events.ts";
import { benchGrowth, type GrowthPoint } from "./growth.ts";
import { growthSvg } from "./plot.ts";
import { startBenchUnit, type EventFigures } from "./scenario.ts";
import { formatSpread } from "./stats.ts";

/** Every event's charm CPU stays within this many floors, and its peak RSS within RSS_TARGET_MB. */
const CPU_TARGET_FLOORS = 3;
const RSS_TARGET_MB = 60;

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const runs = Number(option("--runs", "10") ?? "10");
const jsonPath = option("--json", join(root, "dist", "bench.json"));
const plotPath = option("--plot", join(root, "docs", "bench-growth.svg"));
const charmPath = join(root, "dist", `example-app_${process.arch === "arm64" ? "arm64" : "amd64"}.charm`);
if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs takes a positive whole number, not ${runs}`);

/** Undefined without `flag`; with it, the value after it, or `whenBare` when none follows. */
function option(flag: string, whenBare: string): string | undefined {
  const i = args.indexOf(flag);
  if (i < 0) return undefined;
  const value = args[i + 1];
  return value && !value.startsWith("--") ? value : whenBare;
}

if (!args.includes("--no-pack")) {
  execFileSync(process.execPath, [join(root, "scripts", "pack.ts"), "--out", join(root, "dist")], { stdio: "inherit" });
}

const floorFigures = floor();
const ratio = (cpuMs: number) => cpuMs / floorFigures.cpuMs.median;
console.log(`\nfloor: node -e 0 with the charm's Node ${process.versions.node} runtime (${floorFigures.runs} runs; figures are min/median/max)`);
printStart("node -e 0", floorFigures);
const cold = coldStart(charmPath);
console.log(`cold start: the packed binary on an event it does not handle (${cold.runs} runs)`);
printStart("charm, no event", cold);

const unit = await startBenchUnit(charmPath);
let events: Record<string, EventFigures>;
let growth: GrowthPoint[];
try {
  events = await benchEvents(unit, runs);
  growth = await benchGrowth(unit, Math.max(3, Math.round(runs / 2)));
} finally {
  await unit.stop();
}

console.log(`\nevents on an active leader with PostgreSQL and ingress related, in its pod on a real kube-apiserver (${runs} runs each)`);
console.log(`target: charm CPU <= ${CPU_TARGET_FLOORS} x the floor's median (${(CPU_TARGET_FLOORS * floorFigures.cpuMs.median).toFixed(1)} ms), peak RSS <= ${RSS_TARGET_MB} MB`);
printEventTable(Object.entries(events).map(([name, f]) => [name, f]));
const misses = Object.entries(events).filter(([, f]) => ratio(f.cpuMs.median) > CPU_TARGET_FLOORS || (f.rssMb?.max ?? 0) > RSS_TARGET_MB).map(([name]) => name);
console.log(misses.length ? `over target: ${misses.join(", ")}` : "every event within target");

console.log(`\ngrowth: one event as the deployment grows (${growth[0]?.figures.runs} runs each)`);
printEventTable(growth.map((p) => [`${p.event}, ${p.size} ${p.series}`, p.figures]));

if (jsonPath) {
  mkdirSync(dirname(jsonPath), { recursive: true });
  writeFileSync(jsonPath, `${JSON.stringify({
    node: process.versions.node, date: new Date().toISOString(), targets: { cpuFloors: CPU_TARGET_FLOORS, rssMb: RSS_TARGET_MB },
    floor: floorFigures, coldStart: { ...cold, floors: ratio(cold.cpuMs.median) },
    events: Object.fromEntries(Object.entries(events).map(([name, f]) => [name, { ...f, floors: ratio(f.cpuMs.median) }])),
    growth: growth.map((p) => ({ ...p, floors: ratio(p.figures.cpuMs.median) })),
  }, null, 2)}\n`);
  console.log(`\nfigures written to ${jsonPath}`);
}
if (plotPath) {
  writeFileSync(plotPath, growthSvg(growth, floorFigures.cpuMs.median));
  console.log(`growth plot written to ${plotPath}`);
}
process.exit(0);

function printStart(name: string, f: StartFigures): void {
  console.log(`  ${name.padEnd(20)} CPU ${formatSpread(f.cpuMs)} ms (${ratio(f.cpuMs.median).toFixed(2)} x floor)   wall ${formatSpread(f.wallMs)} ms   peak RSS ${formatSpread(f.rssMb)} MB`);
}

function printEventTable(rows: Array<[string, EventFigures]>): void {
  const width = Math.max(...rows.map(([name]) => name.length));
  console.log(`  ${"event".padEnd(width)}  ${"charm CPU ms".padEnd(17)} x floor  ${"peak RSS MB".padEnd(14)} hook tools  Pebble  Kubernetes`);
  for (const [name, f] of rows) {
    console.log(`  ${name.padEnd(width)}  ${formatSpread(f.cpuMs).padEnd(17)} ${ratio(f.cpuMs.median).toFixed(2).padStart(7)}  ${(f.rssMb ? formatSpread(f.rssMb) : "n/a (no ptrace)").padEnd(14)} ${formatSpread(f.hookToolCalls, 0).padStart(10)}  ${formatSpread(f.pebbleRequests, 0).padStart(6)}  ${formatSpread(f.kubernetesRequests, 0).padStart(10)}`);
  }
}
