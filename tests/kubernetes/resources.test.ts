// The cpu and memory options on a real kube-apiserver: the untrusted app is refused by its own service
// account's RBAC and says to run juju trust; once trusted, the leader server-side-applies the resources
// once, the simulator replaces the pod with Juju's pod-churn events, and the same value patches nothing.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { kubernetesHarness, unit } from "./support.ts";
import { httpsStatus } from "../../simulator/servers/kubernetes.ts";

const harness = await kubernetesHarness();
const { simulation, cluster, status, assertCharmOwnStatus } = harness;
const statefulSet = () => simulation.kubernetes().statefulSet("example-app");
const appContainer = async () => (await statefulSet()).spec!.template.spec!.containers.find((c) => c.name === "app")!;
/** The client's model classes as plain data, to compare with literals. */
const plain = (value: unknown): unknown => (value === undefined ? {} : JSON.parse(JSON.stringify(value)));

/** A GET with the token the unit's pod has mounted: what the charm itself may do. */
async function asTheApp(path: string): Promise<number> {
  const dir = join(simulation.runtimeOf(unit).containersDir, "..", "serviceaccount");
  return httpsStatus(`https://${cluster.host}:${cluster.port}${path}`, readFileSync(join(dir, "token"), "utf8"), { ca: readFileSync(join(dir, "ca.crt"), "utf8") });
}

test("the untrusted app's service account may read its pod but not its StatefulSet", async () => {
  await harness.deployWithPostgres();
  assertCharmOwnStatus();
  assert.equal(await asTheApp("/api/v1/namespaces/test-model/pods/example-app-0"), 200);
  assert.equal(await asTheApp("/apis/apps/v1/namespaces/test-model/statefulsets/example-app"), 403);
});

test("memory on an untrusted app: the denied StatefulSet read blocks naming juju trust", async () => {
  const generation = (await statefulSet()).metadata!.generation;
  await simulation.configure("example-app", { memory: "512Mi" });
  assert.deepEqual(status(), { status: "blocked", message: "run juju trust example-app --scope=cluster to let the charm set the cpu and memory options" });
  assert.ok(simulation.model().units[unit]!.logs.some((l) => l.level === "WARNING" && /cannot get statefulset test-model\/example-app: .*forbidden/.test(l.message)));
  assert.equal((await statefulSet()).metadata!.generation, generation);
  await simulation.updateStatus();
  assert.equal(status().status, "blocked", "an update-status forgot the refusal");
});

test("once trusted, memory=512Mi changes the StatefulSet once, the pod churns and the unit returns to active", async () => {
  const before = await statefulSet();
  const podBefore = await simulation.kubernetes().pod("example-app", 0);
  const historyStart = simulation.history.length;
  const statusesStart = simulation.model().units[unit]!.statusHistory.length;
  await simulation.setTrust("example-app", true);
  const after = await statefulSet();
  assert.equal(after.metadata!.generation, before.metadata!.generation! + 1);
  assert.deepEqual(plain((await appContainer()).resources), { limits: { memory: "512Mi" }, requests: { memory: "512Mi" } });
  assert.ok(after.metadata!.managedFields!.some((f) => f.manager === "paas-charm-resources" && f.operation === "Apply"));
  const podAfter = await simulation.kubernetes().pod("example-app", 0);
  assert.notEqual(podAfter.metadata!.uid, podBefore.metadata!.uid, "the pod was not replaced");
  assert.deepEqual(plain(podAfter.spec!.containers.find((c) => c.name === "app")!.resources), { limits: { memory: "512Mi" }, requests: { memory: "512Mi" } });

  const hooks = simulation.history.slice(historyStart).filter((h) => h.unit === unit).map((h) => h.result!.dispatchPath.replace("hooks/", ""));
  assert.deepEqual(hooks, ["config-changed", "upgrade-charm", "config-changed", "start", "app-pebble-ready"]);
  const statuses = simulation.model().units[unit]!.statusHistory.slice(statusesStart).map((s) => `${s.status}: ${s.message}`);
  assert.equal(statuses[0], "maintenance: Applying the cpu and memory options: pods are restarting");
  assert.ok(statuses.length >= 2 && !statuses.slice(1).some((s) => s.startsWith("maintenance")), `not back to the normal status: ${statuses.join(" | ")}`);
  assertCharmOwnStatus();
});

test("setting the same memory again patches nothing", async () => {
  const generation = (await statefulSet()).metadata!.generation;
  await simulation.configure("example-app", { memory: "512Mi" });
  await simulation.configure("example-app", { memory: "0.5Gi" });
  await simulation.updateStatus();
  assert.equal((await statefulSet()).metadata!.generation, generation);
  assertCharmOwnStatus();
});

test("memory=lots is Blocked naming the option, and patches nothing", async () => {
  const generation = (await statefulSet()).metadata!.generation;
  await simulation.configure("example-app", { memory: "lots" });
  assert.deepEqual(status(), { status: "blocked", message: "invalid options: memory" });
  assert.equal((await statefulSet()).metadata!.generation, generation);
});

test("clearing memory releases the charm's fields: the container has no resources again", async () => {
  await simulation.configure("example-app", { memory: "" });
  assert.deepEqual(plain((await appContainer()).resources), {});
  assertCharmOwnStatus();
  const generation = (await statefulSet()).metadata!.generation;
  await simulation.configure("example-app", { "node-env": "production" });
  assert.equal((await statefulSet()).metadata!.generation, generation);
});
