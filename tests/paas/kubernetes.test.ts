// The pure Kubernetes decisions, table by table: quantities, the cpu/memory options as container
// resources, whether the StatefulSet needs a patch, which pod states mean the app is not serving, and how
// those findings change the unit's status.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  desiredResources, diagnoseContainer, ownedResourceFields, quantityValue, resourcesDiffer, rolloutInProgress, sameQuantity,
  withKubernetesFindings, resolveConfig, FRAMEWORKS, type ContainerStatusFacts,
} from "../../src/paas/index.ts";

test("quantities: Kubernetes' suffixes and exponents, never negative or wordy", () => {
  const table: Array<[string, number | undefined]> = [
    ["512Mi", 512 * 2 ** 20], ["2Gi", 2 * 2 ** 30], ["1G", 1e9], ["500m", 0.5], ["2", 2], ["0.5", 0.5], [".5", 0.5],
    ["1e3", 1000], ["1E-3", 0.001], ["100k", 1e5], ["lots", undefined], ["-1", undefined], ["1 Gi", undefined], ["1gi", undefined], ["", undefined], ["Mi", undefined],
  ];
  for (const [text, value] of table) assert.equal(quantityValue(text), value, text);
  assert.ok(sameQuantity("512Mi", "0.5Gi"));
  assert.ok(sameQuantity("500m", "0.5"));
  assert.ok(!sameQuantity("512M", "512Mi"));
  assert.ok(!sameQuantity("1", undefined));
});

test("cpu and memory set limits and equal requests; empty means none; bad values name the option", () => {
  assert.deepEqual(desiredResources({ cpu: "", memory: "" }), { ok: true, resources: {} });
  assert.deepEqual(desiredResources({ memory: "512Mi" }), { ok: true, resources: { limits: { memory: "512Mi" }, requests: { memory: "512Mi" } } });
  assert.deepEqual(desiredResources({ cpu: " 2 ", memory: "1Gi" }), { ok: true, resources: { limits: { cpu: "2", memory: "1Gi" }, requests: { cpu: "2", memory: "1Gi" } } });
  const bad = desiredResources({ cpu: "fast", memory: "lots" });
  assert.equal(bad.ok, false);
  assert.deepEqual(!bad.ok && bad.invalid.map((i) => i.option), ["cpu", "memory"]);
  assert.deepEqual(!bad.ok && bad.invalid[1]!.reason, '"lots" is not a Kubernetes quantity (e.g. 512Mi or 2Gi)');
});

test("the options are the pod's, never the app's environment, and a bad one is an invalid option", () => {
  const fw = FRAMEWORKS.expressjs;
  const declarations = { cpu: { type: "string", default: "" }, memory: { type: "string", default: "" } };
  const good = resolveConfig({ framework: fw, paasConfig: {} as never, config: { cpu: "1", memory: "1Gi" }, declarations, secrets: {} });
  assert.deepEqual(Object.keys(good.userEnv).filter((k) => /CPU|MEMORY/.test(k)), []);
  assert.deepEqual(good.invalid, []);
  const bad = resolveConfig({ framework: fw, paasConfig: {} as never, config: { memory: "lots" }, declarations, secrets: {} });
  assert.deepEqual(bad.invalid, ["memory"]);
});

test("the StatefulSet needs a patch only when a wanted value differs or a field the charm set is no longer wanted", () => {
  const want = { limits: { memory: "512Mi" }, requests: { memory: "512Mi" } };
  const none = new Set<string>();
  const table: Array<[string, Parameters<typeof resourcesDiffer>[0], Parameters<typeof resourcesDiffer>[1], boolean]> = [
    ["nothing wanted, nothing there", {}, { resources: {}, ownedFields: none }, false],
    ["wanted and absent", want, { resources: {}, ownedFields: none }, true],
    ["wanted and there, as another spelling", want, { resources: { limits: { memory: "0.5Gi" }, requests: { memory: "536870912" } }, ownedFields: none }, false],
    ["a different value", want, { resources: { limits: { memory: "1Gi" }, requests: { memory: "512Mi" } }, ownedFields: none }, true],
    ["the operator's own cpu limit is left alone", want, { resources: { limits: { memory: "512Mi", cpu: "2" }, requests: { memory: "512Mi" } }, ownedFields: none }, false],
    ["the charm's old cpu must go", want, { resources: { limits: { memory: "512Mi", cpu: "2" }, requests: { memory: "512Mi" } }, ownedFields: new Set(["limits.cpu"]) }, true],
  ];
  for (const [name, desired, current, expected] of table) assert.equal(resourcesDiffer(desired, current), expected, name);
});

