// Exec over Pebble's websockets against a real daemon.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { PebbleClient } from "../../pebble/client.ts";
import { ChangeError, ExecError, PebbleAPIError } from "../../pebble/errors.ts";
import { startPebble } from "../support/pebble.ts";
import type { PebbleDaemon } from "../support/pebble.ts";

let pebble: PebbleDaemon;
let client: PebbleClient;

before(async () => {
  pebble = await startPebble({ env: { FROM_DAEMON: "daemon-value" } });
  client = new PebbleClient({ socketPath: pebble.socketPath });
});
after(() => pebble.stop());

test("stdout, stderr and the exit code come back separately", async () => {
  const result = await client.exec({ command: ["/bin/sh", "-c", "echo out; echo err >&2; exit 0"] });
  assert.deepEqual(result, { exitCode: 0, stdout: "out\n", stderr: "err\n" });
});

test("a non-zero exit is reported by exec and raised by run", async () => {
  const command = ["/bin/sh", "-c", "echo partial; echo 'it broke' >&2; exit 7"];
  assert.deepEqual(await client.exec({ command }), { exitCode: 7, stdout: "partial\n", stderr: "it broke\n" });
  const error = await client.run({ command, environment: { SECRET_TOKEN: "s3cr3t-value" } }).then(() => undefined, (e: unknown) => e);
  assert.ok(error instanceof ExecError);
  assert.equal(error.exitCode, 7);
  assert.deepEqual(error.command, command);
  assert.equal(error.stdout, "partial\n");
  assert.equal(error.stderr, "it broke\n");
  assert.match(error.message, /exited with code 7/);
  assert.match(error.message, /it broke/);
  assert.doesNotMatch(error.message, /s3cr3t-value|SECRET_TOKEN/);
});

test("run returns the result when the command succeeds", async () => {
  assert.equal((await client.run({ command: ["echo", "fine"] })).stdout, "fine\n");
});

test("stdin is delivered and ended (cat echoes it back, also when larger than one frame)", async () => {
  assert.equal((await client.exec({ command: ["cat"], stdin: "line one\nline two\n" })).stdout, "line one\nline two\n");
  const big = Buffer.alloc(100_000, "x").toString();
  assert.equal((await client.exec({ command: ["cat"], stdin: Buffer.from(big) })).stdout, big);
});

test("a command reading stdin gets EOF at once when no stdin is given", async () => {
  assert.deepEqual(await client.exec({ command: ["cat"], timeoutMs: 5000 }), { exitCode: 0, stdout: "", stderr: "" });
});

test("environment is layered on the daemon's, and the working dir is used", async () => {
  const result = await client.exec({
    command: ["/bin/sh", "-c", 'echo "$FROM_DAEMON $MINE"; pwd'],
    environment: { MINE: "mine" },
    workingDir: pebble.dir,
  });
  assert.equal(result.stdout, `daemon-value mine\n${pebble.dir}\n`);
});

test("without splitStderr both streams arrive on stdout", async () => {
  const result = await client.exec({ command: ["/bin/sh", "-c", "echo a; echo b >&2"], splitStderr: false });
  assert.equal(result.stderr, "");
  assert.deepEqual(result.stdout.split("\n").sort(), ["", "a", "b"]);
});

test("serviceContext takes the service's environment", async () => {
  await client.addLayer("ctx", { services: { svc: { override: "replace", command: "sleep 1000", environment: { FROM_SERVICE: "svc-value" } } } });
  assert.equal((await client.exec({ command: ["/bin/sh", "-c", "echo $FROM_SERVICE"], serviceContext: "svc" })).stdout, "svc-value\n");
});

test("a signal through the control websocket ends the command (exit 128 + signal)", async () => {
  const process = await client.startExec({ command: ["sleep", "100"] });
  await process.signal("SIGTERM");
  const result = await process.wait();
  assert.equal(result.exitCode, 128 + 15);
});

test("a timeout kills the command and raises ChangeError", async () => {
  const started = Date.now();
  const error = await client.exec({ command: ["sleep", "100"], timeoutMs: 500 }).then(() => undefined, (e: unknown) => e);
  assert.ok(error instanceof ChangeError, String(error));
  assert.match(error.err, /timed out after 500ms/);
  assert.equal(error.change.tasks[0]?.data?.["exit-code"], -1);
  assert.ok(Date.now() - started < 5000);
});

test("an unknown executable is a PebbleAPIError before anything starts", async () => {
  await assert.rejects(client.exec({ command: ["no-such-program"] }), (error: unknown) => {
    assert.ok(error instanceof PebbleAPIError);
    assert.equal(error.statusCode, 400);
    assert.match(error.apiMessage, /cannot find executable "no-such-program"/);
    return true;
  });
});

test("a missing working dir is a PebbleAPIError", async () => {
  await assert.rejects(client.exec({ command: ["true"], workingDir: "/no/such/dir" }), (error: unknown) => {
    assert.ok(error instanceof PebbleAPIError);
    assert.match(error.apiMessage, /working directory "\/no\/such\/dir" does not exist/);
    return true;
  });
});

test("an exec counts one POST, three websocket upgrades and its change wait", async () => {
  const counter = new PebbleClient({ socketPath: pebble.socketPath });
  await counter.exec({ command: ["true"] });
  assert.equal(counter.requestCount, 5);
});
