// http-proxy through the simulator with a provider that answers the request id the charm draws (recorded
// databags cannot): the charm publishes its request, the app gets the proxy in both spellings, and
// removing the relation takes the proxy away again.
import { test } from "node:test";
import assert from "node:assert/strict";
import { charmHarness, charmPath } from "./support.ts";
import { databagsApp, fromFixture } from "../../simulator/providers/databags.ts";
import { httpProxyProvider } from "../../simulator/providers/httpProxy.ts";
import { fixture } from "../paas/integrations/support.ts";

const APP = "flask-k8s";
const UNIT = `${APP}/0`;
const PROXY = "http://proxy.example.com:3128/";
const harness = await charmHarness();
const { simulation } = harness;
const proxyVars = async () => Object.fromEntries(Object.entries(await harness.env(UNIT)).filter(([key]) => /^https?_proxy$/i.test(key)));

test("the charm requests a proxy, the app gets HTTP(S)_PROXY from the response, removal takes them away", async () => {
  await simulation.deployCharm(APP, charmPath);
  await simulation.deployScripted(databagsApp(fromFixture(fixture("postgresql_client"), "provider")));
  await simulation.integrate({ app: APP, endpoint: "postgresql" }, { app: "postgresql-k8s", endpoint: "provider" });
  assert.deepEqual(await proxyVars(), {});

  await simulation.deployScripted(httpProxyProvider(PROXY));
  const id = await simulation.integrate({ app: APP, endpoint: "http-proxy" }, { app: "http-proxy-configurator", endpoint: "http-proxy" });
  const [request] = JSON.parse(simulation.model().relations[String(id)]!.appData[APP]!.requests!) as Array<Record<string, unknown>>;
  assert.deepEqual({ ...request, requirer: typeof request!.requirer }, { auth: [], domains: [], requirer: "string" });
  assert.match(String(request!.requirer), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.deepEqual(await proxyVars(), { HTTP_PROXY: PROXY, HTTPS_PROXY: PROXY, http_proxy: PROXY, https_proxy: PROXY });
  assert.equal(simulation.model().units[UNIT]!.status.status, "active");

  await simulation.removeRelation(id);
  assert.deepEqual(await proxyVars(), {});
  assert.equal(simulation.model().units[UNIT]!.status.status, "active");
});
