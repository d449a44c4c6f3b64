// Runs tests/integration (jubilant + pytest) against a juju command, as a user's CI would, and asserts the
// whole suite ran and passed. The simulator tier and the real-controller tier call it with their `juju`.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import type { TestContext } from "node:test";
import { charmPath, repoRoot } from "./paths.ts";

/** How many tests tests/integration holds: fewer passing means some did not run. */
const SUITE_TESTS = 10;
export const SUITE_TIMEOUT_MS = 1_500_000;

export function runIntegrationSuite(t: TestContext, env: Record<string, string>): void {
  const result = spawnSync(join(repoRoot, ".cache", "venv", "bin", "pytest"), ["-q", "-s", "-p", "no:cacheprovider", "--durations=0", join(repoRoot, "tests", "integration")], {
    cwd: repoRoot,
    env: { ...process.env, CHARM_PATH: charmPath, ...env },
    encoding: "utf8",
    timeout: SUITE_TIMEOUT_MS,
  });
  for (const line of result.stdout.trimEnd().split("\n")) t.diagnostic(line);
  assert.equal(result.status, 0, `pytest failed:\n${result.stdout}\n${result.stderr}`);
  assert.match(result.stdout, new RegExp(`\\b${SUITE_TESTS} passed\\b`));
  assert.doesNotMatch(result.stdout, /skipped|deselected/);
}
