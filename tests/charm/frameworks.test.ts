// Each of the six frameworks, as its charmcraft extension declares it, through the simulator: the one
// packed binary runs in a charm made from that extension's expansion, next to a real workload container
// (real Pebble, the framework's rock stand-in in its own namespaces) and a real PostgreSQL.
// Without PostgreSQL the unit is Blocked and the app stopped; with it the unit is active, the app gets the
// reference's environment (docs/paas-charm-contract.md §3.2) in the reference's layer (§4.2) and answers HTTP; an
// invalid option is Blocked naming it.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { parse } from "yaml";
import { postgresqlProvider } from "../../simulator/providers/postgresql.ts";
import { buildRock } from "../../simulator/rocks/build.ts";
import type { Framework } from "../../simulator/rocks/types.ts";
import type { Simulation } from "../../simulator/simulation.ts";
import { PebbleClient } from "../../pebble/client.ts";
import { repoRoot } from "../support/paths.ts";
import { assertEnv, packFrameworkCharm, postgresEnv, realWorkloadSuite, REFERENCE_ENV, removeFrameworkCharm, type FrameworkCharm } from "./realWorkloads.ts";
import { unitStatus } from "./support.ts";

interface Case {
  framework: Framework;
  /** The main Pebble service (named after the framework) and the port the app serves on. */
  service: string;
  port: number;
  /** An option value the framework refuses, and the Blocked message naming it. */
  invalid: { option: string; value: string | number; message: string };
}

const cases: Case[] = [
  {
    framework: "flask", service: "flask", port: 8000,
    invalid: { option: "flask-preferred-url-scheme", value: "ftp", message: "invalid options: flask-preferred-url-scheme" },
  },
  {
    framework: "django", service: "django", port: 8000,
    invalid: { option: "webserver-workers", value: 0, message: "invalid options: webserver-workers" },
  },
  {
    framework: "fastapi", service: "fastapi", port: 8080,
    invalid: { option: "webserver-log-level", value: "loud", message: "invalid options: webserver-log-level" },
  },
  {
    framework: "go", service: "go", port: 8080,
    invalid: { option: "app-port", value: 70000, message: "invalid options: app-port" },
  },
  {
    framework: "expressjs", service: "expressjs", port: 8080,
    invalid: { option: "metrics-port", value: -1, message: "invalid options: metrics-port" },
  },
  {
    framework: "spring-boot", service: "spring-boot", port: 8080,
    invalid: { option: "metrics-port", value: -1, message: "invalid options: metrics-port" },
  },
];

const suite = realWorkloadSuite("frameworks");
before(() => suite.start());
after(() => suite.stop());

for (const testCase of cases) {
  describe(`the ${testCase.framework} charm`, () => {
    let charm: FrameworkCharm;
    let simulation: Simulation;
    const addresses = new Map<string, string>();
    const { app } = { app: `${testCase.framework}-k8s` };
    const unit = `${app}/0`;
    const pebble = () => new PebbleClient({ socketPath: join(simulation.runtimeOf(unit).containersDir, charm.container, "pebble.socket") });
    const status = () => unitStatus(simulation, unit);

    before(async () => {
      charm = await packFrameworkCharm(testCase.framework);
      simulation = suite.simulation(testCase.framework, join(repoRoot, "tests", "apps", testCase.framework), addresses);
    });
    after(async () => {
      await simulation.destroy();
      await removeFrameworkCharm(charm);
    });

    test("without PostgreSQL: Blocked on the missing integration, the app stopped", async () => {
      await simulation.deployCharm(app, charm.path);
      assert.deepEqual(status(), { status: "blocked", message: "missing integrations: postgresql" });
      const [service] = await pebble().getServices([testCase.service]);
      assert.notEqual(service?.current, "active");
    });

    test("with PostgreSQL: active, the reference's environment and layer, and the app answers", async () => {
      await simulation.deployScripted(postgresqlProvider(suite.postgres, `${testCase.framework}-db`));
      await simulation.integrate({ app, endpoint: "postgresql" }, { app: `${testCase.framework}-db`, endpoint: "database" });
      assert.deepEqual(status(), { status: "active", message: "" });

      const plan = await pebble().getPlan();
      const main = plan.services[testCase.service]!;
      assertEnv(main.environment ?? {}, { ...REFERENCE_ENV[testCase.framework], ...postgresEnv(app, suite.postgres) });
      // The rock's service, kept as the rock defines it but for `override: replace` and the environment.
      const rock = parse((await buildRock(testCase.framework, { projectDir: join(repoRoot, "tests", "apps", testCase.framework) })).layer) as {
        services: Record<string, { command: string; user?: string; "working-dir"?: string; startup?: string }>;
      };
      const original = rock.services[testCase.service]!;
      assert.equal(main.override, "replace");
      assert.equal(main.command, original.command);
      assert.equal(main.user, original.user);
      assert.equal(main.workingDir, original["working-dir"]);
      assert.equal(main.startup, "enabled");

      const response = await fetch(`http://${addresses.get(unit)}:${testCase.port}/`, { signal: AbortSignal.timeout(10_000) });
      assert.equal(response.status, 200);
      assert.deepEqual(simulation.model().units[unit]!.openedPorts["*"], [`${testCase.port}/tcp`]);
    });

    if (testCase.framework === "django") {
      test("create-superuser creates the user with a generated password; the same name again fails with Django's message", async () => {
        const id = await simulation.runAction(unit, "create-superuser", { username: "admin", email: "admin@example.com" });
        const run = simulation.model().actions[id]!;
        assert.equal(run.status, "completed", run.message);
        assert.match(String(run.results.password), /^[A-Za-z0-9_-]{22}$/);
        const againId = await simulation.runAction(unit, "create-superuser", { username: "admin", email: "admin@example.com" });
        const again = simulation.model().actions[againId]!;
        assert.equal(again.status, "failed");
        assert.match(again.message ?? "", /username is already taken/);
        assert.equal(again.results.password, undefined);
      });
    }

    test("an invalid option: Blocked naming it; reset: active again", async () => {
      await simulation.configure(app, { [testCase.invalid.option]: testCase.invalid.value });
      assert.deepEqual(status(), { status: "blocked", message: testCase.invalid.message });
      await simulation.configure(app, { [testCase.invalid.option]: null });
      assert.equal(status().status, "active");
    });

    test("removing PostgreSQL: Blocked again and the app stopped", async () => {
      const id = Object.values(simulation.model().relations).find((r) => r.interface === "postgresql_client" && !r.broken)!.id;
      await simulation.removeRelation(id);
      assert.deepEqual(status(), { status: "blocked", message: "missing integrations: postgresql" });
      const [service] = await pebble().getServices([testCase.service]);
      assert.notEqual(service?.current, "active");
    });
  });
}
