// Every model of the simulator's `juju` has its Kubernetes API, as on a real Kubernetes cloud: one
// kube-apiserver per controller, a namespace per model; the unit runs with its app's service account, and
// `juju trust --scope=cluster` widens exactly that account's RBAC.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { packGreeter } from "../simulator/cliCharm.ts";
import { jujuCli } from "../support/jujuCli.ts";

const dir = mkdtempSync(join(tmpdir(), "juju-cli-k8s-"));
const home = join(dir, "home");
packGreeter(dir);
after(() => {
  juju("kill-controller", "--no-prompt");
  rmSync(dir, { recursive: true, force: true });
});

const { run: juju, ok } = jujuCli(home, dir);

/** The HTTP status the unit gets for `path` with the token mounted in its pod. */
function asTheUnit(path: string, model = "k8s"): string {
  const command = [
    "dir=/var/run/secrets/kubernetes.io/serviceaccount;",
    `curl -s -o /dev/null -w '%{http_code}' --cacert "$dir/ca.crt" -H "Authorization: Bearer $(cat "$dir/token")"`,
    `"https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT${path}"`,
  ].join(" ");
  return ok("exec", "-m", model, "--unit", "greeter/0", "--", command).trim();
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

test("models share the controller's API server, each in its own namespace; a destroyed model's namespace goes with it", () => {
  ok("add-model", "--no-switch", "other");
  ok("deploy", "--model", "other", "./greeter.charm");
  assert.equal(asTheUnit("/api/v1/namespaces/other/pods/greeter-0", "other"), "200");
  assert.equal(asTheUnit("/api/v1/namespaces/k8s/pods/greeter-0", "other"), "403", "another model's pods are not the app's to read");
  ok("destroy-model", "other", "--no-prompt");
  ok("add-model", "--no-switch", "other");
  ok("deploy", "--model", "other", "./greeter.charm");
  assert.equal(asTheUnit("/api/v1/namespaces/other/pods/greeter-0", "other"), "200");
});

test("remove-application deletes the app's objects: the same name deploys again", () => {
  ok("remove-application", "-m", "other", "greeter", "--no-prompt");
  ok("deploy", "--model", "other", "./greeter.charm");
  assert.equal(asTheUnit("/api/v1/namespaces/other/pods/greeter-0", "other"), "200");
});
