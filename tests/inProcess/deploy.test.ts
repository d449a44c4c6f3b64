// The example charm's reconcile in-process (tests/support/inProcessCharm.ts): deploy without its required
// database, then with postgresql-k8s's data; statuses, the env the app gets, the relation data the charm
// writes, the port, and no Pebble change for an event that changes nothing.
import { test } from "node:test";
import assert from "node:assert/strict";
import { charmDir, inProcessHarness } from "../support/inProcessCharm.ts";
import { fakePostgres } from "../support/fakeServers.ts";
import { postgresqlProvider } from "../../simulator/providers/postgresql.ts";
import { ingressProvider } from "../../simulator/providers/ingress.ts";

const harness = inProcessHarness();
const { simulation } = harness;
const unit = "example-app/0";

test("without PostgreSQL the unit is blocked and the app is stopped", async () => {
  await simulation.deployCharm("example-app", charmDir());
  assert.deepEqual(harness.status(unit), { status: "blocked", message: "missing integrations: postgresql" });
  assert.equal(simulation.model().applications["example-app"]!.status.message, "missing integrations: postgresql");
  assert.notEqual(harness.workload(unit).services.get("expressjs"), "active");
  assert.deepEqual(simulation.model().units[unit]!.openedPorts["*"] ?? [], []);
});

test("with PostgreSQL the unit is active and the app gets the reference's environment", async () => {
  await simulation.deployScripted(postgresqlProvider(fakePostgres()));
  const relationId = await simulation.integrate({ app: "example-app", endpoint: "postgresql" }, { app: "postgresql-k8s", endpoint: "database" });
  assert.deepEqual(harness.status(unit), { status: "active", message: "" });

  const relation = simulation.model().relations[String(relationId)]!;
  assert.equal(relation.appData["example-app"]!.database, "example-app");
  assert.equal(relation.appData["example-app"]!["requested-secrets"], '["username", "password", "tls", "tls-ca", "uris", "read-only-uris", "entity-name", "entity-password"]');

  const env = await harness.env(unit);
  assert.equal(env.PORT, "8080");
  assert.equal(env.NODE_ENV, "production");
  assert.equal(env.APP_BASE_URL, "http://example-app.test-model:8080");
  assert.equal(env.METRICS_PORT, "8080");
  assert.equal(env.METRICS_PATH, "/metrics");
  assert.match(env.APP_SECRET_KEY!, /^[A-Za-z0-9_-]{86}$/);
  assert.match(env.POSTGRESQL_DB_CONNECT_STRING!, new RegExp(`^postgresql://relation_id_${relationId}:[^@]+@10\\.1\\.0\\.5:5432/example-app$`));
  assert.equal(env.POSTGRESQL_DB_NAME, "example-app");
  assert.equal(env.POSTGRESQL_DB_HOSTNAME, "10.1.0.5");
  assert.equal(harness.workload(unit).services.get("expressjs"), "active");
  assert.deepEqual(simulation.model().units[unit]!.openedPorts["*"], ["8080/tcp"]);
});

test("config-changed with nothing new makes no Pebble change and no status-set", async () => {
  const pebble = harness.workload(unit);
  // update-status runs the app's check at once (POST /v1/checks/refresh): a read, not a change.
  const writes = () => pebble.requests.filter((r) => r.method === "POST" && r.path !== "/v1/checks/refresh").length;
  const before = writes();
  await simulation.configure("example-app", { "node-env": "production" });
  await simulation.updateStatus();
  assert.equal(writes(), before, "an event that changes nothing wrote to Pebble");
});

test("a real config change reaches the app's environment", async () => {
  await simulation.configure("example-app", { "node-env": "development" });
  assert.equal((await harness.env(unit)).NODE_ENV, "development");
});

test("ingress replaces the base URL and gets the app's data", async () => {
  await simulation.deployScripted(ingressProvider());
  const id = await simulation.integrate({ app: "example-app", endpoint: "ingress" }, { app: "traefik-k8s", endpoint: "ingress" });
  const relation = simulation.model().relations[String(id)]!;
  assert.deepEqual(relation.appData["example-app"], { model: '"test-model"', name: '"example-app"', port: "8080", "strip-prefix": "true", is_port_open: "true" });
  assert.equal((await harness.env(unit)).APP_BASE_URL, "http://ingress.sim.local/test-model-example-app");
  assert.equal(harness.status(unit).status, "active");
});

test("removing PostgreSQL blocks again and stops the app", async () => {
  const id = Object.values(simulation.model().relations).find((r) => r.interface === "postgresql_client" && !r.broken)!.id;
  await simulation.removeRelation(id);
  assert.equal(harness.status(unit).message, "missing integrations: postgresql");
  assert.notEqual(harness.workload(unit).services.get("expressjs"), "active");
});
