// The simulator's `juju` with JUJU_SIM_KUBERNETES=1: a deploy starts the model's kube-apiserver, the unit
// runs with its app's service account, and `juju trust --scope=cluster` widens exactly that account's RBAC.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repoRoot } from "../support/paths.ts";
import { packGreeter } from "../simulator/cliCharm.ts";

const dir = mkdtempSync(join(tmpdir(), "juju-cli-k8s-"));
const home = join(dir, "home");
packGreeter(dir);
after(() => {
  juju("kill-controller", "--no-prompt");
  rmSync(dir, { recursive: true, force: true });
});

function juju(...args: string[]): { code: number; stdout: string; stderr: string } {
  const result = spawnSync(join(repoRoot, "bin", "juju"), args, {
    cwd: dir, env: { ...process.env, JUJU_SIM_HOME: home, JUJU_MODEL: "", JUJU_SIM_KUBERNETES: "1" }, encoding: "utf8", timeout: 180_000,
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

function ok(...args: string[]): string {
  const result = juju(...args);
  assert.equal(result.code, 0, `juju ${args.join(" ")} exited ${result.code}: ${result.stderr}`);
  return result.stdout;
}

/** The HTTP status the unit gets for `path` with the token mounted in its pod. */
function asTheUnit(path: string): string {
  const command = [
    "dir=/var/run/secrets/kubernetes.io/serviceaccount;",
    `curl -s -o /dev/null -w '%{http_code}' --cacert "$dir/ca.crt" -H "Authorization: Bearer $(cat "$dir/token")"`,
    `"https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT${path}"`,
  ].join(" ");
  return ok("exec", "-m", "k8s", "--unit", "greeter/0", "--", command).trim();
}

test("deploy puts the unit in a pod of the model's API server, with its app's untrusted service account", () => {
  ok("add-model", "--no-switch", "k8s");
  ok("deploy", "--model", "k8s", "./greeter.charm");
  assert.equal(asTheUnit("/api/v1/namespaces/k8s/pods/greeter-0"), "200");
  assert.equal(asTheUnit("/apis/apps/v1/namespaces/k8s/statefulsets/greeter"), "403");
  assert.equal(asTheUnit("/api/v1/namespaces/k8s/configmaps"), "403");
  assert.equal(asTheUnit("/api/v1/nodes"), "403");
});

test("juju trust --scope=cluster widens the app's RBAC, --remove narrows it again", () => {
  ok("trust", "-m", "k8s", "greeter", "--scope=cluster");
  assert.equal(asTheUnit("/apis/apps/v1/namespaces/k8s/statefulsets/greeter"), "200");
  assert.equal(asTheUnit("/api/v1/nodes"), "200");
  ok("trust", "-m", "k8s", "greeter", "--remove");
  assert.equal(asTheUnit("/apis/apps/v1/namespaces/k8s/statefulsets/greeter"), "403");
});
