// The Django test app (tests/apps/django) from its rock stand-in: the migration the charm runs for
// Django (`python3 manage.py migrate`, docs/paas-charm-contract.md §5) applies to a real PostgreSQL named by POSTGRESQL_DB_*.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { buildRock } from "../../simulator/rocks/build.ts";
import type { Rock } from "../../simulator/rocks/types.ts";
import { startPostgres, type PostgresServer } from "../support/postgres.ts";
import { runInRock } from "../support/rockHost.ts";

let rock: Rock;
let postgres: PostgresServer;
let env: Record<string, string>;

before(async () => {
  rock = await buildRock("django");
  postgres = await startPostgres();
  const url = new URL(await postgres.createDatabase("django_app"));
  env = {
    DJANGO_SECRET_KEY: "django-secret",
    POSTGRESQL_DB_CONNECT_STRING: url.href,
    POSTGRESQL_DB_HOSTNAME: url.hostname,
    POSTGRESQL_DB_PORT: url.port,
    POSTGRESQL_DB_USERNAME: url.username,
    POSTGRESQL_DB_PASSWORD: url.password,
    POSTGRESQL_DB_NAME: url.pathname.slice(1),
  };
});

after(async () => {
  await postgres?.stop();
});

test("python3 manage.py migrate applies the app's migrations to PostgreSQL, then finds nothing to do", async () => {
  const first = await runInRock(rock, ["python3", "manage.py", "migrate"], { workingDir: "/django/app", env });
  assert.equal(first.code, 0, first.output);
  assert.match(first.output, /Applying auth\.0001_initial\.\.\. OK/);
  const second = await runInRock(rock, ["python3", "manage.py", "migrate"], { workingDir: "/django/app", env });
  assert.equal(second.code, 0, second.output);
  assert.match(second.output, /No migrations to apply/);
});
