// The fault matrix: faults and bad input as a new user and an unlucky operator meet them, against the
// packed charm in the simulator. Each case asserts the hook exits, the status, and where it touches data,
// that a note written before the fault is readable after it; the run ends by printing the figures
// (cases, survived with a named status, hook errors caused by data, data kept) the README quotes.
// - the example app (its rock, real Pebble) on a real PostgreSQL: Pebble killed between hooks and during
//   a hook (the simulator's kubelet restarts the container and pebble-ready brings the unit back), the app
//   unable to bind, the database stopped and started, remove-relation and re-integrate;
// - a stand-in app: bad values for every config option, config secrets missing / not granted / revoked /
//   removed, malformed PostgreSQL provider data field by field, the app crash-looping, 20 quick config
//   changes, a hook tool failing, leader removal;
// - every integration's provider fields (missing, wrong type, wrong shape, huge) through the planner.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import type { WorkloadContainer } from "../../simulator/containers/container.ts";
import { startRoutedContainer } from "../../simulator/controller/defaultWorkloads.ts";
import { ensureServiceAddress, SERVICE_ADDRESS } from "../../simulator/controller/serviceAddress.ts";
import { installHookTools } from "../../simulator/hookTools/install.ts";
import type { ConfigValue, Model } from "../../simulator/model.ts";
import { addSecret, grantSecret } from "../../simulator/modelBuilder.ts";
import { databagsApp, fromFixture } from "../../simulator/providers/databags.ts";
import { postgresqlProvider } from "../../simulator/providers/postgresql.ts";
import { buildRock } from "../../simulator/rocks/build.ts";
import { startPostgres, type PostgresServer } from "../../simulator/servers/postgres.ts";
import { Simulation, type ContainerFactory } from "../../simulator/simulation.ts";
import { evaluateIntegrations, type RelationView } from "../../src/paas/integrations/index.ts";
import { charmHarness, standInRock } from "../charm/support.ts";
import { COS_ENDPOINTS, cosContext } from "../paas/integrations/observabilitySupport.ts";
import { fixture } from "../paas/integrations/support.ts";
import { http } from "../support/http.ts";
import { charmPath, repoRoot } from "../support/paths.ts";
import { Ledger } from "./ledger.ts";

