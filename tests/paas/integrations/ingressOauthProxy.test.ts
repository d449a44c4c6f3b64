import assert from "node:assert/strict";
import { test } from "node:test";
import { emptyRelation, evaluate, mergedEnv, relationFrom } from "./support.ts";

const INGRESS_APP = { model: '"testing"', name: '"flask-k8s"', port: "8000", "strip-prefix": "true" };

test("ingress: the provider URL is the ingress URL; our published data makes no writes", () => {
  const { relation } = relationFrom("ingress");
  const result = evaluate([relation], {}, { portOpen: true, unitAddress: "10.1.157.70" });
  assert.equal(result.ingressUrl, "http://10.64.140.43/testing-flask-k8s");
  assert.deepEqual(result.writes, []);
});

test("ingress: the leader publishes JSON-encoded app data, every unit its host and ip", () => {
  const relation = emptyRelation("ingress", "ingress", 2, "traefik-k8s");
  assert.deepEqual(evaluate([relation], {}, { unitAddress: "10.1.157.70" }).writes, [{
    relationId: 2,
    app: INGRESS_APP,
    unit: { host: '"flask-k8s-0.flask-k8s-endpoints.testing.svc.cluster.local"', ip: '"10.1.157.70"' },
  }]);
  const follower = evaluate([relation], {}, { leader: false, unitName: "flask-k8s/1", unitHost: "custom.host" });
  assert.deepEqual(follower.writes, [{ relationId: 2, unit: { host: '"custom.host"' } }], "no app data, no ip when unknown");
  const opened = evaluate([relation], {}, { portOpen: true });
  assert.equal(opened.writes[0]?.app?.is_port_open, "true");
});

test("ingress: stale app keys are deleted, a stale ip too", () => {
  const relation = { ...emptyRelation("ingress", "ingress", 2), localAppData: { ...INGRESS_APP, is_port_open: "true", "redirect-https": "true" }, localUnitData: { host: '"flask-k8s-0.flask-k8s-endpoints.testing.svc.cluster.local"', ip: '"10.0.0.1"' } };
  assert.deepEqual(evaluate([relation]).writes, [{ relationId: 2, app: { is_port_open: "", "redirect-https": "" }, unit: { ip: "" } }]);
});

test("ingress: a host-only URL gains pydantic's slash; revoked, invalid or non-http data gives no URL", () => {
  const relation = emptyRelation("ingress", "ingress");
  assert.equal(evaluate([{ ...relation, remoteAppData: { ingress: '{"url": "http://juju.test"}' } }]).ingressUrl, "http://juju.test/");
  for (const ingress of ["", "{", '{"url": 5}', '{"url": "ftp://x/"}', '{"url": "not a url"}', "[]"]) {
    const result = evaluate([{ ...relation, remoteAppData: { ingress } }]);
    assert.equal(result.ingressUrl, undefined, ingress);
    assert.equal(result.blocked, undefined, ingress);
  }
  assert.deepEqual(evaluate([]).missing, [], "a required ingress is never reported missing");
});

test("oauth: Flask env, client registration with the ingress base URL", () => {
  const { relation, secrets } = relationFrom("oauth");
  const ingress = { ...emptyRelation("ingress", "ingress", 1), remoteAppData: { ingress: '{"url": "http://juju.test/"}' } };
  const config = { "oidc-redirect-path": "/oauth/callback", "oidc-scopes": "openid profile email phone" };
  const result = evaluate([ingress, relation], secrets, { config });
  assert.deepEqual(result.env.at(-1), {
    FLASK_OIDC_CLIENT_ID: "5bd1a6b8-2c1f-4a57-9f0c-8e7e2b1f4c3d",
    FLASK_OIDC_CLIENT_SECRET: "Xy7-client-secret",
    FLASK_OIDC_API_BASE_URL: "https://10.64.140.43/testing-hydra",
    FLASK_OIDC_AUTHORIZE_URL: "https://10.64.140.43/testing-hydra/oauth2/auth",
    FLASK_OIDC_ACCESS_TOKEN_URL: "https://10.64.140.43/testing-hydra/oauth2/token",
    FLASK_OIDC_USER_URL: "https://10.64.140.43/testing-hydra/userinfo",
    FLASK_OIDC_CLIENT_KWARGS: '{"scope": "openid profile email phone"}',
    FLASK_OIDC_JWKS_URL: "https://10.64.140.43/testing-hydra/.well-known/jwks.json",
  });
  assert.deepEqual(result.oauth, { endpoint: "oidc", related: true, clientReady: true, remoteApp: "hydra" });
  assert.equal(result.oauthGate, undefined);
  const oauthWrite = result.writes.find((write) => write.relationId === relation.id);
  assert.deepEqual(oauthWrite?.app, { redirect_uri: "http://juju.test/oauth/callback", scope: "openid profile email phone" });
});

