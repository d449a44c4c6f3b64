// Random and malformed provider data must never throw, must always name the problem, and must never put a
// broken value (a control character, a value too long for execve, a secret id that is not a URI) where it
// reaches the app or a hook tool. Each run draws a new seed (or takes FUZZ_SEED) and prints it.
import assert from "node:assert/strict";
import { test } from "node:test";
import { evaluateIntegrations, secretIdsToRead, type RelationView } from "../../../src/paas/integrations/index.ts";
import { MAX_ENV_ENTRY_BYTES, isSecretUri } from "../../../src/paas/integrations/providerData.ts";
import { FUZZ_ROUNDS, fuzzSeed, prng } from "../../support/fuzz.ts";
import { COS_ENDPOINTS, cosContext } from "./observabilitySupport.ts";
import { FLASK_ENDPOINTS, fixture } from "./support.ts";

const FIXTURES = ["postgresql_client", "mysql_client", "mongodb_client", "redis", "valkey_client", "s3", "s3_v1_secret_based", "saml", "rabbitmq", "rabbitmq_server_vm", "tracing", "smtp", "openfga", "oauth", "http_proxy_userpass", "ingress", "loki_push_api"];
const NASTY = ["", "none", "null", "[]", "{}", "[{}]", '{"url": 1}', "[1, 2]", "true", "0", "-1", "99999", "::", "[", "]", "[::1", "@", "a:b@c:d@e", "http://", "http://[::1]:x/", "%", "%zz", "\u0000", "é", "\uFF03", "secret://x", "a,b,c", " ", "\n", "\"quoted\""];

function randomString(random: () => number): string {
  const pick = random();
  if (pick < 0.35) return NASTY[Math.floor(random() * NASTY.length)]!;
  if (pick < 0.4) return "x".repeat(Math.floor(random() * 200_000));
  const length = Math.floor(random() * 40);
  let text = "";
  for (let i = 0; i < length; i++) text += String.fromCharCode(random() < 0.9 ? 32 + Math.floor(random() * 95) : Math.floor(random() * 0xffff));
  return text;
}

/** A fixture's bag with keys dropped, values replaced by junk or wrong types, and junk keys added. */
function mutate(bag: Record<string, string>, random: () => number): Record<string, string> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(bag)) {
    const roll = random();
    if (roll < 0.2) continue;
    if (roll < 0.45) out[key] = randomString(random);
    else if (roll < 0.5) out[key] = [null, 5, {}, [], true][Math.floor(random() * 5)];
    else if (roll < 0.55 && value.startsWith("[")) out[key] = value.slice(0, Math.floor(random() * value.length));
    else out[key] = value;
  }
  if (random() < 0.3) out[randomString(random)] = randomString(random);
  return out as Record<string, string>;
}

function randomRelation(random: () => number, id: number): { relation: RelationView; secrets: Record<string, Record<string, string> | undefined> } {
  const data = fixture(FIXTURES[Math.floor(random() * FIXTURES.length)]!);
  const units: Record<string, Record<string, string>> = {};
  for (const [unit, bag] of Object.entries(data.provider.units)) if (random() < 0.8) units[unit] = mutate(bag, random);
  const secrets: Record<string, Record<string, string> | undefined> = {};
  for (const [uri, content] of Object.entries(data.secrets ?? {})) {
    const roll = random();
    secrets[uri] = roll < 0.15 ? undefined : roll < 0.4 ? mutate(content, random) : content;
  }
  return {
    relation: {
      id,
      endpoint: data.endpoint,
      interface: data.interface,
      remoteApp: data.remote_app,
      remoteAppData: random() < 0.1 ? {} : mutate(data.provider.app, random),
      remoteUnitsData: units,
      localAppData: random() < 0.5 ? mutate(data.requirer.app, random) : {},
      localUnitData: {},
    },
    secrets,
  };
}

