// Workload health through the simulator and a real workload container: with `health-check-path` the
// layer's ready check is an HTTP request; an app that stops answering (SIGSTOP: the process lives, the
// socket accepts, nothing answers) is not Active after one update-status, and is Active again after
// the next one once it answers. An app that does not start after a config change blocks with Pebble's
// reason instead of failing the hook, stays Blocked (not Waiting) while Pebble keeps restarting it, and a
// config it starts with brings it back.
import { test } from "node:test";
import assert from "node:assert/strict";
import { charmHarness, charmPath, standInRock, variantCharm } from "./support.ts";
import { databagsApp, fromFixture } from "../../simulator/providers/databags.ts";
import { fixture } from "../paas/integrations/support.ts";

const harness = await charmHarness();
const { simulation } = harness;
const UNIT = "example-app/0";
const status = () => harness.status(UNIT);
const charm = variantCharm("example-app-health", { "runtime.yaml": (text) => `${text}health-check-path: /\n` });

test("the ready check requests the app's port over HTTP and the unit is active", async () => {
  await simulation.deployCharm("example-app", charm);
  await simulation.deployScripted(databagsApp(fromFixture(fixture("postgresql_client"), "database")));
  await simulation.integrate({ app: "example-app", endpoint: "postgresql" }, { app: "postgresql-k8s", endpoint: "database" });
  const check = (await harness.plan(UNIT)).checks["expressjs-ready"];
  assert.equal(check?.http?.url, "http://localhost:8080/");
  assert.equal(check?.level, "ready");
  await simulation.updateStatus();
  assert.deepEqual(status(), { status: "active", message: "" });
});

test("an app that stops answering is waiting after one update-status, and active once it answers again", async () => {
  const pebble = harness.pebble(UNIT);
  await pebble.sendSignal("SIGSTOP", ["expressjs"]);
  try {
    await simulation.updateStatus();
    assert.deepEqual(status(), { status: "waiting", message: "Waiting for the app to answer on port 8080 (check expressjs-ready is failing)" });
    const [service] = await pebble.getServices(["expressjs"]);
    assert.equal(service?.current, "active", "the charm restarted nothing: the process still runs");
  } finally {
    await pebble.sendSignal("SIGCONT", ["expressjs"]);
  }
  await simulation.updateStatus();
  assert.deepEqual(status(), { status: "active", message: "" });
});

test("an app whose process is gone is waiting after one update-status (TCP check, no path)", async () => {
  const plain = await charmHarness();
  await plain.simulation.deployCharm("example-app", charmPath);
  await plain.simulation.deployScripted(databagsApp(fromFixture(fixture("postgresql_client"), "database")));
  await plain.simulation.integrate({ app: "example-app", endpoint: "postgresql" }, { app: "postgresql-k8s", endpoint: "database" });
  assert.equal(plain.simulation.model().units[UNIT]!.status.status, "active");
  const pebble = plain.pebble(UNIT);
  // Stopped behind the charm's back: nothing listens on the port, and no event of the charm restarts it.
  await pebble.stopServices(["expressjs"]);
  await plain.simulation.updateStatus();
  assert.deepEqual(plain.status(UNIT), { status: "waiting", message: "Waiting for the app to answer on port 8080 (check expressjs-ready is failing)" });
});

test("an app that does not start blocks with Pebble's reason, the hook succeeds, and a config it starts with brings it back", async () => {
  // Stands for an app that exits at once on a bad setting (here: any port but 8080).
  const picky = await charmHarness({ rock: standInRock("expressjs", `[ "$PORT" = 8080 ] || exit 3; exec python3 -m http.server "$PORT"`) });
  await picky.simulation.deployCharm("example-app", charmPath);
  await picky.simulation.deployScripted(databagsApp(fromFixture(fixture("postgresql_client"), "database")));
  await picky.simulation.integrate({ app: "example-app", endpoint: "postgresql" }, { app: "postgresql-k8s", endpoint: "database" });
  assert.deepEqual(picky.status(UNIT), { status: "active", message: "" });

  await picky.simulation.configure("example-app", { "app-port": 8081 });
  assert.deepEqual(picky.status(UNIT), {
    status: "blocked",
    message: 'The app did not start: Start service "expressjs" (service start attempt: exited quickly with code 3, will restart)',
  });
  assert.equal((await picky.env(UNIT)).PORT, "8081", "the new layer is in the plan");
  await picky.simulation.updateStatus();
  // Pebble keeps restarting it: named, not Waiting for good.
  assert.deepEqual(picky.status(UNIT), { status: "blocked", message: 'The app keeps exiting: Pebble restarts service "expressjs" with back-off' });

  await picky.simulation.configure("example-app", { "app-port": null });
  assert.deepEqual(picky.status(UNIT), { status: "active", message: "" });
  const [service] = await picky.pebble(UNIT).getServices(["expressjs"]);
  assert.equal(service?.current, "active");
});
