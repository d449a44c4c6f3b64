// Gunicorn through the simulator, a real workload container of the Flask test app's rock and a real
// PostgreSQL: `webserver-workers` changes the number of worker processes of the running Gunicorn (a
// SIGHUP reload: same master, new workers), and an event that leaves the config as it is reloads nothing.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { promisify } from "node:util";
import { charmHarness, variantCharm } from "./support.ts";
import { SERVICE_ADDRESS } from "../../simulator/controller/serviceAddress.ts";
import { postgresqlProvider } from "../../simulator/providers/postgresql.ts";
import { buildRock } from "../../simulator/rocks/build.ts";
import { startPostgres } from "../../simulator/servers/postgres.ts";

const run = promisify(execFile);
const APP = "flask-app";
const UNIT = `${APP}/0`;
const OPTIONS = ["webserver-workers", "webserver-threads", "webserver-timeout", "webserver-keepalive"];

const FLASK_CONFIG = [
  "options:",
  ...OPTIONS.flatMap((name) => [`  ${name}:`, "    type: int", `    description: Gunicorn's ${name.slice("webserver-".length)} setting.`]),
  "  webserver-worker-class:", "    type: string", "    description: sync or gevent.",
  "",
].join("\n");
const charm = variantCharm("flask-app", {
  "runtime.yaml": () => "framework: flask\n",
  "config.yaml": () => FLASK_CONFIG,
  "metadata.yaml": (text) => text.replace(/^name: example-app$/m, `name: ${APP}`),
});

const harness = await charmHarness({ rock: await buildRock("flask") });
const { simulation } = harness;
const postgres = await startPostgres({ host: SERVICE_ADDRESS });
after(() => postgres.stop());
const status = () => harness.status(UNIT);

interface Gunicorn { master: number; workers: number[] }

/** The Gunicorn processes in the unit's network namespace: the master and its children. */
async function gunicorn(): Promise<Gunicorn> {
  const { stdout } = await run("ip", ["netns", "pids", harness.container(UNIT).netns]);
  const processes: Array<{ pid: number; ppid: number }> = [];
  for (const pid of stdout.split("\n").filter(Boolean).map(Number)) {
    const [cmdline, stat] = await Promise.all([readFile(`/proc/${pid}/cmdline`, "utf8"), readFile(`/proc/${pid}/stat`, "utf8")]).catch(() => ["", ""]);
    if (!cmdline.includes("gunicorn")) continue;
    processes.push({ pid, ppid: Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) });
  }
  const pids = new Set(processes.map((p) => p.pid));
  const masters = processes.filter((p) => !pids.has(p.ppid));
  assert.equal(masters.length, 1, `one Gunicorn master expected, found ${JSON.stringify(processes)}`);
  return { master: masters[0]!.pid, workers: processes.filter((p) => p.ppid === masters[0]!.pid).map((p) => p.pid).sort() };
}

async function workersSettle(count: number): Promise<Gunicorn> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const now = await gunicorn();
    if (now.workers.length === count) return now;
    if (Date.now() > deadline) assert.fail(`Gunicorn has ${now.workers.length} workers, ${count} expected`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function answers(): Promise<number> {
  return (await fetch(`http://${harness.container(UNIT).address}:8000/items`)).status;
}

let before: Gunicorn;

test("deployed with webserver-workers=2 the Flask app runs two Gunicorn workers and answers", async () => {
  await simulation.deployCharm(APP, charm, { config: { "webserver-workers": 2 } });
  await simulation.deployScripted(postgresqlProvider(postgres));
  await simulation.integrate({ app: APP, endpoint: "postgresql" }, { app: "postgresql-k8s", endpoint: "database" });
  assert.deepEqual(status(), { status: "active", message: "" });
  before = await workersSettle(2);
  assert.equal(await answers(), 200);
});

test("webserver-workers=3 reloads the same master with three workers; the layer is not touched", async () => {
  const plan = await harness.plan(UNIT);
  await simulation.configure(APP, { "webserver-workers": 3 });
  const now = await workersSettle(3);
  assert.equal(now.master, before.master, "Gunicorn was restarted instead of reloaded");
  assert.deepEqual(await harness.plan(UNIT), plan);
  assert.deepEqual(status(), { status: "active", message: "" });
  assert.equal(await answers(), 200);
  before = now;
});

test("events that leave the config unchanged reload nothing: same master, same workers", async () => {
  await simulation.updateStatus();
  await simulation.configure(APP, { "webserver-workers": 3 });
  await new Promise((resolve) => setTimeout(resolve, 2000));
  assert.deepEqual(await gunicorn(), before);
  const logs = await harness.pebble(UNIT).requestRaw("GET", "/v1/logs?services=flask&n=-1");
  const hups = (logs.body.toString("utf8").match(/Handling signal: hup/g) ?? []).length;
  // The first config was written before Gunicorn first started (Pebble runs --hold): the change's is the only one.
  assert.equal(hups, 1, "exactly one SIGHUP, for the change of webserver-workers");
});

test("an invalid webserver-workers blocks with the option named and leaves Gunicorn alone", async () => {
  await simulation.configure(APP, { "webserver-workers": 0 });
  assert.deepEqual(status(), { status: "blocked", message: "invalid options: webserver-workers" });
  assert.deepEqual(await gunicorn(), before);
});

test("gevent workers without gevent in the rock block with the reference's message; Gunicorn keeps running", async () => {
  await simulation.configure(APP, { "webserver-workers": 3, "webserver-worker-class": "gevent" });
  assert.deepEqual(status(), { status: "blocked", message: "gunicorn[gevent] must be installed in the rock. https://bit.ly/flask-async-doc" });
  assert.deepEqual(await gunicorn(), before);
  assert.equal(await answers(), 200);
  await simulation.configure(APP, { "webserver-worker-class": "sync" });
  assert.deepEqual(status(), { status: "active", message: "" });
});
