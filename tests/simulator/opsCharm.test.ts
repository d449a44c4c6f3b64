// Any Kubernetes charm, not only this project's: a Python charm written with ops from PyPI
// (tests/simulator/opsCharm: its own workload service, a config option, a peer relation, a Juju secret,
// an action), packed as charmcraft packs one (its venv inside), deployed with the simulator's `juju`.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { jujuCli } from "../support/jujuCli.ts";
import { repoRoot } from "../support/paths.ts";

const dir = mkdtempSync(join(tmpdir(), "ops-charm-"));
const home = join(dir, "home");
const cli = jujuCli(home, dir, { JUJU_MODEL: "ops" });
const { ok } = cli;
after(() => {
  cli.kill();
  rmSync(dir, { recursive: true, force: true });
});

/** Packed as the integration suite packs its partner charms (tests/partners/pack.py: the charm's files, ops in venv/, a manifest). */
function packOpsCharm(): string {
  const path = join(dir, "ops-demo.charm");
  execFileSync(join(repoRoot, ".cache", "venv", "bin", "python"), [join(repoRoot, "tests", "partners", "pack.py"), join(repoRoot, "tests", "simulator", "opsCharm"), path], { stdio: ["ignore", "ignore", "inherit"] });
  return path;
}

interface UnitStatus { "workload-status": { current: string; message?: string }; address?: string }

async function unitsWhen(done: (units: Record<string, UnitStatus>) => boolean): Promise<Record<string, UnitStatus>> {
  let units: Record<string, UnitStatus> = {};
  for (const deadline = Date.now() + 180_000; Date.now() < deadline;) {
    units = JSON.parse(ok("status", "--format", "json")).applications["ops-demo"]?.units ?? {};
    if (done(units)) return units;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  assert.fail(`ops-demo did not settle: ${JSON.stringify(units)}`);
}

const page = async (address: string) => (await fetch(`http://${address}:8081/`)).text();

test("an ops charm deploys with two units, serves its workload and shares its secret through its peer relation", async () => {
  const charm = packOpsCharm();
  ok("add-model", "ops");
  ok("deploy", charm, "--resource", `web-image=${join(repoRoot, "tests", "apps", "flask")}`, "-n", "2");
  const units = await unitsWhen((u) => Object.values(u).length === 2 && Object.values(u).every((s) => s["workload-status"].message === "serving on 8081, token shared by 2 units"));
  for (const status of Object.values(units)) {
    assert.equal(status["workload-status"].current, "active");
    assert.equal(await page(status.address!), "hello\n");
  }
});

test("juju config reaches the ops charm's workload", async () => {
  ok("config", "ops-demo", "greeting=bonjour");
  const units = await unitsWhen((u) => Object.values(u).every((s) => s["workload-status"].current === "active"));
  for (const status of Object.values(units)) assert.equal(await page(status.address!), "bonjour\n");
});

test("its action runs on each unit and both see the one secret the leader made", () => {
  const fingerprints = ["ops-demo/0", "ops-demo/1"].map((unit) => {
    const task = JSON.parse(ok("run", unit, "token-fingerprint", "--format", "json"))[unit];
    assert.equal(task.status, "completed");
    return task.results.fingerprint as string;
  });
  assert.match(fingerprints[0]!, /^[0-9a-f]{12}$/);
  assert.equal(fingerprints[1], fingerprints[0]);
});
