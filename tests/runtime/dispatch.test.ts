// The packed .charm as Juju receives it: unzipped, with dispatch executable, run with a hand-made Juju
// environment (no hook tools on PATH) for events the charm does not handle: it exits 0, as ops does.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { unpackCharm } from "../../packing/unpack.ts";
import { readZip } from "../../packing/zip.ts";
import { readFileSync } from "node:fs";
import { charmPath } from "../support/paths.ts";

const charmDir = mkdtempSync(join(tmpdir(), "dispatch-"));
after(() => rmSync(charmDir, { recursive: true, force: true }));
unpackCharm(charmPath, charmDir);

function run(dispatchPath: string, extra: Record<string, string> = {}) {
  const hook = dispatchPath.startsWith("hooks/") ? dispatchPath.slice(6) : "";
  return spawnSync(join(charmDir, "dispatch"), [], {
    cwd: charmDir,
    encoding: "utf8",
    env: {
      PATH: "/usr/bin:/bin", JUJU_DISPATCH_PATH: dispatchPath, JUJU_HOOK_NAME: hook, JUJU_UNIT_NAME: "example-app/0",
      JUJU_MODEL_NAME: "test", JUJU_MODEL_UUID: "0b5cd0f6-64ba-4e0e-9f12-7c1d0d8f8b01", JUJU_VERSION: "3.6.8",
      JUJU_CHARM_DIR: charmDir, CHARM_DIR: charmDir, JUJU_CONTEXT_ID: "example-app/0-test-1", ...extra,
    },
  });
}

test("the .charm holds what charmcraft packs, with dispatch and the binary executable", () => {
  const entries = readZip(readFileSync(charmPath));
  assert.deepEqual(entries.map((e) => e.name).sort(), ["actions.yaml", "charm", "config.yaml", "dispatch", "manifest.yaml", "metadata.yaml", "paas-config.yaml", "runtime.yaml"]);
  assert.equal(statSync(join(charmDir, "dispatch")).mode & 0o777, 0o755);
  assert.equal(statSync(join(charmDir, "charm")).mode & 0o777, 0o755);
  assert.equal(statSync(join(charmDir, "metadata.yaml")).mode & 0o777, 0o644);
});

test("dispatch ends with an executable path, as charmcraft's entrypoint linter requires", () => {
  const lines = readFileSync(join(charmDir, "dispatch"), "utf8").split("\n").filter((l) => l.trim());
  const last = lines.at(-1)!.trim().split(/\s+/).at(-1)!;
  assert.equal(statSync(join(charmDir, last)).mode & 0o111, 0o111);
});

for (const [name, dispatchPath] of [
  ["an undeclared relation's hook", "hooks/not-an-endpoint-relation-changed"],
  ["collect-metrics", "hooks/collect-metrics"],
  ["stop", "hooks/stop"],
] as const) {
  test(`an event the charm does not handle exits 0 without calling any hook tool: ${name}`, () => {
    const result = run(dispatchPath);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stderr, "");
  });
}

test("a missing Juju variable fails the hook with an error that names it", () => {
  const result = run("hooks/install", { JUJU_MODEL_NAME: "" });
  assert.equal(result.status, 1);
  assert.match(result.stderr, /JUJU_MODEL_NAME is not set/);
});
