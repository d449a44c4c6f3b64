// The client's transport, errors, layers/plan and checks against a real Pebble daemon.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import type { Socket } from "node:net";
import { join } from "node:path";
import { PebbleClient, socketPathFor } from "../../pebble/client.ts";
import { PebbleAPIError, PebbleConnectionError } from "../../pebble/errors.ts";
import { diffLayer } from "../../pebble/layer.ts";
import type { Layer } from "../../pebble/layer.ts";
import { startPebble } from "../support/pebble.ts";
import type { PebbleDaemon } from "../support/pebble.ts";

let pebble: PebbleDaemon;
let client: PebbleClient;

before(async () => {
  pebble = await startPebble();
  client = new PebbleClient({ socketPath: pebble.socketPath });
});
after(() => pebble.stop());

describe("socketPathFor", () => {
  test("is where Juju mounts it in a sidecar charm's container", () => {
    assert.equal(socketPathFor("app"), "/charm/containers/app/pebble.socket");
  });
  test("rejects names that would leave the directory", () => {
    assert.throws(() => socketPathFor("../x"), /invalid container name/);
  });
});

describe("transport", () => {
  test("systemInfo reports the daemon version", async () => {
    const info = await client.systemInfo();
    assert.equal(info.version, "v1.26.0");
    assert.match(info.bootId, /\S/);
  });

  test("health is true with no checks", async () => {
    assert.equal(await client.health(), true);
  });

  test("a missing socket is a PebbleConnectionError naming the path", async () => {
    const missing = join(pebble.dir, "nowhere", "pebble.socket");
    const dead = new PebbleClient({ socketPath: missing });
    const error = await dead.systemInfo().then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof PebbleConnectionError);
    assert.equal(error.code, "ENOENT");
    assert.match(error.message, new RegExp(`${missing}.*container may be restarting`));
  });

  test("a stale socket file is a PebbleConnectionError (ECONNREFUSED)", async () => {
    const stale = join(pebble.dir, "stale.socket");
    // A listener killed with SIGKILL leaves its socket file behind, like a crashed daemon.
    const listener = spawn(process.execPath, ["-e", `require("net").createServer().listen(${JSON.stringify(stale)}, () => console.log("up"))`]);
    await once(listener.stdout, "data");
    listener.kill("SIGKILL");
    await once(listener, "exit");
    const error = await new PebbleClient({ socketPath: stale }).systemInfo().then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof PebbleConnectionError, String(error));
    assert.equal(error.code, "ECONNREFUSED");
  });

  test("a daemon that never answers is a PebbleConnectionError after the request timeout", async () => {
    const hung = join(pebble.dir, "hung.socket");
    const held: Socket[] = [];
    const server = createServer((socket) => held.push(socket));
    await new Promise<void>((resolve) => server.listen(hung, resolve));
    try {
      const started = Date.now();
      const error = await new PebbleClient({ socketPath: hung, timeoutMs: 200 }).systemInfo().then(() => undefined, (e: unknown) => e);
      assert.ok(error instanceof PebbleConnectionError, String(error));
      assert.equal(error.code, "ETIMEDOUT");
      assert.match(error.message, /no answer within 200 ms/);
      assert.ok(Date.now() - started < 2000);
    } finally {
      for (const socket of held) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  test("an error envelope is a PebbleAPIError with status, kind and Pebble's message", async () => {
    const error = await client.getChange("999").then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof PebbleAPIError);
    assert.equal(error.statusCode, 404);
    assert.equal(error.apiMessage, 'cannot find change with id "999"');
  });

  test("requestCount counts each request", async () => {
    const counter = new PebbleClient({ socketPath: pebble.socketPath });
    assert.equal(counter.requestCount, 0);
    await counter.systemInfo();
    await counter.getServices();
    await counter.getPlan().catch(() => undefined);
    assert.equal(counter.requestCount, 3);
  });
});

