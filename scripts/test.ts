// npm test: builds and packs the charm once (tests run the packed artifact, not the sources), then runs
// every tests/**/*.test.ts file with Node's test runner (TAP on stdout), and ends with a summary: counts per
// tier (directory of tests/), each failing test with its file, and the secret audit's result, whether or not
// something failed. Extra arguments select test files. `--fast` (npm run test:fast) runs the pure and
// in-process tiers alone, two files at a time: no packing, no type-check, no containers, no servers.
// Usage: node scripts/test.ts [--fast | file ...]
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { SECRET_AUDIT_ENV } from "../simulator/hookTools/secretAudit.ts";
import { testEnvironment } from "../tests/support/paths.ts";

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
const files = fast ? FAST_TIERS : process.argv.slice(2);
// Every hook tool the simulator runs in any test reports secret values in its argv here (and so in
// juju-log, statuses, relation data or action results); the run fails if one did.
const auditDir = mkdtempSync(join(tmpdir(), "secret-audit-"));
const auditFile = join(auditDir, "leaks.jsonl");
writeFileSync(auditFile, "");
env[SECRET_AUDIT_ENV] = auditFile;
const summaryFile = join(auditDir, "summary.txt");
const tests = spawnSync(process.execPath, [
  "--test", `--test-concurrency=${fast ? 2 : 1}`, "--test-timeout=600000",
  "--test-reporter=tap", "--test-reporter-destination=stdout",
  `--test-reporter=${join(root, "scripts", "testSummary.ts")}`, `--test-reporter-destination=${summaryFile}`,
  ...(files.length ? files : ["tests/**/*.test.ts"]),
], { cwd: root, stdio: "inherit", env: { ...process.env, ...env } });
const leaks = readFileSync(auditFile, "utf8");
console.log(readFileSync(summaryFile, "utf8"));
rmSync(auditDir, { recursive: true, force: true });
if (leaks) console.error(`secret audit: secret values reached hook-tool argv or the charm's output:\n${leaks}`);
else console.log("secret audit: no secret value reached a hook tool's argv or the charm's output");
process.exit(tests.status === 0 && !leaks ? 0 : (tests.status || 1));

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit", env: { ...process.env, ...env } });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
