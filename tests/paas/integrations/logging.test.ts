// logging: one Pebble loki log target per Loki unit's push URL, the leader's topology metadata, and the
// status for missing, partial and malformed endpoints.
import assert from "node:assert/strict";
import { test } from "node:test";
import { disabledTargets, evaluateIntegrations } from "../../../src/paas/integrations/index.ts";
import { COS_ENDPOINTS, cosContext, cosRelation, lokiUnits } from "./observabilitySupport.ts";

const LABELS = {
  product: "Juju", charm: "flask-k8s", juju_model: "testing", juju_model_uuid: "c2e9f4d5-dcb3-4870-8509-330eb9745ee8", juju_application: "flask-k8s", juju_unit: "flask-k8s/0",
};
const logging = (units: Record<string, Record<string, string>>) => cosRelation("logging", "loki_push_api", units, 22);
const evaluateLogging = (units: Record<string, Record<string, string>>, leader = true) => evaluateIntegrations(COS_ENDPOINTS, [logging(units)], {}, cosContext({ leader }));

test("each Loki unit's push URL becomes a loki target for every service", () => {
  const result = evaluateLogging(lokiUnits("http://loki-0.loki-endpoints.cos.svc.cluster.local:3100/loki/api/v1/push", "http://loki-1.loki-endpoints.cos.svc.cluster.local:3100/loki/api/v1/push"));
  assert.deepEqual(result.logTargets, {
    "loki/0": { override: "replace", type: "loki", location: "http://loki-0.loki-endpoints.cos.svc.cluster.local:3100/loki/api/v1/push", services: ["all"], labels: LABELS },
    "loki/1": { override: "replace", type: "loki", location: "http://loki-1.loki-endpoints.cos.svc.cluster.local:3100/loki/api/v1/push", services: ["all"], labels: LABELS },
  });
  assert.ok(result.ready.includes("logging"));
  assert.deepEqual(result.problems, []);
  assert.deepEqual(result.writes, [{
    relationId: 22,
    app: { metadata: '{"model": "testing", "model_uuid": "c2e9f4d5-dcb3-4870-8509-330eb9745ee8", "application": "flask-k8s", "unit": "flask-k8s/0", "charm_name": "flask-k8s"}', alert_rules: "{}" },
  }]);
  assert.deepEqual(result.env, []);
});

test("missing: no unit or no endpoint yet gives no target and a waiting reason, never Blocked", () => {
  for (const units of [{}, lokiUnits(undefined)]) {
    const result = evaluateLogging(units);
    assert.deepEqual(result.logTargets, {});
    assert.equal(result.blocked, undefined);
    assert.ok(result.problems.some((problem) => problem.integration === "logging" && problem.reason.startsWith("logging: waiting for")), JSON.stringify(result.problems));
  }
});

test("partial: a bad unit is skipped and named, the good one still forwards", () => {
  const result = evaluateLogging({ ...lokiUnits("http://loki:3100/loki/api/v1/push"), "loki/1": { endpoint: "not json" } });
  assert.deepEqual(Object.keys(result.logTargets), ["loki/0"]);
  assert.equal(result.blocked, undefined);
  assert.deepEqual(result.problems, [{ integration: "logging", reason: "logging: loki/1 published an endpoint that is not JSON with an http(s) url" }]);
});

test("malformed: when every published endpoint is garbage the unit is Blocked naming the relation", () => {
  for (const endpoint of ["{", '{"url": 5}', '{"url": "ftp://loki/push"}', '["http://loki"]', '{"url": "not a url"}']) {
    const result = evaluateLogging({ "loki/0": { endpoint } });
    assert.equal(result.blocked, "Invalid logging relation data.", endpoint);
    assert.deepEqual(result.logTargets, {});
  }
});

test("a follower forwards too but writes no app data", () => {
  const result = evaluateLogging(lokiUnits("http://loki:3100/loki/api/v1/push"), false);
  assert.deepEqual(Object.keys(result.logTargets), ["loki/0"]);
  assert.deepEqual(result.writes, []);
});

test("targets of Loki units that left are switched off in place; disabled and foreign ones are left alone", () => {
  const current = {
    "loki/0": { type: "loki", location: "http://a/push", services: ["all"] },
    "loki/1": { type: "loki", location: "http://b/push", services: ["all"] },
    "loki/2": { type: "loki", location: "http://c/push", services: ["-all"] },
    syslog: { type: "syslog", location: "tcp://x:514", services: ["all"] },
  };
  const wanted = { "loki/0": { override: "replace" as const, type: "loki" as const, location: "http://a/push", services: ["all"] } };
  assert.deepEqual(disabledTargets(current, wanted), { "loki/1": { override: "replace", type: "loki", location: "http://b/push", services: ["-all"] } });
});
