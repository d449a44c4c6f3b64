// `juju refresh --resource` on a charm with a workload container: the image is replaced and the pod
// recreated as Kubernetes would, so the container's root holds the new rock and the charm sees
// upgrade-charm; `juju resources` counts the upload.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { charmPath, repoRoot } from "../support/paths.ts";
import { jujuCli } from "../support/jujuCli.ts";

const dir = mkdtempSync(join(tmpdir(), "juju-refresh-"));
const { run: juju, ok } = jujuCli(join(dir, "home"), dir);
after(() => {
  juju("kill-controller", "--no-prompt");
  rmSync(dir, { recursive: true, force: true });
});

const appName = () => JSON.parse(ok("ssh", "-m", "r", "--container", "app", "example-app/0", "cat", "/app/package.json")).name;

test("refresh --resource replaces the workload's image: a new container from the new rock, upgrade-charm, the next resource revision", () => {
  ok("add-model", "--no-switch", "r");
  ok("deploy", "-m", "r", charmPath, "example-app", "--resource", "app-image=example-app");
  assert.equal(appName(), "example-app");
  assert.match(ok("resources", "-m", "r", "example-app"), /^Resource +Supplied by +Revision\napp-image +upload +0\n$/);

  const refreshed = juju("refresh", "-m", "r", "example-app", "--resource", `app-image=${join(repoRoot, "tests", "apps", "expressjs")}`);
  assert.deepEqual([refreshed.code, refreshed.stdout, refreshed.stderr], [0, "", ""], refreshed.stderr);
  assert.equal(appName(), "expressjs-app");
  assert.match(ok("debug-log", "-m", "r", "--include", "example-app/0"), /juju\.worker\.uniter\.operation ran "upgrade-charm" hook/);
  assert.match(ok("resources", "-m", "r", "example-app"), /\napp-image +upload +1\n$/);
});
