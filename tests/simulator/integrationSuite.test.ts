// The project's integration suite (tests/integration, jubilant + pytest, written for a real controller)
// run unchanged against the simulator's juju: the packed example charm with its rock, a real PostgreSQL
// behind postgresql-k8s, ingress, config, the rotate-secret-key action.
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

test("tests/integration passes against the simulator", () => {
  const result = spawnSync(join(repoRoot, ".cache", "venv", "bin", "pytest"), ["-q", "-p", "no:cacheprovider", join(repoRoot, "tests", "integration")], {
    cwd: repoRoot,
    env: { ...process.env, JUJU_SIM_HOME: home, JUJU_CLI: join(repoRoot, "bin", "juju"), CHARM_PATH: charmPath, APP_IMAGE: "example-app" },
    encoding: "utf8",
    timeout: 900_000,
  });
  assert.equal(result.status, 0, `pytest failed:\n${result.stdout}\n${result.stderr}`);
  assert.doesNotMatch(result.stdout, /skipped/);
});
