// valkey through the simulator with a provider that answers the request the charm draws (id and salt),
// with its credentials in a Juju secret: the charm publishes a v1 request, the app gets VALKEY_* with the
// credentials; an answer taken back or not yet complete takes them away (valkey is optional, so the unit
// stays active); TLS or endpoints that form no URL block naming the relation; removal takes them away.
import { test } from "node:test";
import assert from "node:assert/strict";
import { charmDir, inProcessHarness } from "../support/inProcessCharm.ts";
import { databagsApp, fromFixture } from "../../simulator/providers/databags.ts";
import { valkeyProvider } from "../../simulator/providers/valkey.ts";
import { addSecret, grantSecret } from "../../simulator/modelBuilder.ts";
import type { Model } from "../../simulator/model.ts";
import { fixture, pick } from "../paas/integrations/support.ts";

const APP = "flask-k8s";
const UNIT = `${APP}/0`;
const PROVIDER = "valkey";
const ACTIVE = { status: "active", message: "" };
const harness = inProcessHarness();
const charmPath = charmDir();
const { simulation } = harness;
const status = () => harness.status(UNIT);
const valkeyVars = async () => pick(await harness.env(UNIT), "VALKEY_");

test("the charm's request is answered, the app gets the URL with the secret's credentials; partial and malformed answers; removal", async () => {
  await simulation.deployCharm(APP, charmPath);
  await simulation.deployScripted(databagsApp(fromFixture(fixture("postgresql_client"), "provider")));
  await simulation.integrate({ app: APP, endpoint: "postgresql" }, { app: "postgresql-k8s", endpoint: "provider" });

  await simulation.deployScripted(valkeyProvider({ endpoints: "10.1.157.90:6379", readOnlyEndpoints: "10.1.157.91:6379", version: "9.0.1" }, PROVIDER));
  const id = await simulation.integrate({ app: APP, endpoint: "valkey" }, { app: PROVIDER, endpoint: "valkey-client" });
  const ours = simulation.model().relations[String(id)]!.appData[APP]!;
  assert.equal(ours.version, "v1");
  const [request] = JSON.parse(ours.requests!) as Array<Record<string, unknown>>;
  // The recorded request of the Python charm, but for the id and salt each requirer draws.
  const [recorded] = JSON.parse(fixture("valkey_client").requirer.app.requests!) as Array<Record<string, unknown>>;
  const drawn = (entry: Record<string, unknown>) => ({ ...entry, "request-id": "drawn", salt: "drawn" });
  assert.deepEqual(drawn(request!), drawn(recorded!));
  assert.match(String(request!["request-id"]), /^[0-9a-f]{16}$/);
  assert.match(String(request!.salt), /^[A-Za-z0-9]{16}$/);

  const user = `relation-${id}-${String(request!["request-id"])}`;
  const vars = await valkeyVars();
  assert.match(vars.VALKEY_DB_CONNECT_STRING!, new RegExp(`^valkey://${user}:[A-Za-z0-9_-]{16}@10\\.1\\.157\\.90:6379$`));
  assert.equal(vars.VALKEY_DB_USERNAME, user);
  assert.equal(vars.VALKEY_DB_HOSTNAME, "10.1.157.90");
  assert.equal(vars.VALKEY_DB_PORT, "6379");
  assert.equal(vars.VALKEY_DB_READ_ONLY_ENDPOINTS, "10.1.157.91:6379");
  assert.equal(vars.VALKEY_VERSION, "9.0.1");
  assert.equal(vars.VALKEY_MODE, "primary");
  assert.deepEqual(status(), ACTIVE);

  const answered = simulation.model().relations[String(id)]!.appData[PROVIDER]!;
  const [response] = JSON.parse(answered.requests!) as Array<Record<string, unknown>>;
  type Answer = (model: Model) => Record<string, unknown>[] | string;
  const answer = (edit: Answer) =>
    simulation.change((model) => {
      const responses = edit(model);
      model.relations[String(id)]!.appData[PROVIDER] = { version: "v1", requests: typeof responses === "string" ? responses : JSON.stringify(responses) };
    });
  /** A TLS secret of the provider's with the given content, granted to our app. */
  const tlsSecret = (model: Model, tls: string) => {
    const secret = addSecret(model, { owner: { kind: "application", name: PROVIDER }, content: { tls } });
    grantSecret(model, secret, id, APP);
    return `secret://${model.uuid}/${secret}`;
  };

  const partial: Array<[string, Answer]> = [
    ["answer taken back", () => []],
    ["requests not JSON", () => "[{"],
    ["another request's answer only", () => [{ ...response, "request-id": "0000000000000000" }]],
    ["no endpoints yet", () => [{ ...response, endpoints: "" }]],
    ["a user secret we were not granted", (model) => {
      const secret = addSecret(model, { owner: { kind: "application", name: PROVIDER }, content: { username: "u", password: "p" } });
      return [{ ...response, "secret-user": `secret://${model.uuid}/${secret}` }];
    }],
    ["TLS off", (model) => [{ ...response, "secret-tls": tlsSecret(model, "false") }]],
  ];
  for (const [what, edit] of partial) {
    await answer(edit);
    assert.deepEqual(status(), ACTIVE, what);
    if (what === "TLS off") assert.deepEqual(await valkeyVars(), vars, what);
    else assert.deepEqual(await valkeyVars(), {}, `${what} leaves VALKEY_* behind`);
  }

  const malformed: Array<[string, Answer]> = [
    ["TLS on", (model) => [{ ...response, "secret-tls": tlsSecret(model, "true") }]],
    ["endpoints that form no URL", () => [{ ...response, endpoints: "[::1:6379" }]],
  ];
  for (const [what, edit] of malformed) {
    await answer(edit);
    assert.deepEqual(status(), { status: "blocked", message: "Invalid valkey relation data." }, what);
  }

  await answer(() => JSON.parse(answered.requests!) as Record<string, unknown>[]);
  assert.deepEqual(status(), ACTIVE);
  assert.deepEqual(await valkeyVars(), vars);

  await simulation.removeRelation(id);
  assert.deepEqual(await valkeyVars(), {});
  assert.deepEqual(status(), ACTIVE);
});