const APP = "example-app";
const UNIT = `${APP}/0`;
const NOTE = "written before the faults";
const ledger = new Ledger();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(what: string, condition: () => Promise<boolean> | boolean, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

const statusOf = (simulation: Simulation, unit = UNIT) => {
  const { status, message } = simulation.model().units[unit]!.status;
  return { status, message };
};

describe("the example app on a real PostgreSQL", () => {
  const dir = mkdtempSync(join(tmpdir(), "faults-"));
  const workloads = new Map<string, WorkloadContainer>();
  let postgres: PostgresServer;
  let simulation: Simulation;
  let relationId: number;
  const workload = () => workloads.get(UNIT)!;
  const url = (path: string) => `http://${workload().address}:8080${path}`;
  const noteKept = async () => {
    const answer = await http(url("/notes")).catch(() => undefined);
    return answer?.status === 200 && (JSON.parse(answer.body) as Array<{ text: string }>).some((note) => note.text === NOTE);
  };
  /** Runs a fault; records the hooks since it started, the status after, and (optionally) whether the note is still there. */
  const fault = async (scenario: string, name: string, run: () => Promise<void>, opts: { checkData?: boolean } = {}) => {
    const mark = simulation.history.length;
    await run();
    await simulation.idle();
    return ledger.record({
      scenario, name, hookExits: Ledger.hookExits(simulation, mark), status: statusOf(simulation), errors: Ledger.hookErrors(simulation, mark),
      ...(opts.checkData ? { dataKept: await noteKept() } : {}),
    });
  };
  const crash = () => process.kill(workload().pid, "SIGKILL");
  /** The kubelet restarts the container, Juju's poller fires pebble-ready, the unit is active again. */
  const recovered = async (restartsBefore: number) => {
    const mark = simulation.history.length;
    await waitFor("the kubelet to restart the container", () => workload().restartCount > restartsBefore);
    await waitFor("pebble-ready after the restart", async () => {
      await simulation.idle();
      return simulation.history.slice(mark).some((entry) => entry.event.kind === "workload" && entry.event.hook === "pebble-ready");
    });
    await waitFor("the unit to be active again", async () => {
      await simulation.idle();
      return statusOf(simulation).status === "active";
    });
  };

  before(async () => {
    await ensureServiceAddress();
    postgres = await startPostgres({ host: SERVICE_ADDRESS });
    const rock = await buildRock("expressjs", { projectDir: repoRoot });
    const toolsDir = join(dir, "tools");
    installHookTools(toolsDir, "bundle");
    const containers: ContainerFactory = async (unit, container, socketDir) => {
      const started = await startRoutedContainer({ unitName: unit, containerName: container, rock, socketDir, workDir: join(dir, "work", unit.replace("/", "-"), container) });
      workloads.set(unit, started.container);
      return started.handle;
    };
    simulation = new Simulation({ dir: join(dir, "model"), modelName: "test-model", toolsDir, containers });
  });
  after(async () => {
    await simulation?.destroy();
    await postgres?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test("deployed with PostgreSQL, a note is written before the faults", async () => {
    await simulation.deployCharm(APP, charmPath);
    await simulation.deployScripted(postgresqlProvider(postgres));
    relationId = await simulation.integrate({ app: APP, endpoint: "postgresql" }, { app: "postgresql-k8s", endpoint: "database" });
    assert.deepEqual(statusOf(simulation), { status: "active", message: "" });
    const written = await http(url("/notes"), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ text: NOTE }) });
    assert.equal(written.status, 201, written.body);
    assert.ok(await noteKept());
  });

  test("Pebble killed between hooks: the kubelet restarts the container, pebble-ready brings the unit back", async () => {
    const restarts = workload().restartCount;
    const outcome = await fault("pebble", "killed between hooks, restarted by the kubelet", async () => {
      crash();
      await recovered(restarts);
    }, { checkData: true });
    assert.deepEqual(outcome.status, { status: "active", message: "" });
    assert.ok(outcome.hookExits.length > 0 && outcome.hookExits.every((code) => code === 0), `hook exits ${outcome.hookExits}`);
    assert.ok(simulation.history.some((entry) => entry.event.kind === "workload" && entry.event.hook === "pebble-ready" && entry.result?.exitCode === 0));
    assert.equal(outcome.dataKept, true);
  });

  test("Pebble killed again: update-status during the kubelet's back-off waits for Pebble, and the unit comes back", async () => {
    const restarts = workload().restartCount;
    const down = await fault("pebble", "update-status while the container is in back-off", async () => {
      crash();
      await waitFor("Pebble to be gone", async () => !(await fetch(url("/")).then(() => true, () => false)));
      await simulation.updateStatus();
    });
    assert.deepEqual(down.status, { status: "waiting", message: "Waiting for pebble ready" });
    assert.deepEqual(down.hookExits, [0]);
    const back = await fault("pebble", "back after the back-off (10 s)", () => recovered(restarts), { checkData: true });
    assert.deepEqual(back.status, { status: "active", message: "" });
    assert.equal(back.dataKept, true);
  });

  test("Pebble killed during config-changed: the hook succeeds waiting for Pebble, the change lands after the restart", async () => {
    const restarts = workload().restartCount;
    const during = await fault("pebble", "killed 0.4 s into config-changed", async () => {
      const hook = simulation.configure(APP, { "node-env": "development" });
      await sleep(400);
      crash();
      await hook;
    });
    assert.deepEqual(during.hookExits, [0]);
    assert.equal(during.status.status, "waiting");
    assert.match(during.status.message, /^Waiting for (Pebble|pebble ready)$/);
    const back = await fault("pebble", "back after the back-off (20 s) with the new config", () => recovered(restarts), { checkData: true });
    assert.deepEqual(back.status, { status: "active", message: "" });
    assert.match((await http(url("/"))).body, /"nodeEnv":"development"/);
    assert.equal(back.dataKept, true);
  });

  test("the app unable to bind its port is Blocked with Pebble's reason and the app's own words", async () => {
    // Node may take longer than Pebble's 1 s okay-delay to fail, so the start itself may look fine.
    const start = await fault("app", "app-port 1", () => simulation.configure(APP, { "app-port": 1 }));
    assert.deepEqual(start.hookExits, [0]);
    if (start.status.status === "blocked") assert.match(start.status.message, /^The app did not start: .*; last log lines: .*EACCES/);
    const later = await fault("app", "app-port 1: update-status until the check has failed past its threshold", () => waitFor("the app to be named", async () => {
      await simulation.updateStatus();
      return statusOf(simulation).status === "blocked";
    }, 90_000));
    assert.ok(later.hookExits.every((code) => code === 0));
    // The example app logs the failed listen and keeps running, so Pebble sees a live service whose check fails.
    assert.match(later.status.message, /^The app (keeps exiting: Pebble restarts service "expressjs" with back-off|does not answer on port 1: check expressjs-ready failed \d+ times in a row \(threshold 3\): .*); last log lines: .*EACCES/);
    const fixed = await fault("app", "app-port back to its default", () => simulation.configure(APP, { "app-port": null }), { checkData: true });
    assert.deepEqual(fixed.status, { status: "active", message: "" });
    assert.equal(fixed.dataKept, true);
  });

  test("the database stopped and started: no hook fails and the note is there after", async () => {
    const stopped = await fault("database", "stopped: update-status", async () => {
      await postgres.pause();
      const answer = await http(url("/notes")).catch(() => undefined);
      assert.notEqual(answer?.status, 200, "the app reads notes without its database");
      await simulation.updateStatus();
    });
    assert.ok(stopped.hookExits.every((code) => code === 0));
    const started = await fault("database", "started again", async () => {
      await postgres.resume();
      await waitFor("the app to read its notes again", noteKept);
      await simulation.updateStatus();
    }, { checkData: true });
    assert.deepEqual(started.status, { status: "active", message: "" });
    assert.equal(started.dataKept, true);
  });

  test("remove-relation and re-integrate: the new relation user owns the tables, the note is there and new ones are written", async () => {
    const removed = await fault("database", "remove-relation", () => simulation.removeRelation(relationId));
    assert.deepEqual(removed.status, { status: "blocked", message: "missing integrations: postgresql" });
    const again = await fault("database", "re-integrate (a new relation user)", async () => {
      relationId = await simulation.integrate({ app: APP, endpoint: "postgresql" }, { app: "postgresql-k8s", endpoint: "database" });
    }, { checkData: true });
    assert.deepEqual(again.status, { status: "active", message: "" });
    assert.equal(again.dataKept, true);
    const written = await http(url("/notes"), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ text: "after re-integrating" }) });
    assert.equal(written.status, 201, written.body);
  });
});

