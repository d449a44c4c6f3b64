// OAuth (OIDC) through the simulator with hydra's recorded databags: without ingress the unit is Blocked
// with the reference's message; with ingress the charm registers its client at the ingress URL, the app gets
// the APP_OIDC_* variables with the secret's client secret; a client taken back, provider data lacking an
// endpoint and a client secret without its key block with the reference's messages; removal takes the
// variables away.
import { test } from "node:test";
import assert from "node:assert/strict";
import { charmDir, inProcessHarness } from "../support/inProcessCharm.ts";
import { databagsApp, fromFixture } from "../../simulator/providers/databags.ts";
import { ingressProvider } from "../../simulator/providers/ingress.ts";
import { addSecret, grantSecret } from "../../simulator/modelBuilder.ts";
import type { Model } from "../../simulator/model.ts";
import { fixture } from "../paas/integrations/support.ts";

const APP = "flask-k8s";
const UNIT = `${APP}/0`;
const harness = inProcessHarness();
const charmPath = charmDir();
const { simulation } = harness;
const status = () => harness.status(UNIT);
/** The variables the relation adds (the redirect path and scopes come from config options and stay). */
const clientVars = async () => Object.fromEntries(Object.entries(await harness.env(UNIT))
  .filter(([key]) => key.startsWith("APP_OIDC_") && key !== "APP_OIDC_REDIRECT_PATH" && key !== "APP_OIDC_SCOPES"));

test("OIDC needs ingress, registers the client at the ingress URL, gives the app its client, blocks on partial and malformed data, and goes with the relation", async () => {
  const hydra = fixture("oauth");
  await simulation.deployCharm(APP, charmPath);
  await simulation.deployScripted(databagsApp(fromFixture(fixture("postgresql_client"), "provider")));
  await simulation.integrate({ app: APP, endpoint: "postgresql" }, { app: "postgresql-k8s", endpoint: "provider" });
  await simulation.deployScripted(databagsApp(fromFixture(hydra)));
  const id = await simulation.integrate({ app: APP, endpoint: "oidc" }, { app: hydra.remote_app, endpoint: "provider" });
  assert.deepEqual(status(), { status: "blocked", message: "Ingress relation is required for OIDC to work correctly!" });

  await simulation.deployScripted(ingressProvider());
  await simulation.integrate({ app: APP, endpoint: "ingress" }, { app: "traefik-k8s", endpoint: "ingress" });
  assert.deepEqual(status(), { status: "active", message: "" });
  const ours = simulation.model().relations[String(id)]!.appData[APP]!;
  assert.equal(ours.redirect_uri, "http://ingress.sim.local/test-model-flask-k8s/callback");
  assert.equal(ours.scope, "openid profile email");
  assert.equal(ours.grant_types, '["authorization_code"]');

  const provider = hydra.provider.app;
  assert.deepEqual(await clientVars(), {
    APP_OIDC_CLIENT_ID: provider.client_id,
    APP_OIDC_CLIENT_SECRET: "Xy7-client-secret",
    APP_OIDC_API_BASE_URL: provider.issuer_url,
    APP_OIDC_AUTHORIZE_URL: provider.authorization_endpoint,
    APP_OIDC_ACCESS_TOKEN_URL: provider.token_endpoint,
    APP_OIDC_USER_URL: provider.userinfo_endpoint,
    APP_OIDC_CLIENT_KWARGS: '{"scope": "openid profile email"}',
    APP_OIDC_JWKS_URL: provider.jwks_endpoint,
  });

  const oidcVars = await clientVars();
  const recorded = { ...simulation.model().relations[String(id)]!.appData[hydra.remote_app]! };
  type Provide = (bag: Record<string, string>, model: Model) => void;
  const provide = (edit: Provide) => simulation.change((model) => {
    const bag = { ...recorded };
    edit(bag, model);
    model.relations[String(id)]!.appData[hydra.remote_app] = bag;
  });
  const badData: Array<[string, Provide, string]> = [
    ["client taken back", (bag) => { for (const key of Object.keys(bag)) delete bag[key]; }, `Please check ${hydra.remote_app} charm!`],
    ["no client secret id", (bag) => { delete bag.client_secret_id; }, `Please check ${hydra.remote_app} charm!`],
    ["no JWKS endpoint", (bag) => { delete bag.jwks_endpoint; }, "Invalid oauth relation data."],
    ["a client secret without its key", (bag, model) => {
      const secret = addSecret(model, { owner: { kind: "application", name: hydra.remote_app }, content: { password: "Xy7-client-secret" } });
      grantSecret(model, secret, id, APP);
      bag.client_secret_id = `secret://${model.uuid}/${secret}`;
    }, "Invalid oauth relation data."],
  ];
  for (const [what, edit, message] of badData) {
    await provide(edit);
    assert.deepEqual(status(), { status: "blocked", message }, what);
  }
  await provide(() => undefined);
  assert.deepEqual(status(), { status: "active", message: "" });
  assert.deepEqual(await clientVars(), oidcVars);

  await simulation.removeRelation(id);
  assert.deepEqual(await clientVars(), {});
  assert.deepEqual(status(), { status: "active", message: "" });
});
