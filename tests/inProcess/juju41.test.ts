// The same reconcile on a Juju 4.1 controller, whose hook tools differ from 3.6's where secrets are
// concerned (docs/hook-tools.md): two units share the leader's key, and rotate-secret-key reaches both.
import { test } from "node:test";
import assert from "node:assert/strict";
import { charmDir, inProcessHarness } from "../support/inProcessCharm.ts";
import { databagsApp, fromFixture } from "../../simulator/providers/databags.ts";
import { fixture } from "../paas/integrations/support.ts";

const harness = inProcessHarness({ jujuVersion: "4.1.0" });
const { simulation } = harness;
const units = ["example-app/0", "example-app/1"];
const keys = async () => Promise.all(units.map(async (unit) => (await harness.env(unit)).APP_SECRET_KEY));

test("on Juju 4.1 both units run with the leader's key and are active", async () => {
  await simulation.deployCharm("example-app", charmDir(), { units: 2 });
  await simulation.deployScripted(databagsApp(fromFixture(fixture("postgresql_client"), "database")));
  await simulation.integrate({ app: "example-app", endpoint: "postgresql" }, { app: "postgresql-k8s", endpoint: "database" });
  for (const unit of units) assert.deepEqual(harness.status(unit), { status: "active", message: "" }, unit);
  const [first, second] = await keys();
  assert.match(first!, /^[A-Za-z0-9_-]{86}$/);
  assert.equal(second, first);
});

test("on Juju 4.1 rotate-secret-key gives both units' apps the new key", async () => {
  const [before] = await keys();
  const id = await simulation.runAction("example-app/0", "rotate-secret-key");
  assert.equal(simulation.model().actions[id]!.status, "completed", simulation.model().actions[id]!.message);
  const [first, second] = await keys();
  assert.notEqual(first, before);
  assert.equal(second, first);
});
