// paas-config.yaml `framework_logging_format: json` through the packed charm, with the Flask and FastAPI test
// apps' rocks in real workload containers and a real PostgreSQL: the unit goes active, the app gets the
// environment paas-charm 1.12.3 gives it (Flask: nothing added; FastAPI: PYTHONPATH and UVICORN_LOG_CONFIG),
// and a request to the app leaves a JSON access line in the service's output with paas-charm's fields.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { postgresqlProvider } from "../../simulator/providers/postgresql.ts";
import type { Framework } from "../../simulator/rocks/types.ts";
import type { Simulation } from "../../simulator/simulation.ts";
import { PebbleClient } from "../../pebble/client.ts";
import { exec } from "../../pebble/exec.ts";
import { repoRoot } from "../support/paths.ts";
import { assertEnv, packFrameworkCharm, postgresEnv, realWorkloadSuite, REFERENCE_ENV, removeFrameworkCharm, type FrameworkCharm } from "./realWorkloads.ts";
import { unitStatus } from "./support.ts";

const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const IPV4 = /^\d+\.\d+\.\d+\.\d+$/;

type LogLine = { timestamp: string; severityText: string; body: string; attributes: Record<string, unknown> } & Record<string, unknown>;

/** The service's output lines that are JSON objects, oldest first. */
async function jsonLines(pebble: PebbleClient, service: string): Promise<LogLine[]> {
  const response = await pebble.requestRaw("GET", `/v1/logs?services=${service}&n=-1`);
  return response.body.toString("utf8").split("\n").filter(Boolean).flatMap((entry) => {
    const message = (JSON.parse(entry) as { message: string }).message.trim();
    if (!message.startsWith("{")) return [];
    return [JSON.parse(message) as LogLine];
  });
}

