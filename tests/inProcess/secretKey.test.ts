// The shared secret key on a 3-unit app: generated once by the leader into a Juju secret, the same on every
// unit, rotated by the leader's rotate-secret-key action onto every unit's app, refused on a non-leader.
// And across the whole run, no secret value reaches juju-log, a status or any hook tool's argv.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readCalls } from "../../simulator/hookTools/callLog.ts";
import { fakePostgres } from "../support/fakeServers.ts";
import { postgresqlProvider } from "../../simulator/providers/postgresql.ts";
import { charmDir, inProcessHarness } from "../support/inProcessCharm.ts";

const harness = inProcessHarness();
const charmPath = charmDir();
const { simulation } = harness;
const postgres = fakePostgres();
const units = ["example-app/0", "example-app/1", "example-app/2"];
const keys = async () => Promise.all(units.map(async (u) => (await harness.env(u)).APP_SECRET_KEY));

test("every unit of a 3-unit app runs with the one key the leader generated", async () => {
  await simulation.deployCharm("example-app", charmPath, { units: 3 });
  await simulation.deployScripted(postgresqlProvider(postgres));
  await simulation.integrate({ app: "example-app", endpoint: "postgresql" }, { app: "postgresql-k8s", endpoint: "database" });
  for (const unit of units) assert.equal(simulation.model().units[unit]!.status.status, "active", unit);
  const [first, ...rest] = await keys();
  assert.match(first!, /^[A-Za-z0-9_-]{86}$/);
  for (const key of rest) assert.equal(key, first);
  const secrets = Object.values(simulation.model().secrets).filter((s) => s.label === "app-secret-key");
  assert.equal(secrets.length, 1);
  assert.deepEqual(secrets[0]!.owner, { kind: "application", name: "example-app" });
  // Named in the peer app databag, so units waiting for the key get relation-changed.
  const peer = Object.values(simulation.model().relations).find((r) => r.ends.some((e) => e.endpoint === "secret-storage"))!;
  assert.match(peer.appData["example-app"]!["app-secret-key-id"]!, new RegExp(`^secret:(//[^/]+/)?${secrets[0]!.id}$`));
});

test("outside peer hooks every unit keeps its peers, its key and its app running (goal-state never lists peers)", async () => {
  const peerFqdns = async () => Promise.all(units.map(async (u) => (await harness.env(u)).APP_PEER_FQDNS));
  const since = async () => Promise.all(units.map(async (u) => (await harness.pebble(u).getServices(["expressjs"]))[0]?.currentSince));
  const [keysBefore, fqdnsBefore, sinceBefore] = [await keys(), await peerFqdns(), await since()];
  for (const [i, fqdns] of fqdnsBefore.entries()) {
    const others = units.filter((_, j) => j !== i).map((u) => `${u.replace("/", "-")}.example-app-endpoints.test-model.svc.cluster.local`);
    assert.deepEqual(fqdns?.split(",").sort(), others.sort(), units[i]);
  }
  const keySecret = Object.values(simulation.model().secrets).find((s) => s.label === "app-secret-key")!;
  await simulation.updateStatus();
  for (const unit of units) await simulation.emit(unit, { kind: "lifecycle", hook: "config-changed" });
  await simulation.emit("example-app/1", { kind: "secret", hook: "secret-changed", secretId: `secret:${keySecret.id}`, label: "app-secret-key", revision: keySecret.revisions.at(-1)!.revision });
  assert.deepEqual(await keys(), keysBefore);
  assert.deepEqual(await peerFqdns(), fqdnsBefore);
  assert.deepEqual(await since(), sinceBefore, "an event outside the peer relation restarted an app");
  const peer = Object.values(simulation.model().relations).find((r) => r.ends.some((e) => e.endpoint === "secret-storage"))!;
  assert.match(peer.appData["example-app"]!["app-secret-key-id"]!, new RegExp(`${keySecret.id}$`));
  for (const unit of units) assert.equal(simulation.model().units[unit]!.status.status, "active", unit);
});

test("rotate-secret-key on the leader gives every unit's app the new key", async () => {
  const [before] = await keys();
  const id = await simulation.runAction("example-app/0", "rotate-secret-key");
  const run = simulation.model().actions[id]!;
  assert.equal(run.status, "completed", run.message);
  assert.equal(run.results.status, "success");
  const after = await keys();
  assert.notEqual(after[0], before);
  for (const key of after) assert.equal(key, after[0]);
});

test("rotate-secret-key on a non-leader fails with the reference's message", async () => {
  const [before] = await keys();
  const id = await simulation.runAction("example-app/1", "rotate-secret-key");
  const run = simulation.model().actions[id]!;
  assert.equal(run.status, "failed");
  assert.equal(run.message, "only leader unit can rotate secret key");
  assert.equal((await keys())[0], before);
});

test("no secret value appears in juju-log, statuses or hook-tool argv", async () => {
  const model = simulation.model();
  const secretValues = Object.values(model.secrets).flatMap((s) => s.revisions.flatMap((r) => Object.values(r.content))).filter((v) => v.length >= 8);
  assert.ok(secretValues.length >= 4, "expected the secret key revisions and the database password");
  const logs = Object.values(model.units).flatMap((u) => [...u.logs.map((l) => l.message), ...u.statusHistory.map((s) => s.message)]);
  const argv = readCalls(simulation.modelPath).map((call) => JSON.stringify(call));
  for (const value of secretValues) {
    assert.ok(!logs.some((line) => line.includes(value)), "a secret value reached juju-log or a status");
    assert.ok(!argv.some((line) => line.includes(value)), "a secret value reached a hook tool's argv");
  }
});
