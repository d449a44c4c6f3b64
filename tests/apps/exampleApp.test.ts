// The example ExpressJS app (app/), run from its rock stand-in the way the charm runs it: migrate.sh
// against a real PostgreSQL, notes stored and listed, the session cookie tied to APP_SECRET_KEY,
// Prometheus metrics on METRICS_PORT.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { buildRock } from "../../simulator/rocks/build.ts";
import type { Rock } from "../../simulator/rocks/types.ts";
import { repoRoot } from "../support/paths.ts";
import { startPostgres, type PostgresServer } from "../support/postgres.ts";
import { freePort, runInRock, startRockService, type RockService } from "../support/rockHost.ts";

const KEY_A = "key-a-0123456789abcdef";
const KEY_B = "key-b-fedcba9876543210";
const MIGRATE = ["bash", "-eo", "pipefail", "migrate.sh"];

let rock: Rock;
let postgres: PostgresServer;
let databaseUrl: string;
let app: RockService;
let metricsPort: number;
const services: RockService[] = [];

/** What the charm sets for the example app related to PostgreSQL (docs/paas-charm-contract.md §3.2), for one port and key. */
function charmEnv(port: number, secretKey: string, extra: Record<string, string> = {}): Record<string, string> {
  const url = new URL(databaseUrl);
  return {
    PORT: String(port),
    METRICS_PORT: String(port),
    METRICS_PATH: "/metrics",
    APP_BASE_URL: `http://example-app.test-model:${port}`,
    APP_SECRET_KEY: secretKey,
    POSTGRESQL_DB_CONNECT_STRING: databaseUrl,
    POSTGRESQL_DB_SCHEME: "postgresql",
    POSTGRESQL_DB_NETLOC: url.host,
    POSTGRESQL_DB_PATH: url.pathname,
    POSTGRESQL_DB_HOSTNAME: url.hostname,
    POSTGRESQL_DB_PORT: url.port,
    POSTGRESQL_DB_USERNAME: url.username,
    POSTGRESQL_DB_PASSWORD: url.password,
    POSTGRESQL_DB_NAME: url.pathname.slice(1),
    ...extra,
  };
}

async function startApp(secretKey: string, extra: Record<string, string> = {}): Promise<RockService> {
  const port = await freePort();
  const service = await startRockService(rock, { port, env: charmEnv(port, secretKey, extra) });
  services.push(service);
  return service;
}

before(async () => {
  rock = await buildRock("expressjs", { projectDir: repoRoot });
  postgres = await startPostgres();
  databaseUrl = await postgres.createDatabase("example_app");
  const migration = await runInRock(rock, MIGRATE, { workingDir: "/app", env: charmEnv(8080, KEY_A) });
  assert.equal(migration.code, 0, migration.output);
  metricsPort = await freePort();
  app = await startApp(KEY_A, { METRICS_PORT: String(metricsPort) });
});

after(async () => {
  for (const service of services) await service.stop();
  await postgres?.stop();
});

test("migrate.sh creates the notes table and can run again", async () => {
  const again = await runInRock(rock, MIGRATE, { workingDir: "/app", env: charmEnv(8080, KEY_A) });
  assert.equal(again.code, 0, again.output);
  assert.match(again.output, /migrate: table notes is ready/);
});

test("migrate.sh fails, naming the variable, when the app has no database yet", async () => {
  const { POSTGRESQL_DB_CONNECT_STRING: _, ...withoutDatabase } = charmEnv(8080, KEY_A);
  const result = await runInRock(rock, MIGRATE, { workingDir: "/app", env: withoutDatabase });
  assert.notEqual(result.code, 0);
  assert.match(result.output, /POSTGRESQL_DB_CONNECT_STRING is not set/);
});

test("GET / answers 200 with the base URL and NODE_ENV the charm set", async () => {
  const response = await fetch(`${app.url}/`);
  assert.equal(response.status, 200);
  const body = (await response.json()) as Record<string, unknown>;
  assert.deepEqual({ ...body, baseUrl: undefined }, { app: "example-app", status: "ok", baseUrl: undefined, nodeEnv: "production" });
  assert.match(String(body.baseUrl), /^http:\/\/example-app\.test-model:\d+$/);
});

test("a note POSTed to /notes is listed by GET /notes", async () => {
  const created = await fetch(`${app.url}/notes`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ text: "buy milk" }) });
  assert.equal(created.status, 201);
  const note = (await created.json()) as { id: number; text: string; created_at: string };
  assert.equal(note.text, "buy milk");

  const listed = (await (await fetch(`${app.url}/notes`)).json()) as Array<{ id: number; text: string }>;
  assert.deepEqual(listed.map(({ id, text }) => ({ id, text })), [{ id: note.id, text: "buy milk" }]);
});

test("POST /notes without text is refused with 400", async () => {
  const response = await fetch(`${app.url}/notes`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
  assert.equal(response.status, 400);
  assert.match(((await response.json()) as { error: string }).error, /"text"/);
});

test("a session cookie signed with APP_SECRET_KEY is accepted, and refused once the key has changed", async () => {
  const login = await fetch(`${app.url}/login?user=alice`);
  assert.equal(login.status, 200);
  const cookie = login.headers.get("set-cookie")?.split(";")[0];
  assert.match(cookie ?? "", /^session=[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);

  const me = await fetch(`${app.url}/me`, { headers: { cookie: cookie! } });
  assert.equal(me.status, 200);
  assert.deepEqual(await me.json(), { user: "alice" });

  const rotated = await startApp(KEY_B);
  assert.equal((await fetch(`${rotated.url}/me`, { headers: { cookie: cookie! } })).status, 401);
  const tampered = cookie!.replace("session=", "session=x");
  assert.equal((await fetch(`${app.url}/me`, { headers: { cookie: tampered } })).status, 401);
  assert.equal((await fetch(`${app.url}/me`)).status, 401);
});

test("/metrics on METRICS_PORT counts requests in the Prometheus text format", async () => {
  await fetch(`${app.url}/`);
  const response = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
  assert.equal(response.status, 200);
  assert.equal(response.headers.get("content-type"), "text/plain; version=0.0.4; charset=utf-8");
  const text = await response.text();
  assert.match(text, /^# TYPE example_app_http_requests_total counter$/m);
  assert.match(text, /^example_app_http_requests_total\{method="GET",status="200"\} [1-9]\d*$/m);
  assert.match(text, /^example_app_notes_created_total \d+$/m);
});
