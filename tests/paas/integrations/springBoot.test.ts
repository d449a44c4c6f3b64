import assert from "node:assert/strict";
import { test } from "node:test";
import { emptyRelation, evaluate, mergedEnv, relationFrom } from "./support.ts";

const SPRING = { framework: "spring-boot" as const, appName: "spring-boot-k8s", port: 8080 };

test("postgresql: generic variables plus the spring.datasource properties (spec example)", () => {
  const relation = { ...emptyRelation("postgresql", "postgresql_client"), remoteAppData: { database: "spring-boot-k8s", endpoints: "test-postgresql:5432", username: "test-username", password: "test-password" } };
  const env = mergedEnv(evaluate([relation], {}, SPRING));
  assert.equal(env["spring.datasource.url"], "jdbc:postgresql://test-postgresql:5432/spring-boot-k8s");
  assert.equal(env["spring.datasource.username"], "test-username");
  assert.equal(env["spring.datasource.password"], "test-password");
  assert.equal(env["spring.jpa.hibernate.ddl-auto"], "none");
  assert.equal(Object.keys(env).filter((key) => key.startsWith("POSTGRESQL_DB_")).length, 12);
});

test("mysql without a port renders no `:None`; mongodb gives only spring.data.mongodb.uri", () => {
  const mysql = { ...emptyRelation("mysql", "mysql_client"), remoteAppData: { uris: "mysql://u:p@h/db" } };
  assert.equal(mergedEnv(evaluate([mysql], {}, SPRING))["spring.datasource.url"], "jdbc:mysql://h/db");
  const { relation, secrets } = relationFrom("mongodb_client");
  assert.deepEqual(mergedEnv(evaluate([relation], secrets, SPRING)), {
    "spring.data.mongodb.uri": "mongodb://relation-9:Hh3nB5vC8xZ1qW2e@mongodb-k8s-0.mongodb-k8s-endpoints:27017,mongodb-k8s-1.mongodb-k8s-endpoints:27017/flask-k8s?replicaSet=mongodb-k8s&authSource=admin",
    OTEL_TRACES_EXPORTER: "none",
    OTEL_METRICS_EXPORTER: "none",
    OTEL_LOGS_EXPORTER: "none",
  });
});

test("redis, s3, rabbitmq, openfga, smtp properties", () => {
  const cases: Array<[string, Record<string, string>]> = [
    ["redis", { "spring.data.redis.url": "redis://redis-k8s-0.redis-k8s-endpoints.testing.svc.cluster.local:6379", "spring.data.redis.host": "redis-k8s-0.redis-k8s-endpoints.testing.svc.cluster.local", "spring.data.redis.port": "6379" }],
    ["s3", { "spring.cloud.aws.credentials.accessKey": "AKIAEXAMPLEKEY", "spring.cloud.aws.credentials.secretKey": "wJalrXUtnFEMIexamplesecret", "spring.cloud.aws.s3.bucket": "flask-k8s", "spring.cloud.aws.region.static": "us-east-1", "spring.cloud.aws.s3.endpoint": "http://minio.minio.svc.cluster.local:9000" }],
    ["rabbitmq", { "spring.rabbitmq.virtual-host": "/", "spring.rabbitmq.username": "spring-boot-k8s", "spring.rabbitmq.password": "Tq4bN7xM2pL9vK3w", "spring.rabbitmq.host": "rabbitmq-k8s-endpoints.testing.svc.cluster.local", "spring.rabbitmq.port": "5672" }],
    ["openfga", { "openfga.store-id": "01GK13VYZK62Q1T0X55Q2BHYD6", "openfga.credentials.method": "API_TOKEN", "openfga.credentials.config.api-token": "Vq8kHn3JdL0pZtWmY2xC", "openfga.api-url": "http://openfga-k8s.testing.svc.cluster.local:8080" }],
    ["smtp", { "spring.mail.host": "smtp.example.com", "spring.mail.port": "587", "spring.mail.username": "mailer@example.com", "spring.mail.password": "s3cr3t-smtp", "spring.mail.properties.mail.smtp.auth": "plain", "spring.mail.properties.mail.smtp.starttls.enable": "true" }],
  ];
  for (const [name, expected] of cases) {
    const { relation, secrets } = relationFrom(name);
    const env = mergedEnv(evaluate([relation], secrets, SPRING));
    delete env.OTEL_TRACES_EXPORTER;
    delete env.OTEL_METRICS_EXPORTER;
    delete env.OTEL_LOGS_EXPORTER;
    assert.deepEqual(env, expected, name);
  }
});

