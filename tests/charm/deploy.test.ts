// The packed example charm through dispatch, a real Pebble and a real PostgreSQL: what only the packed binary
// in a real workload container proves — the app's service really stops and starts, its connection string
// names the real server, and an event that changes nothing makes no Pebble change at all. The statuses,
// env and relation data of the same sequence, and ingress, are asserted in-process (tests/inProcess/deploy.test.ts).
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { charmHarness, charmPath } from "./support.ts";
import { startPostgres } from "../../simulator/servers/postgres.ts";
import { postgresqlProvider } from "../../simulator/providers/postgresql.ts";

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

test("with a real PostgreSQL the unit is active, the app runs, and its connection string names the server", async () => {
  await simulation.deployScripted(postgresqlProvider(postgres));
  const relationId = await simulation.integrate({ app: "example-app", endpoint: "postgresql" }, { app: "postgresql-k8s", endpoint: "database" });
  assert.deepEqual({ ...unitStatus(), since: undefined }, { status: "active", message: "", since: undefined });

  const env = await harness.env("example-app/0");
  assert.match(env.POSTGRESQL_DB_CONNECT_STRING!, new RegExp(`^postgresql://relation_id_${relationId}:[^@]+@127\\.0\\.0\\.1:${postgres.port}/example-app$`));
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

test("removing PostgreSQL blocks again and stops the app", async () => {
  const id = Object.values(simulation.model().relations).find((r) => r.interface === "postgresql_client" && !r.broken)!.id;
  await simulation.removeRelation(id);
  assert.equal(unitStatus().message, "missing integrations: postgresql");
  const [service] = await harness.pebble("example-app/0").getServices(["expressjs"]);
  assert.notEqual(service?.current, "active");
});
