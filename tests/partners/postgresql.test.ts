// The postgresql-k8s partner charm (tests/partners/postgresql-k8s) through the simulator's `juju`: its
// plain rock (a Debian root of its stage-packages, its scripts on top, its own layer), a real PostgreSQL in
// its container reporting its version as the workload version, and the provider side of postgresql_client
// as the reference fixture records it: per related application its own role and database, the credentials
// in granted Juju secrets, endpoints at its unit. Logins are checked with the host's psql over the unit
// network, the password passed in the environment.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { buildProjectRock } from "../../simulator/rocks/build.ts";
import { charmPath, repoRoot } from "../support/paths.ts";
import { partnerModel, unitsOf, type Status } from "./support.ts";

const MODEL = "pg";
const { dir, cli, ok, pack, settle, remoteAppData } = partnerModel(MODEL);
const partner = join(repoRoot, "tests", "partners", "postgresql-k8s");
const APPS = ["notes-a", "notes-b"];

/** The keys data_interfaces v0's provider writes in its app databag (fixtures/postgresql_client.json, less the `data` diff cache). */
const PROVIDER_KEYS = ["database", "endpoints", "read-only-endpoints", "secret-tls", "secret-user", "version"];

const active = (status: Status, ...apps: string[]) => apps.every((app) => unitsOf(status, app).length > 0 && unitsOf(status, app).every((u) => u["workload-status"].current === "active"));

/** The app's database env, as its unit's Pebble plan gives it to the app. */
function appEnv(app: string): Record<string, string> {
  const plan = parse(ok("ssh", "--container", "app", `${app}/0`, "/charm/bin/pebble", "plan")) as { services: Record<string, { environment?: Record<string, string> }> };
  return plan.services["expressjs"]?.environment ?? {};
}

/** psql on the host as `user` (password in PGPASSWORD) into `database` at host:port; stdout, or the error it printed. */
function psql(env: Record<string, string>, database: string, sql: string): { ok: boolean; out: string } {
  const result = spawnSync("psql", ["-h", env.POSTGRESQL_DB_HOSTNAME!, "-p", env.POSTGRESQL_DB_PORT!, "-U", env.POSTGRESQL_DB_USERNAME!, "-d", database, "-tAc", sql], {
    env: { ...process.env, PGPASSWORD: env.POSTGRESQL_DB_PASSWORD!, PGCONNECT_TIMEOUT: "5" }, encoding: "utf8",
  });
  return { ok: result.status === 0, out: (result.status === 0 ? result.stdout : result.stderr).trim() };
}

test("its rock: Debian's postgresql below, the rock's scripts on top, the rock's own layer run as _daemon_", async () => {
  const rock = await buildProjectRock(join(partner, "rock"));
  assert.equal(rock.framework, "test-postgresql");
  assert.deepEqual(rock.packages, ["postgresql"]);
  assert.deepEqual(rock.mounts.map((m) => [m.containerPath, m.readOnly]), [["/usr/local/bin/postgresql-run", true], ["/usr/local/bin/postgresql-sql", true]]);
  assert.deepEqual(rock.users.map((u) => [u.name, u.uid]), [["_daemon_", 584792]]);
  const layer = parse(rock.layer) as { summary: string; services: Record<string, Record<string, unknown>> };
  assert.equal(layer.summary, "PostgreSQL for the integration suite's postgresql-k8s test charm.");
  assert.deepEqual(layer.services["postgresql"], {
    override: "replace", summary: "PostgreSQL server", command: "/usr/local/bin/postgresql-run", startup: "enabled", user: "_daemon_", "working-dir": "/tmp",
  });
});

test("a rock part whose plugin the builder cannot run is refused, naming the part and what it takes", async () => {
  const project = join(dir, "odd-rock");
  mkdirSync(project);
  writeFileSync(join(project, "rockcraft.yaml"), "name: odd\nbase: ubuntu@24.04\nversion: '1'\nsummary: s\ndescription: d\nplatforms: {amd64: }\nparts:\n  app:\n    plugin: go\n");
  await assert.rejects(buildProjectRock(project), /part "app" uses plugin "go"; the simulator's rock builder takes nil and dump parts/);
});

before(() => {
  ok("add-model", MODEL);
  ok("deploy", pack("postgresql-k8s"), "--resource", "postgresql-image=localhost/test-postgresql:0.1");
  for (const app of APPS) ok("deploy", charmPath, app, "--resource", "app-image=localhost/example-app:0.1");
  for (const app of APPS) ok("integrate", app, "postgresql-k8s");
});

test("each related app gets its own database and role, with the credentials in secrets, as the fixture records", async () => {
  const status = await settle((s) => active(s, "postgresql-k8s", ...APPS));
  const server = unitsOf(status, "postgresql-k8s")[0]!;
  const users = new Set<string>();
  for (const app of APPS) {
    const data = remoteAppData(`${app}/0`, "postgresql");
    assert.deepEqual(Object.keys(data).sort(), PROVIDER_KEYS);
    assert.equal(data.database, app);
    assert.equal(data.endpoints, `${server.address}:5432`);
    assert.equal(data["read-only-endpoints"], data.endpoints);
    assert.match(data["secret-user"]!, /^secret:\/\/[0-9a-f-]+\/[a-z0-9]{20}$/);
    const env = appEnv(app);
    assert.match(env.POSTGRESQL_DB_USERNAME!, /^relation_id_\d+$/);
    assert.equal(env.POSTGRESQL_DB_CONNECT_STRING, `postgresql://${env.POSTGRESQL_DB_USERNAME}:${env.POSTGRESQL_DB_PASSWORD}@${data.endpoints}/${app}`);
    users.add(env.POSTGRESQL_DB_USERNAME!);
    assert.deepEqual(psql(env, app, "SELECT current_user || ' ' || current_database()"), { ok: true, out: `${env.POSTGRESQL_DB_USERNAME} ${app}` });
  }
  assert.equal(users.size, APPS.length);
  // One app's role cannot open the other's database.
  const refused = psql(appEnv(APPS[0]!), APPS[1]!, "SELECT 1");
  assert.equal(refused.ok, false);
  assert.match(refused.out, /permission denied for database "notes-b"/);
});

test("the workload version is the running server's, and the app's migration made its table in its database", () => {
  const env = appEnv(APPS[0]!);
  const version = psql(env, APPS[0]!, "SHOW server_version");
  assert.ok(version.ok, version.out);
  assert.equal((cli.status(MODEL) as Status).applications["postgresql-k8s"]?.version, version.out.split(" ")[0]);
  assert.deepEqual(psql(env, APPS[0]!, "SELECT tableowner FROM pg_tables WHERE tablename = 'notes'"), { ok: true, out: env.POSTGRESQL_DB_USERNAME });
});

test("removing a relation drops its role and leaves the other app's alone; the app is Blocked again", async () => {
  const [gone, kept] = [appEnv(APPS[0]!), appEnv(APPS[1]!)];
  ok("remove-relation", APPS[0]!, "postgresql-k8s");
  await settle((s) => unitsOf(s, APPS[0]!).every((u) => u["workload-status"].message === "missing integrations: postgresql"));
  const refused = psql(gone, APPS[0]!, "SELECT 1");
  assert.equal(refused.ok, false);
  assert.match(refused.out, new RegExp(`password authentication failed for user "${gone.POSTGRESQL_DB_USERNAME}"`));
  assert.deepEqual(psql(kept, APPS[1]!, "SELECT count(*) FROM notes"), { ok: true, out: "0" });
});
