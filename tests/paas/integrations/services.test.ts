import assert from "node:assert/strict";
import { test } from "node:test";
import { emptyRelation, evaluate, mergedEnv, pick, relationFrom } from "./support.ts";

test("redis: leader-host wins over the unit hostname; REDIS_DB_* without NAME", () => {
  const { relation, expectedEnv } = relationFrom("redis");
  const env = pick(mergedEnv(evaluate([relation])), "REDIS_");
  assert.equal(env.REDIS_DB_CONNECT_STRING, expectedEnv?.REDIS_DB_CONNECT_STRING);
  assert.deepEqual(env, {
    REDIS_DB_CONNECT_STRING: "redis://redis-k8s-0.redis-k8s-endpoints.testing.svc.cluster.local:6379",
    REDIS_DB_SCHEME: "redis",
    REDIS_DB_NETLOC: "redis-k8s-0.redis-k8s-endpoints.testing.svc.cluster.local:6379",
    REDIS_DB_PATH: "",
    REDIS_DB_PARAMS: "",
    REDIS_DB_QUERY: "",
    REDIS_DB_FRAGMENT: "",
    REDIS_DB_HOSTNAME: "redis-k8s-0.redis-k8s-endpoints.testing.svc.cluster.local",
    REDIS_DB_PORT: "6379",
  });
});

test("redis: unit data only; leader-host with credentials; no port yet; malformed", () => {
  const base = emptyRelation("redis", "redis");
  const unitOnly = { ...base, remoteUnitsData: { "redis-k8s/0": { hostname: "10.1.88.132", port: "6379" } } };
  assert.equal(mergedEnv(evaluate([unitOnly])).REDIS_DB_HOSTNAME, "10.1.88.132");
  const withCredentials = { ...unitOnly, remoteAppData: { "leader-host": "leader:host@redis.url" }, remoteUnitsData: { "redis-k8s/0": { port: "8888" } } };
  const env = mergedEnv(evaluate([withCredentials]));
  assert.equal(env.REDIS_DB_CONNECT_STRING, "redis://leader:host@redis.url:8888");
  assert.equal(env.REDIS_DB_USERNAME, "leader");
  const noPort = { ...base, remoteUnitsData: { "redis-k8s/0": { hostname: "10.1.88.132" } } };
  assert.deepEqual(pick(mergedEnv(evaluate([noPort])), "REDIS"), {});
  assert.equal(evaluate([noPort]).blocked, undefined);
  const malformed = { ...base, remoteUnitsData: { "redis-k8s/0": { hostname: "a b", port: "x" } } };
  assert.equal(evaluate([malformed]).blocked, "Invalid redis relation data.");
  assert.deepEqual(evaluate([base]).writes, [], "the redis requirer writes nothing");
});

test("valkey: v1 response, secrets resolved, the extra variables", () => {
  const { relation, secrets } = relationFrom("valkey_client");
  const result = evaluate([relation], secrets);
  assert.deepEqual(pick(mergedEnv(result), "VALKEY_"), {
    VALKEY_DB_CONNECT_STRING: "valkey://relation-12-d530ae20ad3d66d9:Vk3yP4ss@10.1.157.90:6379",
    VALKEY_DB_SCHEME: "valkey",
    VALKEY_DB_NETLOC: "relation-12-d530ae20ad3d66d9:Vk3yP4ss@10.1.157.90:6379",
    VALKEY_DB_PATH: "",
    VALKEY_DB_PARAMS: "",
    VALKEY_DB_QUERY: "",
    VALKEY_DB_FRAGMENT: "",
    VALKEY_DB_USERNAME: "relation-12-d530ae20ad3d66d9",
    VALKEY_DB_PASSWORD: "Vk3yP4ss",
    VALKEY_DB_HOSTNAME: "10.1.157.90",
    VALKEY_DB_PORT: "6379",
    VALKEY_DB_READ_ONLY_ENDPOINTS: "10.1.157.91:6379",
    VALKEY_DB_SENTINEL_ENDPOINTS: "10.1.157.90:26379,10.1.157.91:26379",
    VALKEY_MODE: "sentinel",
    VALKEY_VERSION: "9.0.1",
  });
  assert.deepEqual(result.writes, [], "the published request is kept as is");
  const nonLeader = relationFrom("valkey_client", { leader: false });
  assert.equal(mergedEnv(evaluate([nonLeader.relation], nonLeader.secrets, { leader: false })).VALKEY_MODE, "sentinel");
});

