// npm test: builds and packs the charm once (tests run the packed artifact, not the sources), then runs
// every tests/**/*.test.ts file with Node's test runner (TAP on stdout), and ends with a summary: counts and
// time per tier (directory of tests/), the slowest files, each failing test with its file, and the secret
// audit's result, whether or not something failed. Extra arguments select test files; `--fast` (npm run
// test:fast) runs the pure and in-process tiers alone: no packing, no type-check, no containers, no servers.
//
// Files run concurrently (TEST_CONCURRENCY, default one more than the cores: most tests wait on hooks,
// Pebble and servers rather than compute), the longest first by the times the last run recorded in the
// user's cache directory, so the run does not end waiting on one long file started last. Every test is
// isolated for that: its own simulator home, network slots, ports and temporary directories. A file's
// time limit (20 min) is for a hang; a loaded machine takes the longest files past 10.
//
// The real-controller tier (tests/realJuju/*.real.ts: `real-juju up`, the example and the integration
// suite on a Juju 4.1 controller, `down`; alone with `npm run test:real`) runs after the others, by
// itself: bringing its node up and down sets the host's ip_forward, which would cut the simulator's units
// off each other in the middle of their tests.
// Usage: node scripts/test.ts [--fast | file ...]
import { spawnSync } from "node:child_process";
import { globSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { userCacheDir } from "../simulator/containers/baseRootfs.ts";
import { SECRET_AUDIT_ENV } from "../simulator/hookTools/secretAudit.ts";
import { testEnvironment } from "../tests/support/paths.ts";
import { recordedDurations } from "./testSummary.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const env = testEnvironment();

/** The pure tiers (src/paas's rules, the Juju boundary against fake tools) and the charm's reconcile in-process. */
const FAST_TIERS = [
  "tests/paas/**/*.test.ts", "tests/juju/*.test.ts", "tests/inProcess/*.test.ts", "tests/runtime/commandOutput.test.ts",
  "tests/kubernetes/workloadInTrouble.test.ts",
];
const fast = process.argv[2] === "--fast";
if (!fast) {
  run(process.execPath, [join(root, "scripts", "pack.ts"), "--out", join(root, "dist")]);
  run(join(root, "node_modules", ".bin", "tsc"), ["-p", join(root, "tsconfig.json")]);
}
const requested = fast ? [] : process.argv.slice(2);
const durationsFile = join(userCacheDir(), "test-durations.json");
mkdirSync(userCacheDir(), { recursive: true });
env.TEST_DURATIONS_FILE = durationsFile;
const selected = requested.length ? requested : (fast ? FAST_TIERS : ["tests/**/*.test.ts", "tests/**/*.real.ts"]).flatMap((glob) => globSync(glob, { cwd: root }));
const isReal = (path: string) => path.endsWith(".real.ts");
const phases = [
  { files: longestFirst(selected.filter((path) => !isReal(path)), durationsFile), concurrency: Number(process.env.TEST_CONCURRENCY) || availableParallelism() + 1 },
  { files: selected.filter(isReal), concurrency: 1 },
].filter((phase) => phase.files.length > 0);
// Every hook tool the simulator runs in any test reports secret values in its argv here (and so in
// juju-log, statuses, relation data or action results); the run fails if one did.
const auditDir = mkdtempSync(join(tmpdir(), "secret-audit-"));
const auditFile = join(auditDir, "leaks.jsonl");
writeFileSync(auditFile, "");
env[SECRET_AUDIT_ENV] = auditFile;
const started = Date.now();
let failed = false;
const summaries: string[] = [];
for (const [index, phase] of phases.entries()) {
  const summaryFile = join(auditDir, `summary-${index}.txt`);
  const phaseStarted = Date.now();
  const tests = spawnSync(process.execPath, [
    "--test", `--test-concurrency=${phase.concurrency}`, "--test-timeout=1200000",
    "--test-reporter=tap", "--test-reporter-destination=stdout",
    `--test-reporter=${join(root, "scripts", "testSummary.ts")}`, `--test-reporter-destination=${summaryFile}`,
    ...phase.files,
  ], { cwd: root, stdio: "inherit", env: { ...process.env, ...env } });
  failed ||= tests.status !== 0;
  summaries.push(readFileSync(summaryFile, "utf8"), `${phase.files.length} files, ${phase.concurrency} at a time: ${minutesSince(phaseStarted)} min`);
}
const leaks = readFileSync(auditFile, "utf8");
console.log(summaries.join("\n"));
if (phases.length > 1) console.log(`all tiers: ${minutesSince(started)} min`);
rmSync(auditDir, { recursive: true, force: true });
if (leaks) console.error(`secret audit: secret values reached hook-tool argv or the charm's output:\n${leaks}`);
else console.log("secret audit: no secret value reached a hook tool's argv or the charm's output");
process.exit(failed || leaks ? 1 : 0);

function minutesSince(time: number): string {
  return ((Date.now() - time) / 60_000).toFixed(1);
}

/** Files the last runs timed, longest first; files never timed (new ones) before them all. */
function longestFirst(paths: string[], recorded: string): string[] {
  const times = recordedDurations(recorded);
  const time = (path: string) => times[path] ?? Infinity;
  return [...paths].sort((a, b) => time(b) - time(a));
}

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit", env: { ...process.env, ...env } });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
