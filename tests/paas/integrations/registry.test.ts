import assert from "node:assert/strict";
import { test } from "node:test";
import { secretIdsToRead } from "../../../src/paas/integrations/index.ts";
import { FLASK_ENDPOINTS, emptyRelation, evaluate, mergedEnv, relationFrom, required } from "./support.ts";

const ALL_FIXTURES = ["openfga", "rabbitmq", "redis", "valkey_client", "s3", "postgresql_client", "mysql_client", "mongodb_client", "saml", "smtp", "tracing", "oauth", "http_proxy_userpass", "ingress"];

function allRelations(): { relations: ReturnType<typeof relationFrom>["relation"][]; secrets: Record<string, Record<string, string>> } {
  const loaded = ALL_FIXTURES.map((name, index) => relationFrom(name, { id: index + 1 }));
  return { relations: loaded.map((item) => item.relation), secrets: Object.assign({}, ...loaded.map((item) => item.secrets)) };
}

test("secretIdsToRead lists every secret the provider data names, once", () => {
  const { relations, secrets } = allRelations();
  const ids = secretIdsToRead(FLASK_ENDPOINTS, relations);
  assert.deepEqual(new Set(ids), new Set(Object.keys(secrets).filter((id) => !id.endsWith("0000000002"))), "postgresql's secret-tls is not needed");
  assert.equal(new Set(ids).size, ids.length);
});

test("env fragments come in paas-charm's merge order", () => {
  const { relations, secrets } = allRelations();
  const result = evaluate(relations, secrets);
  const firstKeys = result.env.map((fragment) => Object.keys(fragment)[0]);
  assert.deepEqual(firstKeys, ["FGA_STORE_ID", "RABBITMQ_CONNECT_STRING", "REDIS_DB_CONNECT_STRING", "VALKEY_DB_CONNECT_STRING", "S3_ACCESS_KEY", "POSTGRESQL_DB_CONNECT_STRING", "MYSQL_DB_CONNECT_STRING", "MONGODB_DB_CONNECT_STRING", "SAML_ENTITY_ID", "SMTP_HOST", "OTEL_SERVICE_NAME", "FLASK_OIDC_CLIENT_ID"]);
  assert.equal(result.blocked, undefined);
  assert.deepEqual(result.missing, []);
  assert.deepEqual(result.problems, []);
  assert.equal(result.oauthGate, undefined);
  assert.equal(result.proxy?.http, "http://flask-k8s-proxy:pr0xy-pass@squid.internal:3128");
});

test("missing integrations: paas-charm's order and names (docs/paas-charm-contract.md §1.7), valkey/http-proxy/ingress never", () => {
  const endpoints = required(FLASK_ENDPOINTS, "mysql", "postgresql", "mongodb", "s3", "redis", "saml", "rabbitmq", "valkey", "http-proxy", "tracing", "smtp", "openfga", "oidc");
  assert.deepEqual(evaluate([], {}, {}, endpoints).missing, ["postgresql", "mysql", "mongodb", "rabbitmq", "redis", "s3", "openfga", "saml", "tracing", "smtp", "oauth"]);
  const sorted = [...endpoints].sort((a, b) => a.name.localeCompare(b.name));
  assert.deepEqual(evaluate([], {}, {}, sorted).missing.slice(0, 3), ["mongodb", "mysql", "postgresql"], "databases follow metadata order");
});

test("a related but unusable required integration is missing; an optional one is only a problem", () => {
  const redis = { ...emptyRelation("redis", "redis"), remoteUnitsData: { "redis-k8s/0": { hostname: "h" } } };
  assert.deepEqual(evaluate([redis], {}, {}, required(FLASK_ENDPOINTS, "redis")).missing, ["redis"]);
  const optional = evaluate([redis]);
  assert.deepEqual(optional.missing, []);
  assert.deepEqual(optional.problems, [{ integration: "redis", reason: "redis: waiting for a provider unit to publish its port" }]);
});

test("removal of any relation takes its variables away", () => {
  const { relations, secrets } = allRelations();
  for (const removed of relations) {
    const result = evaluate(relations.filter((relation) => relation !== removed), secrets);
    const before = evaluate(relations, secrets);
    const lost = Object.keys(mergedEnv(before)).filter((key) => !(key in mergedEnv(result)));
    if (removed.endpoint === "ingress") {
      assert.equal(result.ingressUrl, undefined);
      continue;
    }
    if (removed.endpoint === "http-proxy") {
      assert.equal(result.proxy, undefined);
      continue;
    }
    assert.ok(lost.length > 0, `removing ${removed.endpoint} removes its variables`);
    assert.deepEqual(Object.keys(mergedEnv(result)).filter((key) => !(key in mergedEnv(before))), [], `removing ${removed.endpoint} adds nothing`);
  }
});

test("a no-op hook writes nothing; writes appear only for changed keys and only the leader writes app data", () => {
  const { relations, secrets } = allRelations();
  const ctx = { portOpen: true, unitAddress: "10.1.157.70" };
  assert.deepEqual(evaluate(relations, secrets, ctx).writes, []);
  const fresh = ALL_FIXTURES.map((name, index) => ({ ...relationFrom(name, { id: index + 1 }).relation, localAppData: {}, localUnitData: {} }));
  const leaderWrites = evaluate(fresh, secrets, ctx).writes;
  assert.deepEqual(leaderWrites.map((write) => write.relationId).sort((a, b) => a - b), [1, 2, 4, 5, 6, 7, 8, 11, 12, 13, 14]);
  const followerWrites = evaluate(fresh, secrets, { ...ctx, leader: false }).writes;
  assert.ok(followerWrites.every((write) => write.app === undefined));
  assert.deepEqual(followerWrites.map((write) => write.relationId), [14], "only the ingress unit data");
});

test("the migration fingerprint follows R+M integrations only", () => {
  const { relations, secrets } = allRelations();
  const base = evaluate(relations, secrets).migrationFingerprint;
  assert.match(base, /^[0-9a-f]{64}$/);
  const withoutTracing = evaluate(relations.filter((relation) => relation.endpoint !== "tracing"), secrets).migrationFingerprint;
  assert.equal(withoutTracing, base, "tracing does not re-run migrations");
  const withoutRedis = evaluate(relations.filter((relation) => relation.endpoint !== "redis"), secrets).migrationFingerprint;
  assert.notEqual(withoutRedis, base);
  const rotated = { ...secrets, "secret://4f5e6d7c-8b9a-4f1e-9d2c-3b4a5c6d7e8f/d1000000000000000003": { username: "relation-7_4f5e6d7c8b9a4f1e", password: "new" } };
  assert.notEqual(evaluate(relations, rotated).migrationFingerprint, base, "new DB credentials re-run migrations");
});

test("endpoints with other names or interfaces are not wired", () => {
  const endpoints = [{ name: "db", interface: "postgresql_client", role: "requires" as const, optional: false }, { name: "cache", interface: "redis", role: "requires" as const, optional: false }];
  const result = evaluate([{ ...relationFrom("postgresql_client").relation, endpoint: "db" }], {}, {}, endpoints);
  assert.deepEqual(result, { env: [], missing: [], problems: [], ready: [], migrationFingerprint: result.migrationFingerprint, writes: [], logTargets: {} });
});