test("valkey: a fresh request has the v1 shape and a request-id derived from its salt", () => {
  const result = evaluate([emptyRelation("valkey", "valkey_client", 12)]);
  const app = result.writes[0]?.app;
  assert.equal(app?.version, "v1");
  const requests = JSON.parse(app?.requests ?? "") as Array<Record<string, unknown>>;
  assert.equal(requests.length, 1);
  assert.deepEqual(Object.keys(requests[0]!), ["resource", "request-id", "salt", "extra-user-roles", "extra-group-roles", "external-node-connectivity", "entity-type", "entity-permissions", "secret-mtls"]);
  assert.match(String(requests[0]!.salt), /^[A-Za-z0-9]{16}$/);
  assert.match(app?.requests ?? "", /^\[\{"resource": "\*", "request-id": "[0-9a-f]{16}", /);
  assert.deepEqual(evaluate([emptyRelation("valkey", "valkey_client", 12)]).writes, result.writes, "deterministic");
});

test("valkey: TLS and a second relation are refused", () => {
  const { relation, secrets } = relationFrom("valkey_client");
  const tlsId = "secret://4f5e6d7c-8b9a-4f1e-9d2c-3b4a5c6d7e8f/d1000000000000000011";
  assert.equal(evaluate([relation], { ...secrets, [tlsId]: { tls: "true" } }).blocked, "Invalid valkey relation data.");
  assert.equal(evaluate([relation, { ...relation, id: 99 }], secrets).blocked, "Invalid valkey relation data.");
});

test("s3 v0: every variable, JSON lists re-serialised the Python way", () => {
  const { relation } = relationFrom("s3");
  assert.deepEqual(pick(mergedEnv(evaluate([relation])), "S3_"), {
    S3_ACCESS_KEY: "AKIAEXAMPLEKEY",
    S3_SECRET_KEY: "wJalrXUtnFEMIexamplesecret",
    S3_REGION: "us-east-1",
    S3_STORAGE_CLASS: "STANDARD",
    S3_BUCKET: "flask-k8s",
    S3_ENDPOINT: "http://minio.minio.svc.cluster.local:9000",
    S3_PATH: "/",
    S3_URI_STYLE: "path",
    S3_ADDRESSING_STYLE: "path",
    S3_ATTRIBUTES: '["x-amz-server-side-encryption=AES256"]',
    S3_TLS_CA_CHAIN: '["-----BEGIN CERTIFICATE-----\\nMIIB...\\n-----END CERTIFICATE-----"]',
  });
});

test("s3: spec example lists, host style, numeric-looking strings stay strings", () => {
  const relation = {
    ...emptyRelation("s3", "s3"),
    remoteAppData: { "access-key": "a", "secret-key": "s", bucket: "b", "s3-uri-style": "host", "s3-api-version": "4", attributes: '["key1","key2"]', "tls-ca-chain": '["---first---","---second---"]' },
  };
  const env = mergedEnv(evaluate([relation]));
  assert.equal(env.S3_ATTRIBUTES, '["key1", "key2"]');
  assert.equal(env.S3_TLS_CA_CHAIN, '["---first---", "---second---"]');
  assert.equal(env.S3_ADDRESSING_STYLE, "virtual");
  assert.equal(env.S3_API_VERSION, "4");
});

test("s3: integrator 2 (plain fields, configured bucket) and the secret-based variant", () => {
  const v2 = relationFrom("s3_v2_integrator_with_v0_requirer");
  assert.equal(mergedEnv(evaluate([v2.relation])).S3_BUCKET, "configured-bucket");
  const v1 = relationFrom("s3_v1_secret_based");
  const env = mergedEnv(evaluate([v1.relation], v1.secrets));
  assert.equal(env.S3_ACCESS_KEY, "AKIAEXAMPLEKEY");
  assert.equal(env.S3_SECRET_KEY, "wJalrXUtnFEMIexamplesecret");
});

test("s3: the leader asks for a bucket named after the app; partial data is Blocked", () => {
  const relation = emptyRelation("s3", "s3", 5);
  assert.deepEqual(evaluate([relation]).writes, [{ relationId: 5, app: { bucket: "flask-k8s" } }]);
  assert.equal(evaluate([relation]).blocked, undefined, "an empty bag is only waiting");
  const partial = { ...relation, remoteAppData: { "access-key": "a", "secret-key": "s" } };
  const result = evaluate([partial]);
  assert.equal(result.blocked, "Invalid s3 relation data.");
  assert.deepEqual(result.problems, [{ integration: "s3", reason: "s3: the provider data lacks bucket" }]);
});

test("saml: the four variables; the redirect URL normalised by pydantic", () => {
  const { relation } = relationFrom("saml");
  assert.deepEqual(pick(mergedEnv(evaluate([relation])), "SAML_"), {
    SAML_ENTITY_ID: "https://login.staging.ubuntu.com",
    SAML_METADATA_URL: "https://login.staging.ubuntu.com/saml/metadata",
    SAML_SINGLE_SIGN_ON_REDIRECT_URL: "https://login.staging.ubuntu.com/saml/",
    SAML_SIGNING_CERTIFICATE: "MIIDuzCCAqOgAwIBAgIJALRwYFkmH3k9MA0GCSq...",
  });
  const bare = { ...relation, remoteAppData: { entity_id: "e", x509certs: "c", single_sign_on_service_redirect_url: "http://test-single-signon-url.test", single_sign_on_service_redirect_binding: "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" } };
  assert.equal(mergedEnv(evaluate([bare])).SAML_SINGLE_SIGN_ON_REDIRECT_URL, "http://test-single-signon-url.test/");
  const noCert = { ...relation, remoteAppData: { entity_id: "e", x509certs: "" } };
  assert.equal(evaluate([noCert]).blocked, "Invalid saml relation data.");
});

test("rabbitmq-k8s (app data) and rabbitmq-server (unit data)", () => {
  const k8s = relationFrom("rabbitmq");
  const env = pick(mergedEnv(evaluate([k8s.relation])), "RABBITMQ_");
  assert.deepEqual(env, {
    RABBITMQ_CONNECT_STRING: "amqp://flask-k8s:Tq4bN7xM2pL9vK3w@rabbitmq-k8s-endpoints.testing.svc.cluster.local:5672/%2F",
    RABBITMQ_SCHEME: "amqp",
    RABBITMQ_NETLOC: "flask-k8s:Tq4bN7xM2pL9vK3w@rabbitmq-k8s-endpoints.testing.svc.cluster.local:5672",
    RABBITMQ_PATH: "/%2F",
    RABBITMQ_PARAMS: "",
    RABBITMQ_QUERY: "",
    RABBITMQ_FRAGMENT: "",
    RABBITMQ_USERNAME: "flask-k8s",
    RABBITMQ_PASSWORD: "Tq4bN7xM2pL9vK3w",
    RABBITMQ_HOSTNAME: "rabbitmq-k8s-endpoints.testing.svc.cluster.local",
    RABBITMQ_PORT: "5672",
    RABBITMQ_VHOST: "/",
    RABBITMQ_CONNECT_STRINGS: "amqp://flask-k8s:Tq4bN7xM2pL9vK3w@rabbitmq-k8s-endpoints.testing.svc.cluster.local:5672/%2F",
  });
  const vm = relationFrom("rabbitmq_server_vm");
  const vmEnv = mergedEnv(evaluate([vm.relation]));
  assert.equal(vmEnv.RABBITMQ_HOSTNAME, "10.0.0.11");
  assert.equal(vmEnv.RABBITMQ_CONNECT_STRINGS, "amqp://flask-k8s:Tq4bN7xM2pL9vK3w@10.0.0.11:5672/%2F,amqp://flask-k8s:Tq4bN7xM2pL9vK3w@10.0.0.12:5672/%2F");
  assert.deepEqual(evaluate([emptyRelation("rabbitmq", "rabbitmq", 6)]).writes, [{ relationId: 6, app: { username: "flask-k8s", vhost: "/" } }]);
  const passwordOnly = { ...k8s.relation, remoteAppData: { password: "x" } };
  assert.deepEqual(pick(mergedEnv(evaluate([passwordOnly])), "RABBITMQ"), {});
});

test("tracing: otlp_http endpoint with pydantic's trailing slash; receivers request", () => {
  const { relation, expectedEnv } = relationFrom("tracing");
  assert.deepEqual(pick(mergedEnv(evaluate([relation])), "OTEL_"), expectedEnv);
  const fresh = emptyRelation("tracing", "tracing", 8);
  assert.deepEqual(evaluate([fresh]).writes, [{ relationId: 8, app: { receivers: '["otlp_http"]' } }]);
  const grpcOnly = { ...fresh, remoteAppData: { receivers: '[{"protocol": {"name": "otlp_grpc", "type": "grpc"}, "url": "h:4317"}]' } };
  assert.deepEqual(pick(mergedEnv(evaluate([grpcOnly])), "OTEL_"), {});
  for (const receivers of ["not json", '{"a": 1}', '[{"protocol": {"name": "otlp_http"}, "url": "::"}]']) {
    assert.equal(evaluate([{ ...fresh, remoteAppData: { receivers } }]).blocked, "Invalid tracing relation data.", receivers);
  }
});

test("smtp: password from password_id; the legacy endpoint's `none` values dropped", () => {
  const { relation, secrets } = relationFrom("smtp");
  assert.deepEqual(pick(mergedEnv(evaluate([relation], secrets)), "SMTP_"), {
    SMTP_HOST: "smtp.example.com",
    SMTP_PORT: "587",
    SMTP_USER: "mailer",
    SMTP_PASSWORD: "s3cr3t-smtp",
    SMTP_AUTH_TYPE: "plain",
    SMTP_TRANSPORT_SECURITY: "starttls",
    SMTP_DOMAIN: "example.com",
    SMTP_SKIP_SSL_VERIFY: "False",
  });
  const legacy = relationFrom("smtp_legacy");
  assert.deepEqual(pick(mergedEnv(evaluate([legacy.relation])), "SMTP_"), {
    SMTP_HOST: "mailcatcher",
    SMTP_PORT: "1025",
    SMTP_DOMAIN: "example.com",
    SMTP_SKIP_SSL_VERIFY: "False",
  });
  const invalidBags: Array<Record<string, string>> = [{ host: "h" }, { host: "h", port: "x" }, { host: "h", port: "25", auth_type: "weird" }];
  for (const data of invalidBags) {
    assert.equal(evaluate([{ ...relation, remoteAppData: data }]).blocked, "Invalid smtp relation data.", JSON.stringify(data));
  }
});

test("openfga: token from token_secret_id, store_name request", () => {
  const { relation, secrets } = relationFrom("openfga");
  assert.deepEqual(pick(mergedEnv(evaluate([relation], secrets)), "FGA_"), {
    FGA_STORE_ID: "01GK13VYZK62Q1T0X55Q2BHYD6",
    FGA_TOKEN: "Vq8kHn3JdL0pZtWmY2xC",
    FGA_GRPC_API_URL: "openfga-k8s.testing.svc.cluster.local:8081",
    FGA_HTTP_API_URL: "http://openfga-k8s.testing.svc.cluster.local:8080",
  });
  assert.deepEqual(evaluate([relation], secrets).writes, []);
  assert.deepEqual(evaluate([emptyRelation("openfga", "openfga", 9)]).writes, [{ relationId: 9, app: { store_name: "flask-k8s" } }]);
  const legacyToken = { ...relation, remoteAppData: { store_id: "s", token: "t", http_api_url: "http://x", grpc_api_url: "x:1" } };
  assert.equal(mergedEnv(evaluate([legacyToken])).FGA_TOKEN, "t");
});
