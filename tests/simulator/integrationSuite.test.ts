// The project's integration suite (tests/integration, jubilant + pytest, written for a real controller)
// run unchanged against the simulator's juju: the packed example charm with its rock, the partner charms
// of tests/partners (a real PostgreSQL in postgresql-k8s's container, ingress-proxy routing its URL), each
// deployed from a local path with the image named as on a real controller; its output ends with the
// model's `juju status`.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { charmPath, repoRoot } from "../support/paths.ts";

const home = mkdtempSync(join(tmpdir(), "juju-sim-it-"));
after(() => {
  spawnSync(join(repoRoot, "bin", "juju"), ["kill-controller", "--no-prompt"], { env: { ...process.env, JUJU_SIM_HOME: home } });
  rmSync(home, { recursive: true, force: true });
});

const SUITE_TIMEOUT_MS = 1_500_000;

test("tests/integration passes against the simulator", { timeout: SUITE_TIMEOUT_MS }, (t) => {
  const result = spawnSync(join(repoRoot, ".cache", "venv", "bin", "pytest"), ["-q", "-s", "-p", "no:cacheprovider", "--durations=0", join(repoRoot, "tests", "integration")], {
    cwd: repoRoot,
    env: { ...process.env, JUJU_SIM_HOME: home, JUJU_CLI: join(repoRoot, "bin", "juju"), CHARM_PATH: charmPath },
    encoding: "utf8",
    timeout: SUITE_TIMEOUT_MS,
  });
  for (const line of result.stdout.trimEnd().split("\n")) t.diagnostic(line);
  assert.equal(result.status, 0, `pytest failed:\n${result.stdout}\n${result.stderr}`);
  assert.match(result.stdout, /\b10 passed\b/);
  assert.doesNotMatch(result.stdout, /skipped|deselected/);
});