test(`${FUZZ_ROUNDS} random databags: no throw, every related integration is ready or named in a problem, nothing broken reaches the app`, (t) => {
  const seed = fuzzSeed();
  t.diagnostic(`databag fuzz seed ${seed} (replay with FUZZ_SEED=${seed})`);
  const random = prng(seed);
  const ENDPOINT_NAME: Record<string, string> = { "http-proxy": "http-proxy", oidc: "oauth", ingress: "ingress" };
  let databags = 0;
  for (let round = 0; round < FUZZ_ROUNDS; round++) {
    const count = 1 + Math.floor(random() * 4);
    const picked = Array.from({ length: count }, (_, index) => randomRelation(random, index + 1));
    const relations = picked.map((item) => item.relation);
    databags += relations.length;
    const secrets = Object.assign({}, ...picked.map((item) => item.secrets));
    const ctx = cosContext({ leader: random() < 0.5, framework: random() < 0.3 ? "spring-boot" : "flask", unitAddress: random() < 0.5 ? randomString(random) : "10.0.0.1" });
    const endpoints = COS_ENDPOINTS.map((endpoint) => ({ ...endpoint, optional: random() < 0.5 }));
    let result;
    try {
      for (const id of secretIdsToRead(endpoints, relations)) assert.ok(isSecretUri(id), `seed ${seed} round ${round}: secret-get would be called with a non-URI`);
      result = evaluateIntegrations(endpoints, relations, secrets, ctx);
    } catch (error) {
      assert.fail(`seed ${seed} round ${round} threw ${String(error)} for ${JSON.stringify(relations).slice(0, 2000)}`);
    }
    for (const relation of relations) {
      const name = ENDPOINT_NAME[relation.endpoint] ?? relation.endpoint;
      if (name === "ingress") {
        assert.ok(result.ingressUrl !== undefined || result.problems.some((problem) => problem.integration === "ingress"), `round ${round}: ingress`);
        continue;
      }
      const named = result.ready.includes(name) || result.problems.some((problem) => problem.integration === name && problem.reason.startsWith(`${name}:`));
      assert.ok(named, `round ${round}: ${name} is neither ready nor named in a problem`);
    }
    // The registry's last-resort guard must never be what caught a problem.
    assert.ok(!result.problems.some((problem) => problem.reason.endsWith("could not be interpreted")), `round ${round}: an integration threw`);
    for (const target of Object.values(result.logTargets)) assert.match(target.location, /^https?:\/\//);
    if (result.blocked !== undefined) assert.match(result.blocked, /^(Invalid [a-z0-9-]+ relation data(\.|: \S+ is too large for the app's environment\.)|http-proxy relation data is either unavailable, invalid or not usable\.)$/);
    for (const fragment of result.env) {
      for (const [name, value] of Object.entries(fragment)) {
        assert.equal(typeof value, "string");
        assert.doesNotMatch(value, /[\u0000-\u001f\u007f]/, `seed ${seed} round ${round}: ${name} reaches the app with a control character`);
        assert.ok(Buffer.byteLength(`${name}=${value}`) < MAX_ENV_ENTRY_BYTES, `seed ${seed} round ${round}: ${name} is too long for the app's environment`);
      }
    }
    for (const url of Object.values(result.proxy ?? {})) assert.doesNotMatch(url, /[\u0000-\u001f\u007f]/, `seed ${seed} round ${round}: a proxy URL with a control character`);
    for (const write of result.writes) for (const bag of [write.app, write.unit]) for (const value of Object.values(bag ?? {})) assert.equal(typeof value, "string");
    if (!ctx.leader) assert.ok(result.writes.every((write) => write.app === undefined), `round ${round}: a follower wrote app data`);
  }
  t.diagnostic(`databag fuzz: ${FUZZ_ROUNDS} rounds, ${databags} databags, 0 unhandled exceptions`);
});

test("garbage instead of relations and secrets is tolerated", () => {
  const garbage = [null, 5, "x", { endpoint: "redis" }, { endpoint: "postgresql", remoteAppData: { uris: 5 }, remoteUnitsData: null, id: "a" }] as unknown as RelationView[];
  const result = evaluateIntegrations(COS_ENDPOINTS, garbage, null as unknown as Record<string, undefined>, cosContext());
  assert.deepEqual(result.blocked, undefined);
  assert.deepEqual(secretIdsToRead(FLASK_ENDPOINTS, garbage), []);
});