test("saml properties and the PEM certificate to push", () => {
  const { relation } = relationFrom("saml");
  const result = evaluate([relation], {}, SPRING);
  const prefix = "spring.security.saml2.relyingparty.registration.testentity";
  assert.deepEqual(result.env[0], {
    [`${prefix}.entity-id`]: "https://login.staging.ubuntu.com",
    [`${prefix}.assertingparty.metadata-uri`]: "https://login.staging.ubuntu.com/saml/metadata",
    [`${prefix}.assertingparty.singlesignin.url`]: "https://login.staging.ubuntu.com/saml/",
    [`${prefix}.assertingparty.verification.credentials[0].certificate-location`]: "file:/app/saml.cert",
  });
  assert.equal(result.samlCertificatePem, "-----BEGIN CERTIFICATE-----\nMIIDuzCCAqOgAwIBAgIJALRwYFkmH3k9MA0GCSq...\n-----END CERTIFICATE-----");
  assert.equal(evaluate([relation]).samlCertificatePem, undefined, "other frameworks get no file");
});

test("tracing: OTEL exporters off without data, endpoint with data", () => {
  const { relation } = relationFrom("tracing");
  assert.deepEqual(mergedEnv(evaluate([relation], {}, SPRING)), { OTEL_SERVICE_NAME: "spring-boot-k8s", OTEL_EXPORTER_OTLP_ENDPOINT: "http://tempo.testing.svc.cluster.local:4318/" });
  assert.deepEqual(mergedEnv(evaluate([], {}, SPRING)), { OTEL_TRACES_EXPORTER: "none", OTEL_METRICS_EXPORTER: "none", OTEL_LOGS_EXPORTER: "none" });
});

test("oauth registration properties (spec example)", () => {
  const { relation, secrets } = relationFrom("oauth");
  const ingress = { ...emptyRelation("ingress", "ingress", 1), remoteAppData: { ingress: '{"url": "http://juju.test/"}' } };
  const config = { "oidc-redirect-path": "/oauth/callback", "oidc-scopes": "openid profile email phone", "oidc-user-name-attribute": "email" };
  const env = evaluate([ingress, relation], secrets, { ...SPRING, config }).env.at(-1);
  assert.deepEqual(env, {
    "spring.security.oauth2.client.registration.oidc.client-id": "5bd1a6b8-2c1f-4a57-9f0c-8e7e2b1f4c3d",
    "spring.security.oauth2.client.registration.oidc.client-secret": "Xy7-client-secret",
    "spring.security.oauth2.client.registration.oidc.redirect-uri": "http://juju.test/oauth/callback",
    "spring.security.oauth2.client.registration.oidc.scope": "openid,profile,email,phone",
    "spring.security.oauth2.client.registration.oidc.user-name-attribute": "email",
    "spring.security.oauth2.client.provider.oidc.authorization-uri": "https://10.64.140.43/testing-hydra/oauth2/auth",
    "spring.security.oauth2.client.provider.oidc.issuer-uri": "https://10.64.140.43/testing-hydra",
    "spring.security.oauth2.client.provider.oidc.jwk-set-uri": "https://10.64.140.43/testing-hydra/.well-known/jwks.json",
    "spring.security.oauth2.client.provider.oidc.token-uri": "https://10.64.140.43/testing-hydra/oauth2/token",
    "spring.security.oauth2.client.provider.oidc.user-info-uri": "https://10.64.140.43/testing-hydra/userinfo",
    "spring.security.oauth2.client.provider.oidc.user-name-attribute": "email",
    "spring.security.oauth2.client.registration.oidc.authorization-grant-type": "authorization_code",
  });
});
