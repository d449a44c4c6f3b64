// metrics-endpoint: the scrape jobs, metadata and alert rules the leader publishes, the unit address every
// unit publishes, and `@scheduler` targets (docs/paas-charm-contract.md §8.6).
import assert from "node:assert/strict";
import { test } from "node:test";
import { evaluateIntegrations } from "../../../src/paas/integrations/index.ts";
import { COS_ENDPOINTS, cosContext, cosRelation } from "./observabilitySupport.ts";

const metrics = () => cosRelation("metrics-endpoint", "prometheus_scrape", { "prometheus/0": {} });

test("the leader publishes the framework job, the topology and an alert rule; the unit its address", () => {
  const result = evaluateIntegrations(COS_ENDPOINTS, [metrics()], {}, cosContext());
  assert.deepEqual(result.writes, [{
    relationId: 20,
    app: {
      scrape_metadata: '{"model": "testing", "model_uuid": "c2e9f4d5-dcb3-4870-8509-330eb9745ee8", "application": "flask-k8s", "unit": "flask-k8s/0", "charm_name": "flask-k8s"}',
      scrape_jobs: '[{"metrics_path": "/metrics", "static_configs": [{"targets": ["*:9102"]}]}]',
      alert_rules: result.writes[0]!.app!.alert_rules!,
    },
    unit: { prometheus_scrape_unit_address: "flask-k8s-0.flask-k8s-endpoints.testing.svc.cluster.local", prometheus_scrape_unit_name: "flask-k8s/0" },
  }]);
  const rules = JSON.parse(result.writes[0]!.app!.alert_rules!) as { groups: Array<{ rules: Array<{ alert: string; expr: string; for: string; labels: Record<string, string> }> }> };
  const [rule] = rules.groups[0]!.rules;
  assert.equal(rule!.alert, "FlaskTargetMissing");
  assert.equal(rule!.expr, 'up{juju_application="flask-k8s",juju_model="testing",juju_model_uuid="c2e9f4d5-dcb3-4870-8509-330eb9745ee8"} == 0');
  assert.equal(rule!.for, "2m");
  assert.equal(rule!.labels.severity, "critical");
  assert.equal(rule!.labels.juju_charm, "flask-k8s");
});

test("paas-config.yaml jobs follow the framework job; @scheduler targets unit 0", () => {
  const ctx = cosContext({ framework: "fastapi" }, {
    metricsPort: 8082, metricsPath: "/alternative_metrics",
    scrapeConfigs: [
      { jobName: "celery", metricsPath: "/metrics", staticConfigs: [{ targets: ["@scheduler:9808"], labels: { app: "celery" } }] },
      { jobName: "workers", metricsPath: "/stats", staticConfigs: [{ targets: ["*:9000", "localhost:9001"] }] },
    ],
  });
  const jobs = JSON.parse(evaluateIntegrations(COS_ENDPOINTS, [metrics()], {}, ctx).writes[0]!.app!.scrape_jobs!);
  assert.deepEqual(jobs, [
    { metrics_path: "/alternative_metrics", static_configs: [{ targets: ["*:8082"] }] },
    { metrics_path: "/metrics", static_configs: [{ targets: ["flask-k8s-0.flask-k8s-endpoints.testing.svc.cluster.local:9808"], labels: { app: "celery" } }], job_name: "celery" },
    { metrics_path: "/stats", static_configs: [{ targets: ["*:9000", "localhost:9001"] }], job_name: "workers" },
  ]);
});

test("a non-leader writes only its unit bag; nothing is rewritten when the bags already match", () => {
  const follower = evaluateIntegrations(COS_ENDPOINTS, [metrics()], {}, cosContext({ leader: false, unitName: "flask-k8s/1" }));
  assert.deepEqual(follower.writes, [{ relationId: 20, unit: { prometheus_scrape_unit_address: "flask-k8s-1.flask-k8s-endpoints.testing.svc.cluster.local", prometheus_scrape_unit_name: "flask-k8s/1" } }]);
  const first = evaluateIntegrations(COS_ENDPOINTS, [metrics()], {}, cosContext()).writes[0]!;
  const settled = { ...metrics(), localAppData: first.app!, localUnitData: first.unit! };
  assert.deepEqual(evaluateIntegrations(COS_ENDPOINTS, [settled], {}, cosContext()).writes, []);
});

test("every framework names its own alert; scrape jobs never touch the env, the status or the missing list", () => {
  for (const [framework, alert] of [["django", "DjangoTargetMissing"], ["go", "GoTargetMissing"], ["expressjs", "ExpressJSTargetMissing"], ["spring-boot", "SpringBootTargetMissing"], ["fastapi", "FastAPITargetMissing"]] as const) {
    const result = evaluateIntegrations(COS_ENDPOINTS, [metrics()], {}, cosContext({ framework }));
    assert.equal(JSON.parse(result.writes[0]!.app!.alert_rules!).groups[0].rules[0].alert, alert);
    assert.deepEqual(result.env, framework === "spring-boot" ? [{ OTEL_TRACES_EXPORTER: "none", OTEL_METRICS_EXPORTER: "none", OTEL_LOGS_EXPORTER: "none" }] : []);
    assert.equal(result.blocked, undefined);
    assert.deepEqual(result.missing, []);
  }
});

test("without the observability context or the endpoint nothing is published", () => {
  assert.deepEqual(evaluateIntegrations(COS_ENDPOINTS, [metrics()], {}, cosContext({ observability: undefined })).writes, []);
  const noEndpoint = COS_ENDPOINTS.filter((endpoint) => endpoint.name !== "metrics-endpoint");
  assert.deepEqual(evaluateIntegrations(noEndpoint, [metrics()], {}, cosContext()).writes, []);
});
