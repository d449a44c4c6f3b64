// Every integration through the simulator, provider by provider from the recorded databags of
// fixtures/: the env the app receives, the requirer data we write, the status for partial and malformed
// provider data, and that removing the relation takes its variables away. (http-proxy and valkey answer a
// request id the requirer draws, which recorded data cannot match: each has a provider of its own, in
// httpProxy.test.ts and valkey.test.ts; OAuth needs ingress too: oauth.test.ts.)
import { test } from "node:test";
import assert from "node:assert/strict";
import { charmDir, inProcessHarness } from "../support/inProcessCharm.ts";
import { databagsApp, fromFixture } from "../../simulator/providers/databags.ts";
import { addSecretRevision } from "../../simulator/modelBuilder.ts";
import { fixture, pick } from "../paas/integrations/support.ts";

const APP = "flask-k8s";
const UNIT = `${APP}/0`;
const harness = inProcessHarness();
const charmPath = charmDir();
const { simulation } = harness;
const status = () => harness.status(UNIT);
const env = () => harness.env(UNIT);

interface Case {
  fixture: string;
  /** Prefixes of the variables the integration sets. */
  prefixes: string[];
  /** Makes the provider data malformed: the status names the relation (absent: the module has no such case). */
  malform?: (app: Record<string, string>, units: Record<string, Record<string, string>>) => void;
  blocked?: string;
  /** The status once the provider takes its data back (default: active, the integration is optional). */
  partial?: { status: string; message: string };
}

const CASES: Case[] = [
  { fixture: "redis", prefixes: ["REDIS_"], malform: (_app, units) => { for (const bag of Object.values(units)) bag.port = "not-a-port"; }, blocked: "Invalid redis relation data." },
  { fixture: "rabbitmq", prefixes: ["RABBITMQ_"], malform: (app) => { app.hostname = "[::1"; }, blocked: "Invalid rabbitmq relation data." },
  { fixture: "rabbitmq_server_vm", prefixes: ["RABBITMQ_"], malform: (_app, units) => { for (const bag of Object.values(units)) bag.hostname = "[::1"; }, blocked: "Invalid rabbitmq relation data." },
  { fixture: "tracing", prefixes: ["OTEL_"], malform: (app) => { app.receivers = "[{"; }, blocked: "Invalid tracing relation data." },
  { fixture: "s3", prefixes: ["S3_"], malform: (app) => { delete app.bucket; }, blocked: "Invalid s3 relation data." },
  { fixture: "saml", prefixes: ["SAML_"], malform: (app) => { app.single_sign_on_service_redirect_url = "not a url"; }, blocked: "Invalid saml relation data." },
  { fixture: "smtp", prefixes: ["SMTP_"], malform: (app) => { app.port = "many"; }, blocked: "Invalid smtp relation data." },
  { fixture: "openfga", prefixes: ["FGA_"] },
  { fixture: "mysql_client", prefixes: ["MYSQL_"], malform: (app) => { app.endpoints = "[::1"; }, blocked: "Invalid mysql relation data." },
  { fixture: "mongodb_client", prefixes: ["MONGODB_"] },
];


test("the charm is active with the recorded PostgreSQL data", async () => {
  await simulation.deployCharm(APP, charmPath);
  await simulation.deployScripted(databagsApp(fromFixture(fixture("postgresql_client"), "provider")));
  await simulation.integrate({ app: APP, endpoint: "postgresql" }, { app: "postgresql-k8s", endpoint: "provider" });
  assert.deepEqual(status(), { status: "active", message: "" });
  const got = await env();
  for (const [key, value] of Object.entries(fixture("postgresql_client").env!)) assert.equal(got[key], value, key);
});

test("a provider that rotates its credentials (a new revision of its user secret) gets the app onto them", async () => {
  const relation = Object.values(simulation.model().relations).find((r) => r.ends.some((e) => e.app === "postgresql-k8s"))!;
  const secretUri = relation.appData["postgresql-k8s"]!["secret-user"]!;
  const id = secretUri.slice(secretUri.lastIndexOf("/") + 1).replace(/^secret:/, "");
  await simulation.change((model) => {
    // The provider rotates the password wherever its secret names it (password, uris).
    const content = model.secrets[id]!.revisions.at(-1)!.content;
    const rotated = Object.fromEntries(Object.entries(content).map(([key, value]) => [key, value.replaceAll(content.password!, "rotated-passw0rd")]));
    addSecretRevision(model, id, rotated);
  });
  assert.deepEqual(status(), { status: "active", message: "" });
  assert.equal((await env()).POSTGRESQL_DB_PASSWORD, "rotated-passw0rd");
});

for (const item of CASES) {
  test(`${item.fixture}: env, our data, partial and malformed data, removal`, async () => {
    const data = fixture(item.fixture);
    const before = await env();
    await simulation.deployScripted(databagsApp(fromFixture(data)));
    const id = await simulation.integrate({ app: APP, endpoint: data.endpoint }, { app: data.remote_app, endpoint: "provider" });
    assert.deepEqual(status(), { status: "active", message: "" });
    const all = await env();
    const got = pick(all, ...item.prefixes);
    assert.ok(Object.keys(got).length > 0, `no ${item.prefixes.join("/")} variables`);
    if (data.env) for (const [key, value] of Object.entries(data.env)) assert.equal(all[key], value, key);
    const ours = simulation.model().relations[String(id)]!.appData[APP] ?? {};
    const providerApp = { ...simulation.model().relations[String(id)]!.appData[data.remote_app] };
    for (const [key, value] of Object.entries(data.requirer.app)) {
      if (key === "requested-secrets" || /salt|uuid|id$/.test(key)) assert.ok(ours[key], `${key} not written`);
      else assert.equal(ours[key], value, `requirer data ${key}`);
    }

    // Partial: the provider takes its data back; the variables go, the unit stays active (optional integration).
    await simulation.change((model) => {
      const relation = model.relations[String(id)]!;
      relation.appData[data.remote_app] = {};
      for (const unit of Object.keys(relation.unitData)) if (unit.startsWith(`${data.remote_app}/`)) relation.unitData[unit] = {};
    });
    assert.deepEqual(status(), item.partial ?? { status: "active", message: "" }, "partial data");
    assert.deepEqual(pick(await env(), ...item.prefixes), pick(before, ...item.prefixes), "partial data leaves variables behind");

    // Malformed: Blocked naming the relation, never a crash.
    const malform = item.malform;
    if (malform) {
      await simulation.change((model) => {
        const relation = model.relations[String(id)]!;
        const app = { ...providerApp };
        const units: Record<string, Record<string, string>> = {};
        for (const [index, bag] of Object.values(data.provider.units).entries()) units[`${data.remote_app}/${index}`] = { ...bag };
        malform(app, units);
        relation.appData[data.remote_app] = app;
        for (const [unit, bag] of Object.entries(units)) relation.unitData[unit] = bag;
      });
      assert.deepEqual(status(), { status: "blocked", message: item.blocked });
    }

    await simulation.removeRelation(id);
    assert.deepEqual(status(), { status: "active", message: "" });
    assert.deepEqual(pick(await env(), ...item.prefixes), pick(before, ...item.prefixes), "removal leaves variables behind");
    await simulation.removeApplication(data.remote_app);
  });
}