/** The first JSON line `match` accepts; the server may write it a moment after answering. */
async function waitForLine(pebble: PebbleClient, service: string, match: (line: LogLine) => boolean): Promise<LogLine> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const line = (await jsonLines(pebble, service)).find(match);
    if (line) return line;
    if (Date.now() > deadline) assert.fail(`no JSON line of ${service} matched; its JSON lines: ${JSON.stringify(await jsonLines(pebble, service))}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const suite = realWorkloadSuite("json-logs");
before(() => suite.start());
after(() => suite.stop());

interface Case {
  framework: Framework;
  port: number;
  /** What framework_logging_format: json adds to the reference environment. */
  addedEnv: Record<string, string>;
}

const cases: Case[] = [
  { framework: "flask", port: 8000, addedEnv: {} },
  { framework: "fastapi", port: 8080, addedEnv: { PYTHONPATH: "/tmp/fastapi/log_config", UVICORN_LOG_CONFIG: "/tmp/fastapi/log_config/uvicorn-log-config.json" } },
];

for (const { framework, port, addedEnv } of cases) {
  describe(`a ${framework} charm with framework_logging_format: json`, () => {
    const app = `${framework}-k8s`;
    const unit = `${app}/0`;
    const addresses = new Map<string, string>();
    let charm: FrameworkCharm;
    let simulation: Simulation;
    const pebble = () => new PebbleClient({ socketPath: join(simulation.runtimeOf(unit).containersDir, charm.container, "pebble.socket") });

    before(async () => {
      charm = await packFrameworkCharm(framework, { paasConfig: "framework_logging_format: json\n" });
      simulation = suite.simulation(framework, join(repoRoot, "tests", "apps", framework), addresses);
    });
    after(async () => {
      await simulation.destroy();
      await removeFrameworkCharm(charm);
    });

    test("goes active with paas-charm's environment", async () => {
      await simulation.deployCharm(app, charm.path);
      await simulation.deployScripted(postgresqlProvider(suite.postgres, `${framework}-db`));
      await simulation.integrate({ app, endpoint: "postgresql" }, { app: `${framework}-db`, endpoint: "database" });
      assert.deepEqual(unitStatus(simulation, unit), { status: "active", message: "" });
      const env = (await pebble().getPlan()).services[framework]!.environment ?? {};
      assertEnv(env, { ...REFERENCE_ENV[framework], ...postgresEnv(app, suite.postgres), ...addedEnv });
    });

    test("a request leaves a JSON access line with paas-charm's fields in the service's output", async () => {
      const response = await fetch(`http://${addresses.get(unit)}:${port}/?probe=json`, { headers: { "x-request-id": "req-42" }, signal: AbortSignal.timeout(10_000) });
      assert.equal(response.status, 200);
      const line = await waitForLine(pebble(), framework, (l) => l.attributes["url.query"] === "probe=json");
      assert.match(line.timestamp, TIMESTAMP);
      assert.equal(line.severityText, "INFO");
      const { attributes } = line;
      if (framework === "flask") {
        assert.deepEqual(Object.keys(line), ["timestamp", "severityText", "body", "attributes"], "no traceId/spanId without a live span");
        assert.match(line.body, /^\S+ - - \[[^\]]+\] "GET \/\?probe=json HTTP\/1\.1" 200 \d+ "-" "\S+"$/, "Gunicorn's access format");
        assert.deepEqual(Object.keys(attributes), [
          "logger.name", "http.request.method", "url.path", "http.response.status_code", "duration_ms", "url.query", "client.address", "http.request.header.x-request-id",
        ]);
        assert.equal(typeof attributes.duration_ms, "number");
        assert.equal(attributes["http.request.header.x-request-id"], "req-42");
      } else {
        assert.deepEqual(Object.keys(attributes), ["logger.name", "http.request.method", "url.path", "url.query", "client.address", "http.response.status_code"]);
        assert.match(line.body, /^\d+\.\d+\.\d+\.\d+:\d+ - "GET \/\?probe=json HTTP\/1\.1" 200$/, "Uvicorn's access message");
      }
      const { "client.address": client, duration_ms: _duration, "http.request.header.x-request-id": _requestId, ...request } = attributes;
      assert.deepEqual(request, {
        "logger.name": framework === "flask" ? "gunicorn.access" : "uvicorn.access", "http.request.method": "GET", "url.path": "/", "url.query": "probe=json", "http.response.status_code": 200,
      });
      assert.match(String(client), IPV4, "the client's address, without its port");
      // The server's own lines are JSON too.
      const serverLogger = framework === "flask" ? "gunicorn.error" : "uvicorn.error";
      const started = await waitForLine(pebble(), framework, (l) => l.attributes["logger.name"] === serverLogger);
      assert.deepEqual(Object.keys(started), ["timestamp", "severityText", "body", "attributes"]);
    });

    if (framework === "flask") {
      test("Gunicorn accepts the config (--check-config) and its statsd request metrics still reach the exporter", async () => {
        const env = (await pebble().getPlan()).services.flask!.environment ?? {};
        const check = await exec(pebble(), {
          command: ["/bin/python3", "-m", "gunicorn", "-c", "/flask/gunicorn.conf.py", "app:app", "--check-config"],
          environment: env, workingDir: "/flask/app", user: "_daemon_", group: "_daemon_",
        });
        assert.equal(check.exitCode, 0, check.stderr);
        const metrics = await (await fetch(`http://${addresses.get(unit)}:9102/metrics`, { signal: AbortSignal.timeout(10_000) })).text();
        assert.match(metrics, /^flask_requests(_total)? [1-9]/m);
      });
    } else {
      test("the log files are the app user's, in a directory whose parent stays root's; an event writes them no more", async () => {
        // The app's user may write there (Python puts the module's bytecode in __pycache__).
        const files = await pebble().listFiles("/tmp/fastapi/log_config", { pattern: "uvicorn*" });
        assert.deepEqual(files.map((f) => [f.name, f.user]), [["uvicorn-log-config.json", "_daemon_"], ["uvicorn_log_handler.py", "_daemon_"]]);
        assert.equal((await pebble().listFiles("/tmp/fastapi/log_config", { itself: true }))[0]!.user, "_daemon_");
        assert.equal((await pebble().listFiles("/tmp/fastapi", { itself: true }))[0]!.user, "root");
        await simulation.updateStatus();
        assert.deepEqual(await pebble().listFiles("/tmp/fastapi/log_config", { pattern: "uvicorn*" }), files);
        assert.deepEqual(unitStatus(simulation, unit), { status: "active", message: "" });
      });
    }
  });
}
