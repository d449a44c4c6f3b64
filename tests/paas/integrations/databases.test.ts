import assert from "node:assert/strict";
import { test } from "node:test";
import { FLASK_ENDPOINTS, emptyRelation, evaluate, mergedEnv, pick, relationFrom, required } from "./support.ts";

const REQUESTED = '["username", "password", "tls", "tls-ca", "uris", "read-only-uris", "entity-name", "entity-password"]';

test("postgresql (secrets): URL from secret-user's uris, all twelve variables", () => {
  const { relation, secrets, expectedEnv } = relationFrom("postgresql_client");
  const result = evaluate([relation], secrets);
  const env = pick(mergedEnv(result), "POSTGRESQL_DB_");
  assert.equal(env.POSTGRESQL_DB_CONNECT_STRING, expectedEnv?.POSTGRESQL_DB_CONNECT_STRING);
  assert.deepEqual(env, {
    POSTGRESQL_DB_CONNECT_STRING: "postgresql://relation_id_7:Q3xk9VbT2mLpR8sN@postgresql-k8s-primary.testing.svc.cluster.local:5432/flask-k8s",
    POSTGRESQL_DB_SCHEME: "postgresql",
    POSTGRESQL_DB_NETLOC: "relation_id_7:Q3xk9VbT2mLpR8sN@postgresql-k8s-primary.testing.svc.cluster.local:5432",
    POSTGRESQL_DB_PATH: "/flask-k8s",
    POSTGRESQL_DB_PARAMS: "",
    POSTGRESQL_DB_QUERY: "",
    POSTGRESQL_DB_FRAGMENT: "",
    POSTGRESQL_DB_USERNAME: "relation_id_7",
    POSTGRESQL_DB_PASSWORD: "Q3xk9VbT2mLpR8sN",
    POSTGRESQL_DB_HOSTNAME: "postgresql-k8s-primary.testing.svc.cluster.local",
    POSTGRESQL_DB_PORT: "5432",
    POSTGRESQL_DB_NAME: "flask-k8s",
  });
  assert.deepEqual(result.ready, ["postgresql"]);
  assert.equal(result.blocked, undefined);
});

test("an unreadable secret-user means waiting, not blocked", () => {
  const { relation } = relationFrom("postgresql_client");
  const result = evaluate([relation], {});
  assert.equal(result.blocked, undefined);
  assert.deepEqual(
    result.problems,
    [{ integration: "postgresql", reason: "postgresql: the provider's user secret is not readable yet" }],
  );
});

test("postgresql plain mode: fields straight from the app bag", () => {
  const { relation } = relationFrom("postgresql_client_plain");
  assert.equal(mergedEnv(evaluate([relation])).POSTGRESQL_DB_CONNECT_STRING, "postgresql://relation_id_7:Q3xk9VbT2mLpR8sN@postgresql-k8s-primary.testing.svc.cluster.local:5432/flask-k8s");
});

test("mysql: no uris, so the URL is built from endpoints (trailing-dot host kept) and secret credentials", () => {
  const { relation, secrets, expectedEnv } = relationFrom("mysql_client");
  const env = mergedEnv(evaluate([relation], secrets));
  assert.equal(env.MYSQL_DB_CONNECT_STRING, expectedEnv?.MYSQL_DB_CONNECT_STRING);
  assert.equal(env.MYSQL_DB_HOSTNAME, "mysql-k8s-primary.testing.svc.cluster.local.");
  assert.equal(env.MYSQL_DB_NAME, "flask-k8s");
});

test("mysql without a database field uses the app name; only the first endpoint is used", () => {
  const relation = { ...emptyRelation("mysql", "mysql_client"), remoteAppData: { endpoints: "test-mysql:3306,other:3306", username: "test-username", password: "test-password" } };
  assert.equal(mergedEnv(evaluate([relation])).MYSQL_DB_CONNECT_STRING, "mysql://test-username:test-password@test-mysql:3306/flask-k8s");
});

test("mongodb: a multi-host uris is used verbatim; the unusable port is left out", () => {
  const { relation, secrets, expectedEnv } = relationFrom("mongodb_client");
  const env = mergedEnv(evaluate([relation], secrets));
  assert.equal(env.MONGODB_DB_CONNECT_STRING, expectedEnv?.MONGODB_DB_CONNECT_STRING);
  assert.equal(env.MONGODB_DB_HOSTNAME, "mongodb-k8s-0.mongodb-k8s-endpoints");
  assert.equal(env.MONGODB_DB_QUERY, "replicaSet=mongodb-k8s&authSource=admin");
  assert.equal("MONGODB_DB_PORT" in env, false);
});

test("partial database data yields no variables and, when required, a missing integration", () => {
  const partials: Array<Record<string, string>> = [
    {},
    { endpoints: "h:5432" },
    { endpoints: "h:5432", username: "u" },
    { username: "u", password: "p" },
    { endpoints: "", username: "u", password: "p" },
  ];
  for (const data of partials) {
    const relation = { ...emptyRelation("postgresql", "postgresql_client"), remoteAppData: data };
    const result = evaluate([relation], {}, {}, required(FLASK_ENDPOINTS, "postgresql"));
    assert.deepEqual(pick(mergedEnv(result), "POSTGRESQL"), {}, JSON.stringify(data));
    assert.deepEqual(result.missing, ["postgresql"], JSON.stringify(data));
    assert.equal(result.blocked, undefined);
  }
});

test("a malformed database URL is Blocked naming the relation", () => {
  const relation = { ...emptyRelation("postgresql", "postgresql_client"), remoteAppData: { uris: "postgresql://u:p@[::1/db" } };
  const result = evaluate([relation]);
  assert.equal(result.blocked, "Invalid postgresql relation data.");
  assert.deepEqual(pick(mergedEnv(result), "POSTGRESQL"), {});
});

test("a subordinate provider is used only once a unit reports state ready", () => {
  const data = { subordinated: "true", uris: "mysql://u:p@router:6446/db" };
  const waitingRelation = { ...emptyRelation("mysql", "mysql_client"), remoteAppData: data };
  assert.deepEqual(evaluate([waitingRelation]).ready, []);
  const readyRelation = { ...waitingRelation, remoteUnitsData: { "router/0": { state: "ready" } } };
  assert.deepEqual(evaluate([readyRelation]).ready, ["mysql"]);
});

test("the leader requests the database with requested-secrets, exactly as data_interfaces writes it", () => {
  const relation = emptyRelation("postgresql", "postgresql_client", 4);
  assert.deepEqual(evaluate([relation]).writes, [{
    relationId: 4,
    app: { database: "flask-k8s", "requested-secrets": REQUESTED, "provided-secrets": '["mtls-cert"]' },
    unit: { "requested-secrets": REQUESTED, "provided-secrets": '["mtls-cert"]' },
  }]);
  assert.deepEqual(evaluate([relation], {}, { leader: false }).writes, []);
});

test("once the request is published, a hook writes nothing", () => {
  const { relation, secrets } = relationFrom("postgresql_client");
  assert.deepEqual(evaluate([relation], secrets).writes, []);
});

test("removal: no relation means no database variables", () => {
  assert.deepEqual(pick(mergedEnv(evaluate([])), "POSTGRESQL", "MYSQL", "MONGODB"), {});
});
