// http-proxy through the simulator with a provider that answers the request id the charm draws (recorded
// databags cannot): the charm publishes its request, the app gets the proxy in both spellings; an answer
// taken back, not ready or malformed blocks with the reference's message and takes the proxy away;
// removing the relation takes the proxy away again. A proxy that wants a user and password gets them
// from the provider's secret, in the URL the app receives.
import { test } from "node:test";
import assert from "node:assert/strict";
import { charmDir, inProcessHarness } from "../support/inProcessCharm.ts";
import { databagsApp, fromFixture } from "../../simulator/providers/databags.ts";
import { httpProxyProvider } from "../../simulator/providers/httpProxy.ts";
import { fixture } from "../paas/integrations/support.ts";

const APP = "flask-k8s";
const UNIT = `${APP}/0`;
const PROVIDER = "http-proxy-configurator";
const PROXY = "http://proxy.example.com:3128/";
const BLOCKED = { status: "blocked", message: "http-proxy relation data is either unavailable, invalid or not usable." };
const harness = inProcessHarness();
const charmPath = charmDir();
const { simulation } = harness;
const status = () => harness.status(UNIT);
const proxyVars = async () => Object.fromEntries(Object.entries(await harness.env(UNIT)).filter(([key]) => /^https?_proxy$/i.test(key)));
const BOTH_SPELLINGS = { HTTP_PROXY: PROXY, HTTPS_PROXY: PROXY, http_proxy: PROXY, https_proxy: PROXY };

test("the charm requests a proxy, the app gets HTTP(S)_PROXY from the response; partial and malformed answers block; removal", async () => {
  await simulation.deployCharm(APP, charmPath);
  await simulation.deployScripted(databagsApp(fromFixture(fixture("postgresql_client"), "provider")));
  await simulation.integrate({ app: APP, endpoint: "postgresql" }, { app: "postgresql-k8s", endpoint: "provider" });
  assert.deepEqual(await proxyVars(), {});

  await simulation.deployScripted(httpProxyProvider(PROXY, PROVIDER));
  const id = await simulation.integrate({ app: APP, endpoint: "http-proxy" }, { app: PROVIDER, endpoint: "http-proxy" });
  const relation = () => simulation.model().relations[String(id)]!;
  const published = relation().appData[APP]!.requests!;
  const [request] = JSON.parse(published) as Array<Record<string, unknown>>;
  assert.deepEqual({ ...request, requirer: typeof request!.requirer }, { auth: [], domains: [], requirer: "string" });
  assert.match(String(request!.requirer), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.deepEqual(await proxyVars(), BOTH_SPELLINGS);
  assert.deepEqual(status(), { status: "active", message: "" });
  const answered = relation().appData[PROVIDER]!.responses!;
  const [response] = JSON.parse(answered) as Array<Record<string, unknown>>;
  const answer = (responses: string) => simulation.change((model) => { model.relations[String(id)]!.appData[PROVIDER] = { responses }; });

  const badAnswers: Array<[string, string]> = [
    ["taken back", "[]"],
    ["not ready", JSON.stringify([{ ...response, status: "pending" }])],
    ["not JSON", "[{"],
    ["not a list", JSON.stringify(response)],
    ["a proxy that is no URL", JSON.stringify([{ ...response, http_proxy: "proxy without scheme" }])],
    ["an unknown auth", JSON.stringify([{ ...response, auth: "kerberos" }])],
    ["userpass without a credentials secret", JSON.stringify([{ ...response, auth: "userpass" }])],
    ["another requirer's answer only", JSON.stringify([{ ...response, requirer: "00000000-0000-4000-8000-000000000000" }])],
  ];
  for (const [what, responses] of badAnswers) {
    await answer(responses);
    assert.deepEqual(status(), BLOCKED, what);
    assert.equal(relation().appData[APP]!.requests, published, `${what}: our request stays`);
  }
  await answer(answered);
  assert.deepEqual(status(), { status: "active", message: "" });
  assert.deepEqual(await proxyVars(), BOTH_SPELLINGS);

  await simulation.removeRelation(id);
  assert.deepEqual(await proxyVars(), {});
  assert.deepEqual(status(), { status: "active", message: "" });
});

test("a userpass proxy: the app gets the URL with the credentials from the provider's secret", async () => {
  const recorded = fixture("http_proxy_userpass");
  const [response] = JSON.parse(recorded.provider.app.responses!) as Array<{ user: string }>;
  const credentials = recorded.secrets![response!.user]! as { username: string; password: string };
  await simulation.deployScripted(httpProxyProvider("http://squid.internal:3128/", recorded.remote_app, credentials));
  const id = await simulation.integrate({ app: APP, endpoint: "http-proxy" }, { app: recorded.remote_app, endpoint: "http-proxy" });
  const expected = recorded.env!.HTTP_PROXY!;
  assert.deepEqual(await proxyVars(), { HTTP_PROXY: expected, HTTPS_PROXY: expected, http_proxy: expected, https_proxy: expected });
  assert.deepEqual(status(), { status: "active", message: "" });
  await simulation.removeRelation(id);
  assert.deepEqual(await proxyVars(), {});
});
