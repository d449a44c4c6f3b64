// Loki through the simulator and a real workload container: the app's output reaches a push URL served on
// the simulator's service address through Pebble's log forwarding, and removing the logging relation
// switches forwarding off; none of it touches the app's env. (Prometheus's and Grafana's data, which need
// no real workload, are asserted in-process: tests/inProcess/observability.test.ts.)
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";
import { charmHarness, charmPath, standInRock } from "./support.ts";
import { SERVICE_ADDRESS } from "../../simulator/controller/serviceAddress.ts";
import { databagsApp, fromFixture } from "../../simulator/providers/databags.ts";
import { fixture } from "../paas/integrations/support.ts";

/** Serves HTTP on $PORT (so its ready check passes) and prints a line three times a second. */
const CHATTY_ROCK = standInRock("expressjs", 'python3 -m http.server "$PORT" & while true; do echo "app says hello"; sleep 0.3; done');

interface Push { streams: Array<{ stream: Record<string, string>; values: Array<[string, string]> }> }
const pushes: Push[] = [];
const loki = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on("data", (chunk: Buffer) => chunks.push(chunk));
  request.on("end", () => {
    const body = Buffer.concat(chunks);
    pushes.push(JSON.parse((request.headers["content-encoding"] === "gzip" ? gunzipSync(body) : body).toString("utf8")) as Push);
    response.writeHead(204).end();
  });
});
const harness = await charmHarness({ rock: CHATTY_ROCK });
await new Promise<void>((resolve) => loki.listen(0, SERVICE_ADDRESS, resolve));
after(() => new Promise<void>((resolve) => loki.close(() => resolve())));
const pushUrl = `http://${SERVICE_ADDRESS}:${(loki.address() as AddressInfo).port}/loki/api/v1/push`;

const { simulation } = harness;
const UNIT = "example-app/0";
const appData = (id: number) => simulation.model().relations[String(id)]!.appData["example-app"] ?? {};
const unitData = (id: number) => simulation.model().relations[String(id)]!.unitData[UNIT] ?? {};
const status = () => harness.status(UNIT);

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

let envBefore: Record<string, string>;

test("deployed with PostgreSQL data the unit is active", async () => {
  await simulation.deployCharm("example-app", charmPath);
  await simulation.deployScripted(databagsApp(fromFixture(fixture("postgresql_client"), "database")));
  await simulation.integrate({ app: "example-app", endpoint: "postgresql" }, { app: "postgresql-k8s", endpoint: "database" });
  assert.equal(status().status, "active", status().message);
  envBefore = await harness.env(UNIT);
});

let lokiRelation: number;

test("logging: Pebble forwards the app's output to the Loki unit's push URL, labelled with the topology", async () => {
  await simulation.deployScripted(databagsApp({ name: "loki-k8s", endpoint: "logging", interface: "loki_push_api", role: "provides", units: [{ endpoint: JSON.stringify({ url: pushUrl }) }] }));
  lokiRelation = await simulation.integrate({ app: "example-app", endpoint: "logging" }, { app: "loki-k8s", endpoint: "logging" });
  const plan = await harness.plan(UNIT);
  assert.deepEqual(plan.logTargets["loki-k8s/0"], {
    override: "replace", type: "loki", location: pushUrl, services: ["all"],
    labels: { product: "Juju", charm: "example-app", juju_model: "test-model", juju_model_uuid: simulation.model().uuid, juju_application: "example-app", juju_unit: UNIT },
  });
  const stream = await until("a push with the app's output", () => pushes.flatMap((push) => push.streams).find((s) => s.values.some(([, line]) => line.includes("app says hello"))));
  assert.equal(stream.stream.juju_application, "example-app");
  assert.equal(stream.stream.juju_unit, UNIT);
  assert.equal(stream.stream.pebble_service, "expressjs");
  assert.equal(appData(lokiRelation).metadata, `{"model": "test-model", "model_uuid": "${simulation.model().uuid}", "application": "example-app", "unit": "example-app/0", "charm_name": "example-app"}`);
  assert.equal(status().status, "active");
});

test("removing the logging relation switches forwarding off; the app's env never changed", async () => {
  await simulation.removeRelation(lokiRelation);
  const target = (await harness.plan(UNIT)).logTargets["loki-k8s/0"];
  assert.deepEqual(target?.services, ["-all"]);
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const settled = pushes.length;
  await new Promise((resolve) => setTimeout(resolve, 2500));
  assert.equal(pushes.length, settled, "Pebble still pushes after the relation is gone");
  assert.deepEqual(await harness.env(UNIT), envBefore);
  assert.equal(status().status, "active");
});
