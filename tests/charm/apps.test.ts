// Real apps under the packed charm, in real workload containers (real Pebble, the rock in its own
// namespaces) against a real PostgreSQL:
// - the Flask app: its migrate.sh creates its table and the app reads and writes it over HTTP; a migration
//   the database refuses blocks the unit and, once the database is fixed, update-status recovers it; with
//   redis related, the app reaches a real redis-server through the REDIS_DB_CONNECT_STRING the charm set;
// - the example ExpressJS app on three units: rotate-secret-key on the leader makes every unit's app refuse
//   a session cookie signed before the rotation.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { SERVICE_ADDRESS } from "../../simulator/controller/serviceAddress.ts";
import { databagsApp } from "../../simulator/providers/databags.ts";
import { postgresqlProvider } from "../../simulator/providers/postgresql.ts";
import type { Simulation } from "../../simulator/simulation.ts";
import { charmPath, repoRoot } from "../support/paths.ts";
import { startRedis } from "../support/redis.ts";
import { packFrameworkCharm, realWorkloadSuite, removeFrameworkCharm, type FrameworkCharm } from "./realWorkloads.ts";
import { unitStatus } from "./support.ts";
import { http } from "../support/http.ts";

const suite = realWorkloadSuite("charm-apps");
before(() => suite.start());
after(() => suite.stop());

describe("the Flask app under the charm", () => {
  const app = "flask-k8s";
  const unit = `${app}/0`;
  const addresses = new Map<string, string>();
  let charm: FrameworkCharm;
  let simulation: Simulation;
  const status = () => unitStatus(simulation, unit);
  const url = (path: string) => `http://${addresses.get(unit)}:8000${path}`;

  before(async () => {
    charm = await packFrameworkCharm("flask", { optionalRequires: { redis: "redis" } });
    simulation = suite.simulation("flask", join(repoRoot, "tests", "apps", "flask"), addresses);
    // The database exists before the relation, its public schema closed to everyone but the superuser:
    // the app's role may connect but not create its table.
    await suite.postgres.createDatabase(app, "schema_owner");
    await suite.postgres.sql(app, "ALTER SCHEMA public OWNER TO postgres;\nREVOKE ALL ON SCHEMA public FROM PUBLIC;\n");
  });
  after(async () => {
    await simulation.destroy();
    await removeFrameworkCharm(charm);
  });

  test("a migration the database refuses blocks the unit, naming the command", async () => {
    await simulation.deployCharm(app, charm.path);
    await simulation.deployScripted(postgresqlProvider(suite.postgres, "flask-db"));
    await simulation.integrate({ app, endpoint: "postgresql" }, { app: "flask-db", endpoint: "database" });
    assert.deepEqual(status(), {
      status: "blocked", message: "database migration command bash -eo pipefail migrate.sh failed, will retry in next update-status",
    });
  });

  test("once the database allows it, update-status runs the migration again and the unit is active", async () => {
    await suite.postgres.sql(app, "GRANT CREATE, USAGE ON SCHEMA public TO PUBLIC;\n");
    await simulation.updateStatus();
    assert.deepEqual(status(), { status: "active", message: "" });
  });

  test("the app writes to and reads from the table its migration created, over HTTP", async () => {
    const created = await http(url("/items"), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ value: "from the charm test" }) });
    assert.equal(created.status, 201, created.body);
    const listed = await http(url("/items"));
    assert.equal(listed.status, 200, listed.body);
    assert.deepEqual((JSON.parse(listed.body) as Array<{ value: string }>).map((item) => item.value), ["from the charm test"]);
  });

  test("with redis related, the app pings a real Redis at the address the charm gave it", async () => {
    const redis = await startRedis({ host: SERVICE_ADDRESS });
    try {
      // redis-k8s's databags (docs/integrations.md, "redis"): the leader's host in the app bag, the port in the unit bag.
      await simulation.deployScripted(databagsApp({
        name: "redis-k8s", endpoint: "redis", interface: "redis", role: "provides",
        app: { "leader-host": SERVICE_ADDRESS }, units: [{ hostname: SERVICE_ADDRESS, port: String(redis.port) }],
      }));
      await simulation.integrate({ app, endpoint: "redis" }, { app: "redis-k8s", endpoint: "redis" });
      assert.equal(status().status, "active");
      const pinged = await http(url("/redis"));
      assert.equal(pinged.status, 200, pinged.body);
      assert.deepEqual(JSON.parse(pinged.body), { ping: true });
    } finally {
      await redis.stop();
    }
  });

  test("a later event does not run the completed migration again", async () => {
    // Closing the schema again would fail a second run of migrate.sh: the unit stays active.
    await suite.postgres.sql(app, "REVOKE CREATE ON SCHEMA public FROM PUBLIC;\n");
    await simulation.configure(app, { "flask-env": "staging" });
    await simulation.updateStatus();
    assert.equal(status().status, "active");
    assert.equal((await http(url("/items"))).status, 200);
  });
});

describe("the example app on three units", () => {
  const app = "example-app";
  const units = [0, 1, 2].map((n) => `${app}/${n}`);
  const addresses = new Map<string, string>();
  let simulation: Simulation;
  const url = (unit: string, path: string) => `http://${addresses.get(unit)}:8080${path}`;

  before(async () => {
    simulation = suite.simulation("example", repoRoot, addresses);
    await simulation.deployCharm(app, charmPath, { units: 3 });
    await simulation.deployScripted(postgresqlProvider(suite.postgres, "example-db"));
    await simulation.integrate({ app, endpoint: "postgresql" }, { app: "example-db", endpoint: "database" });
  });
  after(() => simulation.destroy());

  test("a cookie from one unit is good on every unit, and on none after rotate-secret-key", async () => {
    for (const unit of units) assert.equal(simulation.model().units[unit]!.status.status, "active", unit);
    const login = await http(url(units[1]!, "/login?user=alice"));
    assert.equal(login.status, 200, login.body);
    const cookie = login.headers.get("set-cookie")!.split(";", 1)[0]!;
    for (const unit of units) assert.equal((await http(url(unit, "/me"), { headers: { cookie } })).status, 200, unit);

    const leader = units.find((unit) => simulation.model().units[unit]!.leader)!;
    const actionId = await simulation.runAction(leader, "rotate-secret-key");
    assert.equal(simulation.model().actions[actionId]!.results.status, "success");

    for (const unit of units) {
      assert.equal(simulation.model().units[unit]!.status.status, "active", unit);
      assert.equal((await http(url(unit, "/me"), { headers: { cookie } })).status, 401, `${unit} still accepts the old key`);
    }
    const fresh = (await http(url(units[2]!, "/login?user=bob"))).headers.get("set-cookie")!.split(";", 1)[0]!;
    for (const unit of units) assert.equal((await http(url(unit, "/me"), { headers: { cookie: fresh } })).status, 200, unit);
  });
});
