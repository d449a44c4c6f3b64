// The Flask test app (tests/apps/flask) from its rock stand-in: its migrate.sh creates a table in a
// real PostgreSQL through the rock's Python, /items writes and reads it, /redis pings a real Redis.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { buildRock } from "../../simulator/rocks/build.ts";
import type { Rock } from "../../simulator/rocks/types.ts";
import { startPostgres, type PostgresServer } from "../support/postgres.ts";
import { startRedis, type RedisServer } from "../support/redis.ts";
import { freePort, hostDir, runInRock, scratchDir, startRockService, type RockService } from "../support/rockHost.ts";

let rock: Rock;
let postgres: PostgresServer;
let redis: RedisServer;
let app: RockService;
let scratch: { path: string; remove(): Promise<void> };
let env: Record<string, string>;

before(async () => {
  rock = await buildRock("flask");
  [postgres, redis, scratch] = await Promise.all([startPostgres(), startRedis(), scratchDir()]);
  env = { FLASK_SECRET_KEY: "flask-secret", POSTGRESQL_DB_CONNECT_STRING: await postgres.createDatabase("flask_app"), REDIS_DB_CONNECT_STRING: redis.url };
  const port = await freePort();
  const config = join(scratch.path, "gunicorn.conf.py");
  await writeFile(config, `bind = ['127.0.0.1:${port}']\nchdir = '${hostDir(rock, "/flask/app")}'\naccesslog = '-'\nerrorlog = '-'\n`);
  const migration = await runInRock(rock, ["bash", "-eo", "pipefail", "migrate.sh"], { workingDir: "/flask/app", env });
  assert.equal(migration.code, 0, migration.output);
  assert.match(migration.output, /migrate: table items is ready/);
  app = await startRockService(rock, { port, env, replace: { "/flask/gunicorn.conf.py": config } });
});

after(async () => {
  await app?.stop();
  await Promise.all([postgres?.stop(), redis?.stop(), scratch?.remove()]);
});

test("an item POSTed to /items is read back from PostgreSQL by GET /items", async () => {
  const created = await fetch(`${app.url}/items`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ value: "first" }) });
  assert.equal(created.status, 201);
  assert.deepEqual(await created.json(), { id: 1, value: "first" });
  assert.deepEqual(await (await fetch(`${app.url}/items`)).json(), [{ id: 1, value: "first" }]);
});

test("GET /redis pings the Redis named by REDIS_DB_CONNECT_STRING", async () => {
  const response = await fetch(`${app.url}/redis`);
  assert.equal(response.status, 200);
  assert.deepEqual(await response.json(), { ping: true });
});
