// grafana-dashboard: the leader publishes our dashboard for the framework as the library's `file:`
// template; its content decodes with Python's lzma (what the Grafana charm runs) to the dashboard JSON.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { test } from "node:test";
import { evaluateIntegrations } from "../../../src/paas/integrations/index.ts";
import { dashboardAltUid } from "../../../src/paas/integrations/grafana.ts";
import { COS_ENDPOINTS, cosContext, cosRelation } from "./observabilitySupport.ts";

const grafana = () => cosRelation("grafana-dashboard", "grafana_dashboard", { "grafana/0": {} }, 21);

function pythonLzmaDecode(content: string): string {
  return execFileSync("python3", ["-c", "import base64, lzma, sys; sys.stdout.write(lzma.decompress(base64.b64decode(sys.stdin.read())).decode())"], { input: content, encoding: "utf8" });
}

interface Dashboard { uid: string; title: string; tags: string[]; templating: { list: unknown[] }; panels: Array<{ type: string; title: string; targets: Array<{ expr: string }>; datasource: { uid: string } }> }

function published(framework: "flask" | "django" | "fastapi" | "go" | "expressjs" | "spring-boot") {
  const result = evaluateIntegrations(COS_ENDPOINTS, [grafana()], {}, cosContext({ framework }));
  assert.equal(result.writes.length, 1);
  assert.deepEqual(Object.keys(result.writes[0]!.app!), ["dashboards"]);
  return JSON.parse(result.writes[0]!.app!.dashboards!) as { templates: Record<string, { charm: string; content: string; juju_topology: Record<string, string>; inject_dropdowns: boolean; dashboard_alt_uid: string }>; uuid: string };
}

test("the Flask dashboard: one file template with the topology, decoding to our own panels", () => {
  const data = published("flask");
  assert.deepEqual(Object.keys(data.templates), ["file:flask"]);
  const template = data.templates["file:flask"]!;
  assert.equal(template.charm, "flask-k8s");
  assert.deepEqual(template.juju_topology, { model: "testing", model_uuid: "c2e9f4d5-dcb3-4870-8509-330eb9745ee8", application: "flask-k8s", unit: "flask-k8s/0" });
  assert.equal(template.inject_dropdowns, true);
  assert.equal(template.dashboard_alt_uid, dashboardAltUid("flask-k8s", "file:flask"));
  assert.match(template.dashboard_alt_uid, /^[0-9a-f]{16}$/);
  assert.match(data.uuid, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);

  const dashboard = JSON.parse(pythonLzmaDecode(template.content)) as Dashboard;
  assert.equal(dashboard.title, "Flask Operator");
  assert.deepEqual(dashboard.tags, ["charm: flask-k8s"]);
  assert.match(dashboard.uid, /^[0-9a-f]{40}$/);
  assert.deepEqual(dashboard.templating.list, []);
  const exprs = dashboard.panels.flatMap((panel) => panel.targets.map((target) => target.expr));
  assert.ok(exprs.some((expr) => expr.startsWith("sum(rate(flask_requests{") && expr.includes('juju_application=~"$juju_application"')), exprs.join("\n"));
  assert.ok(exprs.some((expr) => expr.includes("flask_response_code")));
  const logs = dashboard.panels.find((panel) => panel.type === "logs")!;
  assert.equal(logs.datasource.uid, "${lokids}");
});

test("every framework has its own dashboard with panels on its own metrics", () => {
  const expected = { django: ["Django Operator", "django_requests"], fastapi: ["FastAPI Operator", "http_request_duration_seconds_count"], go: ["Go Operator", "go_goroutines"], expressjs: ["ExpressJS Operator", "nodejs_eventloop_lag_seconds"], "spring-boot": ["Spring Boot Operator", "jvm_memory_used_bytes"] } as const;
  for (const [framework, [title, metric]] of Object.entries(expected)) {
    const data = published(framework as keyof typeof expected);
    const dashboard = JSON.parse(pythonLzmaDecode(data.templates[`file:${framework}`]!.content)) as Dashboard;
    assert.equal(dashboard.title, title);
    assert.ok(dashboard.panels.some((panel) => panel.targets.some((target) => target.expr.includes(metric))), `${framework}: ${metric}`);
    assert.ok(dashboard.panels.every((panel) => ["${prometheusds}", "${lokids}"].includes(panel.datasource.uid)));
  }
});

test("the same inputs publish the same bag (no churn); a follower publishes nothing", () => {
  assert.deepEqual(published("go"), published("go"));
  const follower = evaluateIntegrations(COS_ENDPOINTS, [grafana()], {}, cosContext({ leader: false }));
  assert.deepEqual(follower.writes, []);
});
