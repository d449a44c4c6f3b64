// The project's integration suite (tests/integration, jubilant + pytest, written for a real controller)
// run unchanged against the simulator's juju: the packed example charm with its rock, the partner charms
// of tests/partners (a real PostgreSQL in postgresql-k8s's container, ingress-proxy routing its URL), each
// deployed from a local path with the image named as on a real controller; its output ends with the
// model's `juju status`.
import { test, after } from "node:test";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runIntegrationSuite, SUITE_TIMEOUT_MS } from "../support/integrationSuite.ts";
import { repoRoot } from "../support/paths.ts";

const home = mkdtempSync(join(tmpdir(), "juju-sim-it-"));
after(() => {
  spawnSync(join(repoRoot, "bin", "juju"), ["kill-controller", "--no-prompt"], { env: { ...process.env, JUJU_SIM_HOME: home } });
  rmSync(home, { recursive: true, force: true });
});

test("tests/integration passes against the simulator", { timeout: SUITE_TIMEOUT_MS }, (t) => {
  runIntegrationSuite(t, { JUJU_SIM_HOME: home, JUJU_CLI: join(repoRoot, "bin", "juju") });
});