test("oauth: fresh relation gets the full client config; the APP_ prefix for other frameworks", () => {
  const relation = emptyRelation("oidc", "oauth", 11, "hydra");
  assert.deepEqual(evaluate([relation], {}, { framework: "go", port: 8080 }).writes, [{
    relationId: 11,
    app: { redirect_uri: "http://flask-k8s.testing:8080/callback", scope: "openid profile email", grant_types: '["authorization_code"]', audience: "[]", token_endpoint_auth_method: "client_secret_basic" },
  }]);
  const { relation: ready, secrets } = relationFrom("oauth");
  assert.equal(mergedEnv(evaluate([ready], secrets, { framework: "go" })).APP_OIDC_CLIENT_ID, "5bd1a6b8-2c1f-4a57-9f0c-8e7e2b1f4c3d");
});

test("oauth gates: client not created, no ingress, scope without openid, several endpoints", () => {
  const pending = emptyRelation("oidc", "oauth", 11, "hydra");
  assert.equal(evaluate([pending]).oauthGate, "Please check hydra charm!");
  const { relation, secrets } = relationFrom("oauth");
  assert.equal(evaluate([relation], secrets).oauthGate, "Ingress relation is required for OIDC to work correctly!");
  const badScope = evaluate([relation], secrets, { config: { "oidc-scopes": "profile" } });
  assert.equal(badScope.oauth?.scopeError, "The 'openid' scope is required for OAuth integration, please add it to the scopes.");
  assert.deepEqual(badScope.writes, [], "no client config is published with an invalid scope");
  const twoEndpoints = [{ name: "oidc", interface: "oauth", role: "requires" as const, optional: true }, { name: "sso", interface: "oauth", role: "requires" as const, optional: true }];
  const multi = evaluate([relation], secrets, {}, twoEndpoints);
  assert.equal(multi.oauthGate, "Multiple OAuth relations are not supported at the moment");
  assert.equal(multi.oauth, undefined);
  const broken = { ...relation, remoteAppData: { client_id: "c", client_secret_id: "secret://x" } };
  assert.equal(evaluate([broken], { "secret://x": { secret: "s" } }).blocked, "Invalid oauth relation data.");
});

test("http-proxy: ready response gives both proxies; userpass embeds credentials and drops the path", () => {
  const plain = relationFrom("http_proxy");
  assert.deepEqual(evaluate([plain.relation]).proxy, { http: "http://proxy.example.com:3128/", https: "http://proxy.example.com:3128/" });
  assert.deepEqual(evaluate([plain.relation]).writes, [], "the published request (same requirer id) is unchanged");
  const userpass = relationFrom("http_proxy_userpass");
  assert.deepEqual(evaluate([userpass.relation], userpass.secrets).proxy, {
    http: "http://flask-k8s-proxy:pr0xy-pass@squid.internal:3128",
    https: "http://flask-k8s-proxy:pr0xy-pass@squid.internal:3128",
  });
  const follower = relationFrom("http_proxy", { leader: false });
  assert.deepEqual(evaluate([follower.relation], {}, { leader: false }).proxy?.http, "http://proxy.example.com:3128/");
});

test("http-proxy: request wire format; not ready or invalid is Blocked with the reference text", () => {
  const relation = emptyRelation("http-proxy", "http_proxy", 13);
  const result = evaluate([relation]);
  assert.equal(result.blocked, "http-proxy relation data is either unavailable, invalid or not usable.");
  assert.match(result.writes[0]?.app?.requests ?? "", /^\[\{"auth": \[\], "domains": \[\], "requirer": "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"\}\]$/);
  const { relation: ready } = relationFrom("http_proxy");
  for (const responses of [
    '[{"requirer": "0b7c3f4e-1a2b-4c5d-8e9f-a0b1c2d3e4f5", "status": "pending"}]',
    '[{"requirer": "0b7c3f4e-1a2b-4c5d-8e9f-a0b1c2d3e4f5", "status": "ready", "auth": "none"}]',
    '[{"requirer": "someone-else", "status": "ready", "auth": "none", "http_proxy": "http://p/", "https_proxy": "http://p/"}]',
    "not json",
  ]) {
    const outcome = evaluate([{ ...ready, remoteAppData: { responses } }]);
    assert.equal(outcome.blocked, "http-proxy relation data is either unavailable, invalid or not usable.", responses);
    assert.equal(outcome.proxy, undefined);
  }
  const userpass = relationFrom("http_proxy_userpass");
  assert.equal(evaluate([userpass.relation], {}).proxy, undefined, "credentials secret unreadable");
});
