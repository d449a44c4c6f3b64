// The packed charm in a pod of a real kube-apiserver (the simulator plays the kubelet): what the unit's
// status says on update-status when the app container is OOM-killed, crash-looping or cannot pull its
// image, that a healthy or recovered pod leaves it active, and that a stopped API server fails no hook.
// The pod is read only when Pebble shows a problem: a healthy unit's update-status asks the API server
// nothing, counted in the API server's own audit log. While the kubelet reports a container in trouble,
// the app's service is stopped in Pebble, as it is when the app is killed or cannot start.
import { test } from "node:test";
import assert from "node:assert/strict";
import { kubernetesHarness, unit } from "./support.ts";
import type { ContainerState } from "../../simulator/kubernetes/jujuObjects.ts";

const harness = await kubernetesHarness();
const { simulation, cluster, status, assertCharmOwnStatus } = harness;
const lastUpdateStatus = () => simulation.history.filter((h) => h.unit === unit && h.result?.dispatchPath === "hooks/update-status").at(-1)!.result!;

/** What the charm's service account asked the API server (the simulator uses an admin token of its own). */
const charmRequests = () => cluster.requestsBy("system:serviceaccount:test-model:example-app");

/** The kubelet reports `state`; the app's service runs in Pebble only when the container is running. */
async function containerIs(state: ContainerState): Promise<void> {
  await simulation.kubernetes().setContainerState("example-app", 0, "app", state);
  await appRuns(state.state === "running");
  await simulation.updateStatus();
  assert.equal(lastUpdateStatus().exitCode, 0);
}

async function appRuns(running: boolean): Promise<void> {
  const pebble = harness.pebble(unit);
  const [service] = await pebble.getServices(["expressjs"]);
  if (running && service?.current !== "active") await pebble.startServices(["expressjs"]);
  if (!running && service?.current === "active") await pebble.stopServices(["expressjs"]);
}

test("deployed in its pod with PostgreSQL, a healthy unit's update-status makes no Kubernetes request", async () => {
  await harness.deployWithPostgres();
  const pod = await simulation.kubernetes().pod("example-app", 0);
  assert.deepEqual(pod.spec!.containers.map((c) => c.name), ["charm", "app"]);
  await containerIs({ state: "running" });
  assert.deepEqual(status(), { status: "active", message: "" });
  const before = charmRequests().length;
  await simulation.updateStatus();
  await simulation.updateStatus();
  assert.equal(lastUpdateStatus().exitCode, 0);
  assert.deepEqual(charmRequests().slice(before), []);
  assert.deepEqual(status(), { status: "active", message: "" });
});

test("an OOM-killed app container names the cause and what to do, from one read of the pod", async () => {
  const before = charmRequests().length;
  await containerIs({ state: "waiting", reason: "CrashLoopBackOff", restarts: 4, lastTermination: { reason: "OOMKilled", exitCode: 137 } });
  assert.deepEqual(status(), { status: "blocked", message: "app container OOMKilled, restarted 4 times: raise memory" });
  assert.deepEqual(charmRequests().slice(before).map((r) => [r.verb, r.requestURI, r.code]), [["get", "/api/v1/namespaces/test-model/pods/example-app-0", 200]]);
  assert.ok(simulation.model().units[unit]!.logs.some((l) => l.level === "WARNING" && l.message.includes("pod test-model/example-app-0: app container OOMKilled")));
});

test("a crash-looping app container gives its exit code", async () => {
  await containerIs({ state: "waiting", reason: "CrashLoopBackOff", restarts: 7, lastTermination: { reason: "Error", exitCode: 3 } });
  assert.deepEqual(status(), { status: "blocked", message: "app container crash-looping (CrashLoopBackOff), last exit Error with exit code 3, restarted 7 times: see the app's logs" });
});

test("an app container that cannot pull its image says so", async () => {
  await containerIs({ state: "waiting", reason: "ImagePullBackOff" });
  assert.deepEqual(status(), { status: "blocked", message: "app container cannot pull its image (ImagePullBackOff): check the image resource attached to the charm" });
  await containerIs({ state: "waiting", reason: "ErrImagePull" });
  assert.match(status().message, /cannot pull its image \(ErrImagePull\)/);
});

test("an old OOM kill the container recovered from keeps nothing from active", async () => {
  await containerIs({ state: "running", restarts: 5, lastTermination: { reason: "OOMKilled", exitCode: 137 } });
  assertCharmOwnStatus();
});

test("with the API server stopped, update-status succeeds and the status is the charm's own", async () => {
  await simulation.kubernetes().setContainerState("example-app", 0, "app", { state: "waiting", reason: "CrashLoopBackOff", restarts: 9, lastTermination: { reason: "OOMKilled", exitCode: 137 } });
  await appRuns(false);
  await cluster.pause();
  try {
    await simulation.updateStatus();
    assert.equal(lastUpdateStatus().exitCode, 0);
    assertCharmOwnStatus();
    assert.ok(simulation.model().units[unit]!.logs.some((l) => l.level === "WARNING" && l.message.includes("cannot get pod test-model/example-app-0")));
  } finally {
    await cluster.resume();
  }
});
