// valkey through the simulator with a provider that answers the request the charm draws (id and salt),
// with its credentials in a Juju secret: the charm publishes a v1 request, the app gets VALKEY_* with the
// credentials, and removing the relation takes them away.
import { test } from "node:test";
import assert from "node:assert/strict";
import { charmHarness, charmPath } from "./support.ts";
import { databagsApp, fromFixture } from "../../simulator/providers/databags.ts";
import { valkeyProvider } from "../../simulator/providers/valkey.ts";
import { fixture } from "../paas/integrations/support.ts";

const APP = "flask-k8s";
const UNIT = `${APP}/0`;
const harness = await charmHarness();
const { simulation } = harness;
const valkeyVars = async () => Object.fromEntries(Object.entries(await harness.env(UNIT)).filter(([key]) => key.startsWith("VALKEY_")));

test("the charm's request is answered, the app gets the URL with the secret's credentials, removal takes it away", async () => {
  await simulation.deployCharm(APP, charmPath);
  await simulation.deployScripted(databagsApp(fromFixture(fixture("postgresql_client"), "provider")));
  await simulation.integrate({ app: APP, endpoint: "postgresql" }, { app: "postgresql-k8s", endpoint: "provider" });

  await simulation.deployScripted(valkeyProvider({ endpoints: "10.1.157.90:6379", readOnlyEndpoints: "10.1.157.91:6379", version: "9.0.1" }));
  const id = await simulation.integrate({ app: APP, endpoint: "valkey" }, { app: "valkey", endpoint: "valkey-client" });
  const ours = simulation.model().relations[String(id)]!.appData[APP]!;
  assert.equal(ours.version, "v1");
  const [request] = JSON.parse(ours.requests!) as Array<Record<string, unknown>>;
  assert.equal(request!.resource, "*");
  assert.match(String(request!["request-id"]), /^[0-9a-f]{16}$/);

  const user = `relation-${id}-${String(request!["request-id"])}`;
  const vars = await valkeyVars();
  assert.match(vars.VALKEY_DB_CONNECT_STRING!, new RegExp(`^valkey://${user}:[A-Za-z0-9_-]{16}@10\\.1\\.157\\.90:6379$`));
  assert.equal(vars.VALKEY_DB_USERNAME, user);
  assert.equal(vars.VALKEY_DB_HOSTNAME, "10.1.157.90");
  assert.equal(vars.VALKEY_DB_PORT, "6379");
  assert.equal(vars.VALKEY_DB_READ_ONLY_ENDPOINTS, "10.1.157.91:6379");
  assert.equal(vars.VALKEY_VERSION, "9.0.1");
  assert.equal(vars.VALKEY_MODE, "primary");
  assert.equal(simulation.model().units[UNIT]!.status.status, "active");

  await simulation.removeRelation(id);
  assert.deepEqual(await valkeyVars(), {});
  assert.equal(simulation.model().units[UNIT]!.status.status, "active");
});
