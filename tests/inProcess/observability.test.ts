// COS's publish-only endpoints in-process: Prometheus gets the scrape job, the topology, an alert rule and
// each unit's address, on every related Prometheus; Grafana our dashboard. The charm reads nothing of what
// those apps publish (it has no use for it): no remote app lookup, no relation-get of their data.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { charmDir, inProcessHarness } from "../support/inProcessCharm.ts";
import { databagsApp, fromFixture } from "../../simulator/providers/databags.ts";
import { readCalls } from "../../simulator/hookTools/callLog.ts";
import { fixture } from "../paas/integrations/support.ts";

const harness = inProcessHarness();
const { simulation } = harness;
const UNIT = "example-app/0";
const appData = (id: number) => simulation.model().relations[String(id)]!.appData["example-app"] ?? {};
const unitData = (id: number) => simulation.model().relations[String(id)]!.unitData[UNIT] ?? {};
const prometheus = (name: string) => databagsApp({ name, endpoint: "metrics-endpoint", interface: "prometheus_scrape", role: "requires" });
const metricsRelations: number[] = [];

test("deployed with PostgreSQL data the unit is active", async () => {
  await simulation.deployCharm("example-app", charmDir());
  await simulation.deployScripted(databagsApp(fromFixture(fixture("postgresql_client"), "database")));
  await simulation.integrate({ app: "example-app", endpoint: "postgresql" }, { app: "postgresql-k8s", endpoint: "database" });
  assert.deepEqual(harness.status(UNIT), { status: "active", message: "" });
});

test("metrics-endpoint: the framework job, the topology, an alert rule and the unit's address, on each Prometheus", async () => {
  for (const name of ["prometheus-k8s", "prometheus-other"]) {
    await simulation.deployScripted(prometheus(name));
    metricsRelations.push(await simulation.integrate({ app: "example-app", endpoint: "metrics-endpoint" }, { app: name, endpoint: "metrics-endpoint" }));
  }
  for (const id of metricsRelations) {
    const data = appData(id);
    assert.equal(data.scrape_jobs, '[{"metrics_path": "/metrics", "static_configs": [{"targets": ["*:8080"]}]}]');
    assert.equal(data.scrape_metadata, `{"model": "test-model", "model_uuid": "${simulation.model().uuid}", "application": "example-app", "unit": "example-app/0", "charm_name": "example-app"}`);
    assert.equal(JSON.parse(data.alert_rules!).groups[0].rules[0].alert, "ExpressJSTargetMissing");
    assert.equal(unitData(id).prometheus_scrape_unit_address, "example-app-0.example-app-endpoints.test-model.svc.cluster.local");
    assert.equal(unitData(id).prometheus_scrape_unit_name, UNIT);
  }
  assert.deepEqual(harness.status(UNIT), { status: "active", message: "" });
});

test("grafana-dashboard: our ExpressJS dashboard, readable by Python's lzma", async () => {
  await simulation.deployScripted(databagsApp({ name: "grafana-k8s", endpoint: "grafana-dashboard", interface: "grafana_dashboard", role: "requires" }));
  const id = await simulation.integrate({ app: "example-app", endpoint: "grafana-dashboard" }, { app: "grafana-k8s", endpoint: "grafana-dashboard" });
  const templates = JSON.parse(appData(id).dashboards!).templates as Record<string, { content: string; charm: string }>;
  assert.deepEqual(Object.keys(templates), ["file:expressjs"]);
  assert.equal(templates["file:expressjs"]!.charm, "example-app");
  const decoded = execFileSync("python3", ["-c", "import base64, lzma, sys; sys.stdout.write(lzma.decompress(base64.b64decode(sys.stdin.read())).decode())"], { input: templates["file:expressjs"]!.content, encoding: "utf8" });
  assert.equal(JSON.parse(decoded).title, "ExpressJS Operator");
});

test("config-changed reads nothing the observability apps publish, and writes nothing that is already there", async () => {
  await simulation.emit(UNIT, { kind: "lifecycle", hook: "config-changed" });
  const last = simulation.history.filter((entry) => entry.unit === UNIT && entry.result).at(-1)!;
  assert.equal(last.event.kind === "lifecycle" && last.event.hook, "config-changed");
  const calls = readCalls(simulation.modelPath, last.result!.contextId).map((call) => [call.tool, ...call.args].join(" "));
  const observability = [...metricsRelations, Number(Object.values(simulation.model().relations).find((r) => r.interface === "grafana_dashboard")!.id)];
  for (const id of observability) {
    assert.ok(!calls.some((call) => call.startsWith(`relation-list --format=json -r ${id} --app`)), `looked up the remote app of relation ${id}`);
    assert.ok(!calls.some((call) => /^relation-get .* - (prometheus|grafana)/.test(call) && call.includes(`-r ${id} `)), `read the remote data of relation ${id}`);
  }
  assert.deepEqual(calls.filter((call) => call.startsWith("relation-set") || call.startsWith("status-set")), []);
});
