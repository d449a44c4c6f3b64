// A Django charm's reconcile in-process (the charm from charmcraft's django-framework expansion,
// runtime/templates): Gunicorn's config checked with --check-config and written before the app starts,
// `manage.py migrate` with the app's environment, Blocked without a database, and the create-superuser
// action: the command paas-charm 1.12.3 runs, the password its one result, the command's words on failure.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { charmDir, inProcessHarness } from "../support/inProcessCharm.ts";
import { repoRoot } from "../support/paths.ts";
import { databagsApp, fromFixture } from "../../simulator/providers/databags.ts";
import { fixture } from "../paas/integrations/support.ts";

const APP = "django-k8s";
const UNIT = `${APP}/0`;
const GUNICORN = "/bin/python3 -m gunicorn -c /django/gunicorn.conf.py django_app.wsgi:application -k [ sync ]";
const harness = inProcessHarness({
  rock: { django: { override: "replace", startup: "enabled", command: GUNICORN, user: "_daemon_" } },
  appDir: "/django/app",
  appFiles: { "manage.py": "#!/usr/bin/env python3\n" },
});
const { simulation } = harness;
// A Django charm declares its database itself (the extension does not).
const withPostgresql = (text: string) => stringify({ ...parse(text), requires: { ...parse(text).requires, postgresql: { interface: "postgresql_client", limit: 1 } } });
const charm = charmDir({ "runtime.yaml": () => "framework: django\n", "metadata.yaml": withPostgresql }, join(repoRoot, "runtime", "templates", "django.charmcraft.yaml"));
const commands = () => harness.workload(UNIT).execs.map((call) => call.command.join(" "));

test("without a database the Django app is Blocked as paas-charm says", async () => {
  await simulation.deployCharm(APP, charm);
  assert.deepEqual(harness.status(UNIT), { status: "blocked", message: "missing integrations: postgresql" });
});

test("with PostgreSQL: Gunicorn's config checked then written, manage.py migrate with the app's env, the app started", async () => {
  await simulation.deployScripted(databagsApp(fromFixture(fixture("postgresql_client"), "database")));
  await simulation.integrate({ app: APP, endpoint: "postgresql" }, { app: "postgresql-k8s", endpoint: "database" });
  assert.deepEqual(harness.status(UNIT), { status: "active", message: "" });
  const workload = harness.workload(UNIT);
  const ran = commands();
  const check = ran.findIndex((command) => command.endsWith("--check-config") && command.includes("/django/gunicorn.conf.candidate.py"));
  const migrate = ran.indexOf("python3 manage.py migrate");
  assert.ok(check >= 0, `no --check-config among ${ran.join("; ")}`);
  assert.ok(migrate > check, "the migration runs after the webserver config is in place");
  assert.match(workload.fileText("/django/gunicorn.conf.py") ?? "", /bind = \['0\.0\.0\.0:8000'\]/);
  const migration = workload.execs[migrate]!;
  assert.equal(migration.workingDir, "/django/app");
  assert.equal(migration.environment.POSTGRESQL_DB_CONNECT_STRING, (await harness.env(UNIT, "django")).POSTGRESQL_DB_CONNECT_STRING);
  assert.equal(workload.services.get("django"), "active");
});

test("create-superuser runs manage.py createsuperuser with the app's env and returns the password", async () => {
  const workload = harness.workload(UNIT);
  const id = await simulation.runAction(UNIT, "create-superuser", { username: "admin", email: "admin@example.com" });
  const run = simulation.model().actions[id]!;
  assert.equal(run.status, "completed", run.message);
  const call = workload.execs.at(-1)!;
  assert.deepEqual(call.command, ["python3", "manage.py", "createsuperuser", "--noinput"]);
  assert.equal(call.workingDir, "/django/app");
  assert.equal(call.environment.DJANGO_SUPERUSER_USERNAME, "admin");
  assert.equal(call.environment.DJANGO_SUPERUSER_EMAIL, "admin@example.com");
  assert.equal(call.environment.DJANGO_SUPERUSER_PASSWORD, run.results.password);
  assert.equal(call.environment.POSTGRESQL_DB_CONNECT_STRING, (await harness.env(UNIT, "django")).POSTGRESQL_DB_CONNECT_STRING);
  assert.match(String(run.results.password), /^[A-Za-z0-9_-]{22}$/);
});

test("create-superuser fails with the command's own words", async () => {
  harness.workload(UNIT).onExec = (call) => (call.command.includes("createsuperuser")
    ? { exitCode: 1, stdout: "CommandError: Error: That username is already taken.\n" }
    : { exitCode: 0 });
  const id = await simulation.runAction(UNIT, "create-superuser", { username: "admin", email: "admin@example.com" });
  const run = simulation.model().actions[id]!;
  assert.equal(run.status, "failed");
  assert.equal(run.message, "CommandError: Error: That username is already taken.");
});
