// The packed example charm through the simulator and real Pebble: deploy without its required database,
// then with a real PostgreSQL behind postgresql-k8s; statuses, the env the app gets, the relation data the
// charm writes, and no restart for an event that changes nothing.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { charmHarness, charmPath } from "./support.ts";
import { startPostgres } from "../../simulator/servers/postgres.ts";
import { postgresqlProvider } from "../../simulator/providers/postgresql.ts";
import { ingressProvider } from "../../simulator/providers/ingress.ts";

const harness = await charmHarness();
const { simulation } = harness;
const postgres = await startPostgres();
after(() => postgres.stop());

const unitStatus = (unit = "example-app/0") => simulation.model().units[unit]!.status;

test("without PostgreSQL the unit is blocked and the app is stopped", async () => {
  await simulation.deployCharm("example-app", charmPath);
  assert.deepEqual({ ...unitStatus(), since: undefined }, { status: "blocked", message: "missing integrations: postgresql", since: undefined });
  assert.deepEqual(simulation.model().applications["example-app"]!.status.message, "missing integrations: postgresql");
  const [service] = await harness.pebble("example-app/0").getServices(["expressjs"]);
  assert.notEqual(service?.current, "active");
});

test("with PostgreSQL the unit is active and the app gets the reference's environment", async () => {
  await simulation.deployScripted(postgresqlProvider(postgres));
  const relationId = await simulation.integrate({ app: "example-app", endpoint: "postgresql" }, { app: "postgresql-k8s", endpoint: "database" });
  assert.deepEqual({ ...unitStatus(), since: undefined }, { status: "active", message: "", since: undefined });

  const relation = simulation.model().relations[String(relationId)]!;
  assert.equal(relation.appData["example-app"]!.database, "example-app");
  assert.equal(relation.appData["example-app"]!["requested-secrets"], '["username", "password", "tls", "tls-ca", "uris", "read-only-uris", "entity-name", "entity-password"]');

  const env = await harness.env("example-app/0");
  assert.equal(env.PORT, "8080");
  assert.equal(env.NODE_ENV, "production");
  assert.equal(env.APP_BASE_URL, "http://example-app.test-model:8080");
  assert.equal(env.METRICS_PORT, "8080");
  assert.equal(env.METRICS_PATH, "/metrics");
  assert.match(env.APP_SECRET_KEY!, /^[A-Za-z0-9_-]{86}$/);
  assert.match(env.POSTGRESQL_DB_CONNECT_STRING!, new RegExp(`^postgresql://relation_id_${relationId}:[^@]+@127\\.0\\.0\\.1:${postgres.port}/example-app$`));
  assert.equal(env.POSTGRESQL_DB_NAME, "example-app");
  assert.equal(env.POSTGRESQL_DB_HOSTNAME, "127.0.0.1");
  const [service] = await harness.pebble("example-app/0").getServices(["expressjs"]);
  assert.equal(service?.current, "active");
  assert.deepEqual(simulation.model().units["example-app/0"]!.openedPorts["*"], ["8080/tcp"]);
});

test("config-changed with nothing new restarts nothing", async () => {
  const pebble = harness.pebble("example-app/0");
  const [before] = await pebble.getServices(["expressjs"]);
  // Health checks make changes of their own (perform-check, recover-check), more of them on a loaded machine.
  const charmChanges = async () => (await pebble.requestSync<Array<{ id: string; kind: string }>>("GET", "/v1/changes", { query: { select: "all" } }))
    .filter((change) => !change.kind.endsWith("-check")).length;
  const changesBefore = await charmChanges();
  await simulation.configure("example-app", { "node-env": "production" });
  await simulation.updateStatus();
  const [afterEvent] = await pebble.getServices(["expressjs"]);
  assert.equal(afterEvent?.currentSince, before?.currentSince);
  const changesAfter = await charmChanges();
  assert.equal(changesAfter, changesBefore, "an event that changes nothing made Pebble changes");
});

test("a real config change reaches the app's environment", async () => {
  await simulation.configure("example-app", { "node-env": "development" });
  assert.equal((await harness.env("example-app/0")).NODE_ENV, "development");
});

test("ingress replaces the base URL and gets the app's data", async () => {
  await simulation.deployScripted(ingressProvider());
  const id = await simulation.integrate({ app: "example-app", endpoint: "ingress" }, { app: "traefik-k8s", endpoint: "ingress" });
  const relation = simulation.model().relations[String(id)]!;
  assert.deepEqual(relation.appData["example-app"], { model: '"test-model"', name: '"example-app"', port: "8080", "strip-prefix": "true", is_port_open: "true" });
  assert.equal((await harness.env("example-app/0")).APP_BASE_URL, "http://ingress.sim.local/test-model-example-app");
  assert.equal(unitStatus().status, "active");
});

test("removing PostgreSQL blocks again and stops the app", async () => {
  const id = Object.values(simulation.model().relations).find((r) => r.interface === "postgresql_client" && !r.broken)!.id;
  await simulation.removeRelation(id);
  assert.equal(unitStatus().message, "missing integrations: postgresql");
  const [service] = await harness.pebble("example-app/0").getServices(["expressjs"]);
  assert.notEqual(service?.current, "active");
});
