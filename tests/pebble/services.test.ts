// Service lifecycle against a real Pebble daemon: replan starts, restarts on change, leaves
// unchanged services alone; failed starts carry their output; signals; change waits.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { PebbleClient } from "../../pebble/client.ts";
import { ChangeError, PebbleAPIError, PebbleTimeoutError } from "../../pebble/errors.ts";
import { diffLayer } from "../../pebble/layer.ts";
import type { Layer } from "../../pebble/layer.ts";
import { startPebble } from "../support/pebble.ts";
import type { PebbleDaemon } from "../support/pebble.ts";

let pebble: PebbleDaemon;
let client: PebbleClient;
let pidFile: string;
let outFile: string;

before(async () => {
  pebble = await startPebble();
  client = new PebbleClient({ socketPath: pebble.socketPath });
  pidFile = join(pebble.dir, "greeter.pid");
  outFile = join(pebble.dir, "greeter.out");
});
after(() => pebble.stop());

function greeterLayer(greeting: string): Layer {
  return {
    services: {
      greeter: {
        override: "replace",
        // `exec` keeps the shell's PID, so the pid file names the service's main process.
        command: `/bin/sh -c 'echo $$ > ${pidFile}; echo $GREETING > ${outFile}; exec sleep 1000'`,
        startup: "enabled",
        environment: { GREETING: greeting },
      },
    },
  };
}

async function greeterPid(): Promise<number> {
  return Number((await readFile(pidFile, "utf8")).trim());
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function eventually(condition: () => Promise<boolean> | boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!(await condition())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("replan", () => {
  test("starts an enabled service with its environment", async () => {
    await client.addLayer("app", greeterLayer("hello"));
    const change = await client.replan();
    assert.equal(change.kind, "replan");
    assert.equal(change.status, "Done");
    const [service] = await client.getServices(["greeter"]);
    assert.equal(service?.current, "active");
    assert.equal(service?.startup, "enabled");
    assert.equal((await readFile(outFile, "utf8")).trim(), "hello");
    assert.ok(alive(await greeterPid()));
  });

  test("restarts nothing when nothing changed (and diffLayer says so before asking)", async () => {
    const pid = await greeterPid();
    const desired = greeterLayer("hello");
    assert.deepEqual(diffLayer(desired, await client.getPlan()), []);
    await client.addLayer("app", desired, { combine: true });
    const change = await client.replan();
    // Replan still "starts" every enabled service; an up-to-date one is left running.
    assert.deepEqual(change.tasks.map((t) => t.log?.at(-1)?.replace(/^\S+ /, "")), ['INFO Service "greeter" already started.']);
    assert.equal(await greeterPid(), pid);
    assert.ok(alive(pid));
  });

  test("restarts the service when its environment changes", async () => {
    const oldPid = await greeterPid();
    const desired = greeterLayer("bonjour");
    assert.deepEqual(diffLayer(desired, await client.getPlan()), ["services.greeter.environment.GREETING"]);
    await client.addLayer("app", desired, { combine: true });
    await client.replan();
    const newPid = await greeterPid();
    assert.notEqual(newPid, oldPid);
    assert.ok(alive(newPid));
    assert.equal(alive(oldPid), false);
    assert.equal((await readFile(outFile, "utf8")).trim(), "bonjour");
  });
});

describe("service actions", () => {
  test("stop, start and restart change the service's state", async () => {
    assert.equal((await client.stopServices(["greeter"])).status, "Done");
    assert.equal((await client.getServices(["greeter"]))[0]?.current, "inactive");
    await client.startServices(["greeter"]);
    const first = await greeterPid();
    await client.restartServices(["greeter"]);
    assert.notEqual(await greeterPid(), first);
    assert.equal((await client.getServices(["greeter"]))[0]?.current, "active");
  });

  test("a service that exits at once fails its start with its output in the task log", async () => {
    await client.addLayer("broken", {
      services: { broken: { override: "replace", command: "/bin/sh -c 'echo boom-output; exit 3'", onFailure: "ignore" } },
    });
    const error = await client.startServices(["broken"]).then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof ChangeError, String(error));
    assert.match(error.err, /exited quickly with code 3/);
    assert.ok(error.taskLogs.some((line) => line.includes("boom-output")), error.taskLogs.join("\n"));
    assert.match(error.message, /boom-output/);
    assert.equal(error.change.status, "Error");
    assert.equal((await client.getServices(["broken"]))[0]?.current, "error");
  });

  test("an unknown service is a PebbleAPIError", async () => {
    await assert.rejects(client.startServices(["nope"]), (error: unknown) => {
      assert.ok(error instanceof PebbleAPIError);
      assert.equal(error.statusCode, 400);
      assert.match(error.apiMessage, /service "nope" does not exist/);
      return true;
    });
  });

  test("getServices leaves unknown names out", async () => {
    assert.deepEqual((await client.getServices(["greeter", "nope"])).map((s) => s.name), ["greeter"]);
  });
});

describe("signals", () => {
  test("sendSignal reaches the service's main process", async () => {
    const hupFile = join(pebble.dir, "hup");
    await client.addLayer("hup", {
      services: { hup: { override: "replace", command: `/bin/sh -c 'trap "echo got-hup >> ${hupFile}" HUP; while true; do sleep 0.1; done'` } },
    });
    await client.startServices(["hup"]);
    await client.sendSignal("SIGHUP", ["hup"]);
    await eventually(async () => (await readFile(hupFile, "utf8").catch(() => "")).includes("got-hup"), "the trap ran");
  });

  test("signalling a stopped service is a PebbleAPIError", async () => {
    await client.stopServices(["hup"]);
    await assert.rejects(client.sendSignal("SIGHUP", ["hup"]), (error: unknown) => {
      assert.ok(error instanceof PebbleAPIError);
      assert.equal(error.statusCode, 500);
      assert.match(error.apiMessage, /service is not running/);
      return true;
    });
  });
});

describe("changes", () => {
  test("waitChange gives up at its deadline, and a later wait sees the change done", async () => {
    await client.addLayer("stubborn", {
      services: { stubborn: { override: "replace", command: `/bin/sh -c 'trap "" TERM; while true; do sleep 0.1; done'`, killDelay: "1s" } },
    });
    await client.startServices(["stubborn"]);
    // The shell ignores SIGTERM, so the stop takes the 1 s kill-delay before SIGKILL.
    const { change } = await client.requestAsync("POST", "/v1/services", { body: { action: "stop", services: ["stubborn"] } });
    await assert.rejects(client.waitChange(change, 300), PebbleTimeoutError);
    const done = await client.waitChange(change, 10_000);
    assert.equal(done.status, "Done");
    assert.equal((await client.getChange(change)).id, change);
  });
});