describe("layers and plan", () => {
  const base: Layer = {
    summary: "base",
    services: {
      web: {
        override: "replace",
        command: "/bin/sh -c 'sleep 1000'",
        environment: { A: "1", B: "2" },
        after: ["db"],
        killDelay: "60s",
      },
      db: { override: "replace", command: "sleep 1000" },
    },
    checks: { up: { override: "replace", period: "90s", tcp: { port: 8080 } } },
  };

  test("an added layer shows up in the plan and diffLayer finds nothing to change", async () => {
    await client.addLayer("base", base);
    const plan = await client.getPlan();
    assert.deepEqual(plan.services.web, {
      override: "replace",
      command: "/bin/sh -c 'sleep 1000'",
      environment: { A: "1", B: "2" },
      after: ["db"],
      killDelay: "1m0s",
    });
    assert.deepEqual(plan.checks.up, { override: "replace", period: "1m30s", threshold: 3, tcp: { port: 8080 } });
    assert.deepEqual(diffLayer(base, plan), []);
  });

  test("the same label without combine is refused", async () => {
    await assert.rejects(client.addLayer("base", base), (error: unknown) => {
      assert.ok(error instanceof PebbleAPIError);
      assert.equal(error.statusCode, 400);
      assert.equal(error.apiMessage, 'layer "base" already exists');
      return true;
    });
  });

  test("combine merges into the existing layer: maps key by key, lists appended, scalars replaced", async () => {
    await client.addLayer(
      "base",
      { services: { web: { override: "merge", environment: { B: "20", C: "3" }, after: ["cache"], command: "sleep 2000" } } },
      { combine: true },
    );
    const web = (await client.getPlan()).services.web;
    assert.deepEqual(web?.environment, { A: "1", B: "20", C: "3" });
    assert.deepEqual(web?.after, ["db", "cache"]);
    assert.equal(web?.command, "sleep 2000");
    assert.equal(web?.killDelay, "1m0s");
  });

  test("combine with replace swaps the whole service", async () => {
    await client.addLayer("base", { services: { web: { override: "replace", command: "sleep 3000" } } }, { combine: true });
    assert.deepEqual((await client.getPlan()).services.web, { override: "replace", command: "sleep 3000" });
  });

  test("a later layer label stacks on top", async () => {
    await client.addLayer("top", { services: { db: { override: "merge", environment: { X: "y" } } } });
    // The entry keeps the override of the layer that created it.
    assert.deepEqual((await client.getPlan()).services.db, { override: "replace", command: "sleep 1000", environment: { X: "y" } });
  });

  test("an invalid layer is a 400 and leaves the plan alone", async () => {
    const before = await client.getPlan();
    await assert.rejects(client.addLayer("bad", "services:\n  s:\n    override: replace\n    colour: red\n"), (error: unknown) => {
      assert.ok(error instanceof PebbleAPIError);
      assert.equal(error.statusCode, 400);
      assert.match(error.apiMessage, /colour/);
      return true;
    });
    assert.deepEqual(await client.getPlan(), before);
  });
});

describe("checks", () => {
  test("getChecks lists the plan's checks; stop and start report what changed", async () => {
    const checks = await client.getChecks({ names: ["up"] });
    assert.equal(checks.length, 1);
    assert.equal(checks[0]?.name, "up");
    assert.equal(checks[0]?.threshold, 3);
    assert.deepEqual(await client.stopChecks(["up"]), ["up"]);
    assert.equal((await client.getChecks())[0]?.status, "inactive");
    assert.deepEqual(await client.stopChecks(["up"]), []);
    assert.deepEqual(await client.startChecks(["up"]), ["up"]);
  });

  test("health is false once a check is down", async () => {
    await client.addLayer("failing", {
      checks: { broken: { override: "replace", level: "alive", period: "100ms", timeout: "50ms", threshold: 1, exec: { command: "false" } } },
    });
    const deadline = Date.now() + 5000;
    while ((await client.health({ level: "alive" })) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.equal(await client.health({ level: "alive" }), false);
    assert.equal((await client.getChecks({ names: ["broken"] }))[0]?.status, "down");
  });
});

describe("notices", () => {
  test("check changes show up as change-update notices", async () => {
    const notices = await client.getNotices({ types: ["change-update"] });
    assert.ok(notices.length > 0);
    assert.ok(notices.every((n) => n.type === "change-update" && /^\d+$/.test(n.key)));
  });
});
