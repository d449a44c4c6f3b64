// What the workload does, as the charm's reconcile meets it in-process: the app dir's migration script runs
// once with the app's environment, a failing one blocks with paas-charm's message and is retried on
// update-status, a service Pebble cannot start blocks with Pebble's reason and the app's last words, an app
// whose check fails is Waiting, and a Pebble that does not answer is waited for.
import { test } from "node:test";
import assert from "node:assert/strict";
import { charmDir, inProcessHarness } from "../support/inProcessCharm.ts";
import { databagsApp, fromFixture } from "../../simulator/providers/databags.ts";
import { fixture } from "../paas/integrations/support.ts";

const UNIT = "example-app/0";
const MIGRATE = ["bash", "-eo", "pipefail", "migrate.sh"];

async function deployWithDatabase(harness: ReturnType<typeof inProcessHarness>): Promise<void> {
  await harness.simulation.deployCharm("example-app", charmDir());
  await harness.simulation.deployScripted(databagsApp(fromFixture(fixture("postgresql_client"), "database")));
  await harness.simulation.integrate({ app: "example-app", endpoint: "postgresql" }, { app: "postgresql-k8s", endpoint: "database" });
}

test("the app dir's migrate.sh runs once, as _daemon_ in /app with the app's environment, before the app starts", async () => {
  const harness = inProcessHarness({ appFiles: { "migrate.sh": "psql \"$POSTGRESQL_DB_CONNECT_STRING\" -f schema.sql\n" } });
  await deployWithDatabase(harness);
  assert.deepEqual(harness.status(UNIT), { status: "active", message: "" });
  const workload = harness.workload(UNIT);
  const migrations = workload.execs.filter((call) => call.command.join(" ") === MIGRATE.join(" "));
  assert.equal(migrations.length, 1);
  assert.equal(migrations[0]!.workingDir, "/app");
  assert.equal(migrations[0]!.user, "_daemon_");
  assert.equal(migrations[0]!.environment.POSTGRESQL_DB_CONNECT_STRING, (await harness.env(UNIT)).POSTGRESQL_DB_CONNECT_STRING);
  assert.equal(workload.services.get("expressjs"), "active");
  await harness.simulation.updateStatus();
  assert.equal(workload.execs.filter((call) => call.command.join(" ") === MIGRATE.join(" ")).length, 1, "a completed migration ran again");
});

test("a failing migration blocks with paas-charm's message, keeps the app stopped, and is retried on update-status", async () => {
  const harness = inProcessHarness({ appFiles: { "migrate.sh": "exit 1\n" } });
  let fails = true;
  const failing = () => harness.workload(UNIT).onExec = (call) => ({ exitCode: fails && call.command.includes("migrate.sh") ? 1 : 0, stderr: "ERROR: relation \"notes\" does not exist\n" });
  await harness.simulation.deployCharm("example-app", charmDir());
  failing();
  await harness.simulation.deployScripted(databagsApp(fromFixture(fixture("postgresql_client"), "database")));
  await harness.simulation.integrate({ app: "example-app", endpoint: "postgresql" }, { app: "postgresql-k8s", endpoint: "database" });
  assert.deepEqual(harness.status(UNIT), { status: "blocked", message: "database migration command bash -eo pipefail migrate.sh failed, will retry in next update-status" });
  assert.notEqual(harness.workload(UNIT).services.get("expressjs"), "active");
  const logs = harness.simulation.model().units[UNIT]!.logs.map((line) => line.message).join("\n");
  assert.match(logs, /the database migration exited with code 1:\nERROR: relation "notes" does not exist/);

  fails = false;
  await harness.simulation.updateStatus();
  assert.deepEqual(harness.status(UNIT), { status: "active", message: "" });
  assert.equal(harness.workload(UNIT).services.get("expressjs"), "active");
});

test("a service Pebble cannot start blocks with Pebble's reason, then as an app that keeps exiting, with its last log lines; no hook fails", async () => {
  const harness = inProcessHarness();
  await harness.simulation.deployCharm("example-app", charmDir());
  const workload = harness.workload(UNIT);
  workload.startFailures.set("expressjs", "service start attempt: exited quickly with code 3, will restart");
  workload.logs.set("expressjs", ["listening on 8080", "Error: PORT must be 8080"]);
  await harness.simulation.deployScripted(databagsApp(fromFixture(fixture("postgresql_client"), "database")));
  await harness.simulation.integrate({ app: "example-app", endpoint: "postgresql" }, { app: "postgresql-k8s", endpoint: "database" });
  const tail = "; last log lines: listening on 8080 | Error: PORT must be 8080";
  const shown = harness.simulation.model().units[UNIT]!.statusHistory.map((entry) => entry.message);
  assert.ok(shown.includes(`The app did not start: Start service "expressjs" (service start attempt: exited quickly with code 3, will restart)${tail}`), shown.join("\n"));
  // The events after the failed replan find Pebble restarting it: named, not Waiting for good.
  assert.deepEqual(harness.status(UNIT), { status: "blocked", message: `The app keeps exiting: Pebble restarts service "expressjs" with back-off${tail}` });
  const failedHooks = harness.simulation.history.filter((entry) => entry.unit === UNIT && entry.result && entry.result.exitCode !== 0);
  assert.deepEqual(failedHooks, []);
});

test("an app whose ready check fails is Waiting after update-status, and active once it answers again", async () => {
  const harness = inProcessHarness();
  await deployWithDatabase(harness);
  const workload = harness.workload(UNIT);
  const [check] = Object.keys(workload.plan().checks);
  assert.ok(check, "the charm's layer has a ready check");
  workload.checkStatus.set(check!, { status: "down", failures: 1 });
  await harness.simulation.updateStatus();
  assert.deepEqual(harness.status(UNIT), { status: "waiting", message: `Waiting for the app to answer on port 8080 (check ${check} is failing)` });
  workload.checkStatus.delete(check!);
  await harness.simulation.updateStatus();
  assert.deepEqual(harness.status(UNIT), { status: "active", message: "" });
});

test("a Pebble that does not answer is waited for, and the next event converges", async () => {
  const harness = inProcessHarness();
  await deployWithDatabase(harness);
  const workload = harness.workload(UNIT);
  workload.up = false;
  await harness.simulation.configure("example-app", { "node-env": "development" });
  assert.deepEqual(harness.status(UNIT), { status: "waiting", message: "Waiting for pebble ready" });
  workload.up = true;
  await harness.simulation.emit(UNIT, { kind: "workload", hook: "pebble-ready", container: "app" });
  assert.deepEqual(harness.status(UNIT), { status: "active", message: "" });
  assert.equal((await harness.env(UNIT)).NODE_ENV, "development");
});