// Exits after 2 s (past Pebble's 1 s okay-delay) when NODE_ENV is "crash": a crash loop, not a failed start.
const standIn = await charmHarness({
  rock: standInRock("expressjs", `[ "$NODE_ENV" = crash ] && { echo "boom, NODE_ENV is crash" >&2; sleep 2; exit 1; }; exec python3 -m http.server "$PORT"`),
});

describe("a stand-in app: config, secrets, provider data, crash loops, hook tools, leader removal", () => {
  const simulation = standIn.simulation;
  let relationId: number;
  const record = async (scenario: string, name: string, run: () => Promise<void>, opts: { expectedHookError?: boolean; unit?: string } = {}) => {
    const mark = simulation.history.length;
    await run();
    return ledger.record({
      scenario, name, hookExits: Ledger.hookExits(simulation, mark), status: statusOf(simulation, opts.unit), errors: Ledger.hookErrors(simulation, mark),
      ...(opts.expectedHookError ? { expectedHookError: true } : {}),
    });
  };
  const active = { status: "active", message: "" };

  before(async () => {
    await simulation.deployCharm(APP, charmPath);
    await simulation.deployScripted(databagsApp(fromFixture(fixture("postgresql_client"), "database")));
    relationId = await simulation.integrate({ app: APP, endpoint: "postgresql" }, { app: "postgresql-k8s", endpoint: "database" });
    assert.deepEqual(statusOf(simulation), active);
  });

  test("bad values for every config option: the hook succeeds and the unit is active or names the option", async () => {
    const options = (parseYaml(readFileSync(join(repoRoot, "charmcraft.yaml"), "utf8")) as { config: { options: Record<string, { type: string }> } }).config.options;
    const common: Array<[string, ConfigValue]> = [["empty", ""], ["64 KiB", "x".repeat(64 * 1024)], ["unicode", "é\u{1F600}ü\uFFFD"], ["newlines", "a\nb\r\nc"]];
    const byType: Record<string, Array<[string, ConfigValue]>> = {
      int: [["wrong type", "eighty"], ["out of range", 65536], ["negative", -1], ["zero", 0], ["float", 1.5], ...common],
      string: [["wrong type", 12345], ["boolean", true], ...common],
      secret: [["not a secret URI", "garbage"], ["a secret that does not exist", "secret:d0000000000000000000"], ...common],
    };
    for (const [option, decl] of Object.entries(options)) {
      for (const [kind, value] of byType[decl.type] ?? []) {
        const outcome = await record("config", `${option}: ${kind}`, () => simulation.configure(APP, { [option]: value }));
        assert.deepEqual(outcome.hookExits, [0], `${option}: ${kind}`);
        if (outcome.status.status !== "active") assert.match(outcome.status.message, new RegExp(`invalid options: .*${option}|The app`), `${option}: ${kind}`);
      }
      const reset = await record("config", `${option}: back to its default`, () => simulation.configure(APP, { [option]: null }));
      assert.deepEqual(reset.status, active, `${option} reset`);
    }
  });

  test("config secrets missing, not granted, granted, revoked, removed", async () => {
    let secretId = "";
    const userSecret = (model: Model) => {
      secretId = addSecret(model, { owner: { kind: "model", name: model.name }, content: { value: "operator-chosen-key" }, label: "my-key" });
    };
    const steps: Array<[string, () => Promise<void>, string]> = [
      ["missing", () => simulation.configure(APP, { "app-secret-key-id": "secret:d0000000000000000001" }), "blocked"],
      ["not granted", async () => {
        await simulation.change(userSecret);
        await simulation.configure(APP, { "app-secret-key-id": `secret:${secretId}` });
      }, "blocked"],
      ["granted", async () => {
        await simulation.change((model) => { model.secrets[secretId]!.grants.push({ target: APP, targetKind: "application" }); });
        await simulation.updateStatus();
      }, "active"],
      ["revoked", async () => {
        await simulation.change((model) => { model.secrets[secretId]!.grants = []; });
        await simulation.updateStatus();
      }, "blocked"],
      ["removed", async () => {
        await simulation.change((model) => { delete model.secrets[secretId]; });
        await simulation.updateStatus();
      }, "blocked"],
      ["unset", () => simulation.configure(APP, { "app-secret-key-id": null }), "active"],
    ];
    for (const [name, run, expected] of steps) {
      const outcome = await record("secrets", name, run);
      assert.ok(outcome.hookExits.every((code) => code === 0), `${name}: ${outcome.hookExits}`);
      assert.equal(outcome.status.status, expected, `${name}: ${JSON.stringify(outcome.status)}`);
      if (expected === "blocked") assert.equal(outcome.status.message, "invalid options: app-secret-key-id", name);
    }
  });

  test("malformed PostgreSQL provider data, field by field: never a hook error, never a broken value in the app", async () => {
    const original = { ...simulation.model().relations[String(relationId)]!.appData["postgresql-k8s"]! };
    const mutations: Array<[string, (value: string) => string | undefined]> = [
      ["missing", () => undefined], ["wrong type", () => '{"a": 1}'], ["wrong shape", () => "db:notaport,[::1"], ["huge", () => "x".repeat(1024 * 1024)],
    ];
    const setField = (field: string, value: string | undefined) => simulation.change((model) => {
      const bag = { ...original };
      if (value === undefined) delete bag[field]; else bag[field] = value;
      model.relations[String(relationId)]!.appData["postgresql-k8s"] = bag;
    });
    for (const field of Object.keys(original)) {
      for (const [kind, mutate] of mutations) {
        const outcome = await record("relation data", `postgresql ${field}: ${kind}`, () => setField(field, mutate(original[field]!)));
        assert.ok(outcome.hookExits.every((code) => code === 0), `${field}: ${kind}: ${outcome.hookExits}`);
        if (outcome.status.status !== "active") {
          assert.match(outcome.status.message, /^(Invalid postgresql relation data(\.|: \S+ is too large for the app's environment\.)|missing integrations: postgresql|Waiting for the app to answer on port 8080 \(check expressjs-ready is failing\))$/, `${field}: ${kind}`);
        }
        for (const [name, value] of Object.entries(await standIn.env(UNIT))) {
          assert.doesNotMatch(value, /[\u0000-\u001f]/, `${field}: ${kind}: ${name}`);
          assert.ok(value.length < 128 * 1024, `${field}: ${kind}: ${name} is huge`);
        }
      }
      // A restarted app answers its check within a few update-status runs.
      const restored = await record("relation data", `postgresql ${field}: restored`, async () => {
        await setField(field, original[field]);
        await waitFor(`active with ${field} restored`, async () => statusOf(simulation).status === "active" || (await simulation.updateStatus(), false), 60_000);
      });
      assert.deepEqual(restored.status, active, `${field} restored`);
    }
    // The credentials live in the provider's secret: the provider names a new secret with bad content.
    const secretUri = original["secret-user"]!;
    const content = { ...simulation.model().secrets[secretUri.slice(secretUri.lastIndexOf("/") + 1)]!.revisions.at(-1)!.content };
    const badContent: Array<[string, Record<string, string>, string]> = [
      ["uris not a url", { ...content, uris: "not a url" }, "Invalid postgresql relation data."],
      ["uris port 99999", { ...content, uris: "postgresql://u:p@db:99999/x" }, "Invalid postgresql relation data."],
      ["username with a newline", { ...content, uris: "", username: "bad\nuser" }, "Invalid postgresql relation data."],
      ["1 MiB password", { ...content, uris: "", password: "p".repeat(1024 * 1024) }, "Invalid postgresql relation data: password is too large for the app's environment."],
    ];
    for (const [name, secretContent, message] of badContent) {
      const outcome = await record("relation data", `postgresql secret-user content: ${name}`, () => simulation.change((model) => {
        const id = addSecret(model, { owner: { kind: "application", name: "postgresql-k8s" }, content: secretContent });
        grantSecret(model, id, relationId, APP);
        model.relations[String(relationId)]!.appData["postgresql-k8s"] = { ...original, "secret-user": `secret://${model.uuid}/${id}` };
      }));
      assert.ok(outcome.hookExits.length > 0 && outcome.hookExits.every((code) => code === 0), `${name}: ${outcome.hookExits}`);
      assert.deepEqual(outcome.status, { status: "blocked", message }, name);
    }
    const restored = await record("relation data", "postgresql secret-user: restored", async () => {
      await setField("secret-user", secretUri);
      await waitFor("active with secret-user restored", async () => statusOf(simulation).status === "active" || (await simulation.updateStatus(), false), 60_000);
    });
    assert.deepEqual(restored.status, active);
  });

  test("the app crash-looping is Blocked with the app's last words, and a config it runs with brings it back", async () => {
    const looping = await record("app", "crash-looping (exits 2 s after each start)", async () => {
      await simulation.configure(APP, { "node-env": "crash" });
      await waitFor("the crash loop to be named", async () => {
        await simulation.updateStatus();
        return statusOf(simulation).status === "blocked";
      }, 120_000);
    });
    assert.ok(looping.hookExits.every((code) => code === 0));
    assert.match(looping.status.message, /^The app (keeps exiting|does not answer on port 8080).*; last log lines: .*boom, NODE_ENV is crash/);
    const fixed = await record("app", "crash loop fixed by config", () => simulation.configure(APP, { "node-env": "production" }));
    assert.deepEqual(fixed.status, active);
  });

  test("20 quick config changes: every hook succeeds and the last value wins", async () => {
    const outcome = await record("config", "20 quick changes", async () => {
      for (let i = 0; i < 20; i++) await simulation.configure(APP, { "node-env": `quick-${i}` });
    });
    assert.equal(outcome.hookExits.length, 20);
    assert.ok(outcome.hookExits.every((code) => code === 0));
    assert.equal((await standIn.env(UNIT)).NODE_ENV, "quick-19");
    assert.deepEqual(outcome.status, active);
  });

  test("a hook tool failing fails the hook naming the tool (Juju retries), and the next hook recovers", async () => {
    const tool = join(simulation.runtimeOf(UNIT).toolsDir, "opened-ports");
    const original = readFileSync(tool, "utf8");
    writeFileSync(tool, "#!/bin/sh\necho 'ERROR connection is shut down' >&2\nexit 1\n");
    const logsBefore = simulation.model().units[UNIT]!.logs.length;
    try {
      const failing = await record("hook tool", "opened-ports fails", () => simulation.updateStatus(), { expectedHookError: true });
      assert.notEqual(failing.hookExits[0], 0);
      const logged = simulation.model().units[UNIT]!.logs.slice(logsBefore).map((entry) => entry.message).join("\n");
      assert.match(logged, /opened-ports/, "the charm's log names the failing tool");
    } finally {
      writeFileSync(tool, original);
    }
    const next = await record("hook tool", "the next hook", () => simulation.updateStatus());
    assert.deepEqual(next.hookExits, [0]);
    assert.deepEqual(next.status, active);
  });

  test("leader removal: the other unit becomes leader, keeps the app's key, and is active", async () => {
    const second = await simulation.addUnit(APP);
    const key = (await standIn.env(second)).APP_SECRET_KEY;
    assert.ok(key);
    const outcome = await record("leader", "the leader unit removed", async () => {
      await simulation.removeUnit(UNIT);
      await simulation.updateStatus();
    }, { unit: second });
    assert.ok(outcome.hookExits.every((code) => code === 0), `${outcome.hookExits}`);
    assert.equal(simulation.model().units[second]!.leader, true);
    assert.deepEqual(outcome.status, active);
    assert.equal((await standIn.env(second)).APP_SECRET_KEY, key);
  });
});

describe("every integration's provider fields through the planner", () => {
  const FIXTURES = ["postgresql_client", "mysql_client", "mongodb_client", "redis", "valkey_client", "s3", "s3_v1_secret_based", "saml", "rabbitmq", "rabbitmq_server_vm", "tracing", "smtp", "openfga", "oauth", "http_proxy_userpass", "ingress", "loki_push_api"];
  const MUTATIONS: Array<[string, (value: string) => string | undefined]> = [
    ["missing", () => undefined], ["wrong type", () => '{"not": "a string"}'], ["wrong shape", (value) => (value.startsWith("[") || value.startsWith("{") ? value.slice(0, value.length >> 1) : "[::1:notaport")], ["huge", () => "x".repeat(1024 * 1024)],
    ["control characters", (value) => `${value}\n\u0000`],
  ];
  const ENDPOINT_NAME: Record<string, string> = { oidc: "oauth" };

  for (const name of FIXTURES) {
    test(`${name}: every field missing, of the wrong type or shape, huge, or with control characters`, () => {
      const data = fixture(name);
      const base: RelationView = {
        id: 1, endpoint: data.endpoint, interface: data.interface, remoteApp: data.remote_app,
        remoteAppData: data.provider.app, remoteUnitsData: data.provider.units, localAppData: data.requirer.app, localUnitData: {},
      };
      const variants: Array<[string, RelationView]> = [];
      for (const field of Object.keys(data.provider.app)) {
        for (const [kind, mutate] of MUTATIONS) {
          const bag = { ...data.provider.app };
          const value = mutate(bag[field]!);
          if (value === undefined) delete bag[field]; else bag[field] = value;
          variants.push([`app ${field}: ${kind}`, { ...base, remoteAppData: bag }]);
        }
      }
      for (const [unit, unitBag] of Object.entries(data.provider.units)) {
        for (const field of Object.keys(unitBag)) {
          for (const [kind, mutate] of MUTATIONS) {
            const bag = { ...unitBag };
            const value = mutate(bag[field]!);
            if (value === undefined) delete bag[field]; else bag[field] = value;
            variants.push([`${unit} ${field}: ${kind}`, { ...base, remoteUnitsData: { ...data.provider.units, [unit]: bag } }]);
          }
        }
      }
      for (const [what, relation] of variants) {
        const result = evaluateIntegrations(COS_ENDPOINTS, [relation], data.secrets ?? {}, cosContext());
        const integration = ENDPOINT_NAME[relation.endpoint] ?? relation.endpoint;
        const named = integration === "ingress"
          ? result.ingressUrl !== undefined || result.problems.some((problem) => problem.integration === "ingress")
          : result.ready.includes(integration) || result.problems.some((problem) => problem.integration === integration);
        assert.ok(named, `${name} ${what}: neither ready nor named`);
        for (const fragment of result.env) {
          for (const [variable, value] of Object.entries(fragment)) {
            assert.doesNotMatch(value, /[\u0000-\u001f\u007f]/, `${name} ${what}: ${variable}`);
            assert.ok(Buffer.byteLength(value) < 128 * 1024, `${name} ${what}: ${variable} is huge`);
          }
        }
      }
      ledger.plannerCases.set(name, variants.length);
    });
  }
});

// After every suite: the figures, then whether every case survived.
after(() => {
  for (const line of ledger.figures()) console.log(line);
  ledger.assertAllSurvived();
});