test("owned fields come from the charm's managedFields entry for the container", () => {
  const fieldsV1 = { "f:spec": { "f:template": { "f:spec": { "f:containers": { 'k:{"name":"app"}': { ".": {}, "f:name": {}, "f:resources": { "f:limits": { "f:memory": {} }, "f:requests": { "f:memory": {} } } } } } } } };
  const managed = [{ manager: "paas-charm-resources", fieldsV1 }, { manager: "kubectl", fieldsV1: { "f:spec": { "f:template": { "f:spec": { "f:containers": { 'k:{"name":"app"}': { "f:resources": { "f:limits": { "f:cpu": {} } } } } } } } } }];
  assert.deepEqual([...ownedResourceFields(managed, "paas-charm-resources", "app")].sort(), ["limits.memory", "requests.memory"]);
  assert.deepEqual([...ownedResourceFields(managed, "paas-charm-resources", "charm")], []);
});

test("a rollout is in progress until the controller observed the generation and every replica is updated", () => {
  assert.equal(rolloutInProgress({}), false);
  assert.equal(rolloutInProgress({ metadata: { generation: 3 }, status: { observedGeneration: 2 } }), true);
  assert.equal(rolloutInProgress({ metadata: { generation: 3 }, spec: { replicas: 2 }, status: { observedGeneration: 3, updatedReplicas: 1, currentRevision: "a", updateRevision: "a" } }), true);
  assert.equal(rolloutInProgress({ metadata: { generation: 3 }, spec: { replicas: 2 }, status: { observedGeneration: 3, updatedReplicas: 2, currentRevision: "a", updateRevision: "b" } }), true);
  assert.equal(rolloutInProgress({ metadata: { generation: 3 }, spec: { replicas: 2 }, status: { observedGeneration: 3, updatedReplicas: 2, currentRevision: "b", updateRevision: "b" } }), false);
});

test("pod states: what is not serving becomes a message, what runs or starts says nothing", () => {
  const app = (status: Omit<ContainerStatusFacts, "name">): ContainerStatusFacts[] => [{ name: "charm", state: { running: {} } }, { name: "app", ...status }];
  const oom = { reason: "OOMKilled", exitCode: 137 };
  const table: Array<[string, ContainerStatusFacts[], string | undefined]> = [
    ["running", app({ state: { running: {} } }), undefined],
    ["running after an old OOM kill", app({ restartCount: 3, state: { running: {} }, lastState: { terminated: oom } }), undefined],
    ["starting", app({ state: { waiting: { reason: "ContainerCreating" } } }), undefined],
    ["no status yet", [], undefined],
    ["OOM-killed, backing off", app({ restartCount: 4, state: { waiting: { reason: "CrashLoopBackOff" } }, lastState: { terminated: oom } }), "app container OOMKilled, restarted 4 times: raise memory"],
    ["OOM-killed just now", app({ restartCount: 1, state: { terminated: oom } }), "app container OOMKilled, restarted 1 time: raise memory"],
    ["crash-looping", app({ restartCount: 2, state: { waiting: { reason: "CrashLoopBackOff" } }, lastState: { terminated: { reason: "Error", exitCode: 1 } } }),
      "app container crash-looping (CrashLoopBackOff), last exit Error with exit code 1, restarted 2 times: see the app's logs"],
    ["exited with an error", app({ state: { terminated: { reason: "Error", exitCode: 2 } } }), "app container exited, Error with exit code 2, restarted 0 times: see the app's logs"],
    ["image pull back-off", app({ state: { waiting: { reason: "ImagePullBackOff" } } }), "app container cannot pull its image (ImagePullBackOff): check the image resource attached to the charm"],
    ["image pull error", app({ state: { waiting: { reason: "ErrImagePull" } } }), "app container cannot pull its image (ErrImagePull): check the image resource attached to the charm"],
  ];
  for (const [name, statuses, message] of table) {
    const found = diagnoseContainer("app", statuses);
    assert.equal(found?.message, message, name);
    if (found) assert.equal(found.status, "blocked", name);
  }
});

test("findings and the charm's own status: its Blocked first, then the pod, trust, a rollout", () => {
  const active = { status: "active" as const, message: "" };
  const pod = { status: "blocked" as const, message: "app container OOMKilled, restarted 1 time: raise memory" };
  assert.deepEqual(withKubernetesFindings(active, {}), active);
  assert.deepEqual(withKubernetesFindings({ status: "blocked", message: "missing integrations: postgresql" }, { diagnosis: pod }), { status: "blocked", message: "missing integrations: postgresql" });
  assert.deepEqual(withKubernetesFindings({ status: "waiting", message: "Waiting for pebble ready" }, { diagnosis: pod, rolling: "r" }), pod);
  // The app's own failing check is explained better by the pod; another Blocked still beats a refused patch.
  const silent = { status: "blocked" as const, message: "The app does not answer on port 8080: check expressjs-ready failed 4 times in a row (threshold 3)" };
  assert.deepEqual(withKubernetesFindings(silent, { diagnosis: pod }, false), pod);
  assert.deepEqual(withKubernetesFindings(silent, { forbidden: "run juju trust" }, false), silent);
  assert.deepEqual(withKubernetesFindings(active, { forbidden: "run juju trust", rolling: "r" }), { status: "blocked", message: "run juju trust" });
  assert.deepEqual(withKubernetesFindings(active, { rolling: "r" }), { status: "maintenance", message: "r" });
});
