// jubilant 1.14 (Python) drives the simulator's `juju` through a pytest file: every jubilant call it makes
// must parse what the simulator prints. Uses the project's venv (.cache/venv, from scripts/setup.sh).
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repoRoot } from "../support/paths.ts";
import { packGreeter } from "./cliCharm.ts";

const dir = mkdtempSync(join(tmpdir(), "jubilant-"));
const home = join(dir, "home");
after(() => {
  spawnSync(join(repoRoot, "bin", "juju"), ["kill-controller", "--no-prompt"], { env: { ...process.env, JUJU_SIM_HOME: home } });
  rmSync(dir, { recursive: true, force: true });
});

test("jubilant deploys, integrates, configures, runs actions, refreshes, copies files, updates secrets and waits through the simulator", () => {
  const result = spawnSync(join(repoRoot, ".cache", "venv", "bin", "pytest"), ["-q", "-p", "no:cacheprovider", join(repoRoot, "tests", "simulator", "jubilant")], {
    cwd: repoRoot,
    env: { ...process.env, JUJU_SIM_HOME: home, JUJU_CLI: join(repoRoot, "bin", "juju"), CHARM_PATH: packGreeter(dir) },
    encoding: "utf8",
    timeout: 600_000,
  });
  assert.equal(result.status, 0, `pytest failed:\n${result.stdout}\n${result.stderr}`);
  assert.match(result.stdout, /11 passed/);
});
