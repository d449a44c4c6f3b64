// The simulator's `juju` as a user runs it: a process per command against a controller it starts on
// demand, with juju 3.6's outputs, JSON shapes, error texts and exit codes.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repoRoot } from "../support/paths.ts";
import { packGreeter } from "./cliCharm.ts";

const dir = mkdtempSync(join(tmpdir(), "juju-cli-"));
const home = join(dir, "home");
const charm = packGreeter(dir);
after(() => {
  juju("kill-controller", "--no-prompt");
  rmSync(dir, { recursive: true, force: true });
});

function juju(...args: string[]): { code: number; stdout: string; stderr: string } {
  const result = spawnSync(join(repoRoot, "bin", "juju"), args, { cwd: dir, env: { ...process.env, JUJU_SIM_HOME: home, JUJU_MODEL: "" }, encoding: "utf8", timeout: 120_000 });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

function ok(...args: string[]): string {
  const result = juju(...args);
  assert.equal(result.code, 0, `juju ${args.join(" ")} exited ${result.code}: ${result.stderr}`);
  return result.stdout;
}

function json(...args: string[]): any {
  return JSON.parse(ok(...args));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test("add-model starts the controller; deploy runs the charm's hooks before returning", () => {
  ok("add-model", "--no-switch", "cli");
  assert.deepEqual(json("models", "--format", "json").models.map((m: { "short-name": string }) => m["short-name"]), ["cli"]);
  ok("deploy", "--model", "cli", "./greeter.charm", "--config", "greeting=hi", "--num-units", "2");
  const status = json("status", "--model", "cli", "--format", "json");
  assert.deepEqual(Object.keys(status), ["model", "machines", "applications", "storage", "controller"]);
  assert.deepEqual({ ...status.model, "model-status": undefined }, {
    name: "cli", type: "caas", controller: "sim", cloud: "microk8s", region: "localhost", version: "3.6.8", "model-status": undefined, sla: "unsupported",
  });
  const app = status.applications.greeter;
  assert.equal(app.charm, "local:greeter-0");
  assert.equal(app["charm-name"], "greeter");
  assert.equal(app["charm-origin"], "local");
  assert.equal(app["charm-rev"], 0);
  assert.equal(app.exposed, false);
  assert.equal(app.version, "1.2.3");
  assert.deepEqual(app.base, { name: "ubuntu", channel: "24.04" });
  assert.deepEqual({ ...app["application-status"], since: undefined }, { current: "blocked", message: "missing integrations: postgresql", since: undefined });
  assert.deepEqual(Object.keys(app.units), ["greeter/0", "greeter/1"]);
  assert.equal(app.units["greeter/0"].leader, true);
  assert.equal(app.units["greeter/1"].leader, undefined);
  assert.equal(app.units["greeter/1"]["juju-status"].current, "idle");
  assert.match(app.units["greeter/0"]["workload-status"].since, /^\d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\dZ$/);
});

test("config prints juju's JSON, sets typed values and resets them", () => {
  const config = json("config", "-m", "cli", "greeter", "--format", "json");
  assert.equal(config.application, "greeter");
  assert.equal(config.charm, "greeter");
  assert.deepEqual(config.settings, {
    debug: { description: "Verbose logs.", source: "unset", type: "boolean" },
    greeting: { default: "hello", description: "What the unit says.", source: "user", type: "string", value: "hi" },
    retries: { default: 3, description: "How often to try.", source: "default", type: "int", value: 3 },
  });
  ok("config", "-m", "cli", "greeter", "retries=7", "debug=true");
  const set = json("config", "-m", "cli", "greeter", "--format=json").settings;
  assert.deepEqual([set.retries.value, set.retries.source, set.debug.value], [7, "user", true]);
  assert.equal(ok("config", "-m", "cli", "greeter", "retries"), "7\n");
  ok("config", "-m", "cli", "greeter", "--reset", "retries,debug");
  const reset = json("config", "-m", "cli", "greeter", "--format", "json").settings;
  assert.deepEqual([reset.retries.value, reset.retries.source, reset.debug.value], [3, "default", undefined]);
});

test("integrate infers endpoints by interface; the provider's data makes the charm active; remove-relation blocks it again", () => {
  ok("deploy", "-m", "cli", "postgresql-k8s", "--channel", "14/stable", "--trust");
  ok("integrate", "-m", "cli", "greeter", "postgresql-k8s");
  let status = json("status", "-m", "cli", "--format", "json");
  assert.equal(status.applications.greeter["application-status"].current, "active");
  assert.equal(status.applications.greeter["application-status"].message, "hi");
  assert.deepEqual(status.applications.greeter.relations.database, [{ "related-application": "postgresql-k8s", interface: "postgresql_client", scope: "global" }]);
  assert.equal(status.applications["postgresql-k8s"]["charm-origin"], "charmhub");
  assert.equal(status.applications["postgresql-k8s"]["charm-channel"], "14/stable");
  ok("remove-relation", "-m", "cli", "greeter:database", "postgresql-k8s");
  status = json("status", "-m", "cli", "--format", "json");
  assert.equal(status.applications.greeter["application-status"].current, "blocked");
  assert.equal(status.applications.greeter.relations.database, undefined);
});

test("run returns the action's results, log and id; a failed action exits 1 with juju's task-failed text", () => {
  const done = json("run", "-m", "cli", "greeter/leader", "greet", "name=ada", "count=2", "--format", "json");
  const task = done["greeter/0"];
  assert.equal(task.status, "completed");
  assert.deepEqual(task.results, { message: "hi, ada", count: "2", "return-code": 0 });
  assert.match(task.log[0], /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+0000 UTC greeting ada$/);

  const failed = juju("run", "-m", "cli", "greeter/0", "explode", "--format", "json");
  assert.equal(failed.code, 1);
  const failedTask = JSON.parse(failed.stdout)["greeter/0"];
  assert.equal(failedTask.status, "failed");
  assert.deepEqual(failedTask.results, { "return-code": 3, stderr: "about to fail\n" });
  assert.match(failed.stderr, new RegExp(`ERROR the following task failed:\\n id "${failedTask.id}" with return code 3\\n`));
});

const errors: Array<[string, string[], number, string]> = [
  ["unknown application", ["config", "-m", "cli", "nope"], 1, 'ERROR application "nope" not found (not found)\n'],
  ["unknown unit", ["run", "-m", "cli", "greeter/9", "greet"], 1, 'ERROR unit "greeter/9" not found (not found)\n'],
  ["unknown action", ["run", "-m", "cli", "greeter/0", "dance"], 1, 'ERROR action "dance" not defined on unit "greeter/0"\n'],
  ["missing required param", ["run", "-m", "cli", "greeter/0", "greet"], 1, 'ERROR validation failed: (root) : "name" property is missing and required, given {}\n'],
  ["unknown model", ["status", "-m", "nowhere"], 1, "ERROR model sim:admin/nowhere not found\n"],
  ["unknown option", ["config", "-m", "cli", "greeter", "colour=red"], 1, 'ERROR unknown option "colour"\n'],
  ["ill-typed value", ["config", "-m", "cli", "greeter", "retries=many"], 1, 'ERROR option "retries" expected int, got "many"\n'],
  ["unknown flag", ["status", "-m", "cli", "--colour"], 2, "ERROR option provided but not defined: --colour\n"],
  ["unknown command", ["frobnicate"], 2, 'ERROR juju: "frobnicate" is not a juju command. See "juju --help".\n'],
  ["charm not found", ["deploy", "-m", "cli", "./missing.charm"], 1, 'ERROR no charm was found at "./missing.charm"\n'],
  ["existing application", ["deploy", "-m", "cli", "./greeter.charm"], 1, 'ERROR cannot add application "greeter": application already exists\n'],
  ["no matching endpoints", ["integrate", "-m", "cli", "greeter", "greeter"], 1, "ERROR no relations found\n"],
  ["relation not found", ["remove-relation", "-m", "cli", "greeter", "postgresql-k8s"], 1, 'ERROR relation "greeter postgresql-k8s" not found (not found)\n'],
  ["unknown secret", ["show-secret", "-m", "cli", "nothing"], 1, 'ERROR secret "nothing" not found\n'],
];

for (const [name, args, code, stderr] of errors) {
  test(`error: ${name}`, () => {
    const result = juju(...args);
    assert.deepEqual([result.code, result.stderr, result.stdout], [code, stderr, ""]);
  });
}

test("exec runs in the unit's hook context; debug-log shows the units' lines", () => {
  assert.equal(ok("exec", "-m", "cli", "--unit", "greeter/1", "--", "echo $JUJU_UNIT_NAME; config-get greeting"), "greeter/1\nhi\n");
  const log = ok("debug-log", "-m", "cli", "--include", "greeter/1", "--limit", "3").trimEnd().split("\n");
  assert.equal(log.length, 3);
  for (const line of log) assert.match(line, /^unit-greeter-1: \d\d:\d\d:\d\d (DEBUG|INFO|WARNING) unit\.greeter\/1\.juju-log /);
});

function accepts(port: number): boolean {
  const probe = `require("net").connect(${port}, "127.0.0.1").on("connect", () => process.exit(0)).on("error", () => process.exit(1))`;
  return spawnSync(process.execPath, ["-e", probe]).status === 0;
}

test("destroying the last model stops the controller and its PostgreSQL", () => {
  const pid = Number(readFileSync(join(home, "controller.pid"), "utf8"));
  assert.ok(alive(pid));
  // The PostgreSQL behind postgresql-k8s, found through the credentials it published in a secret.
  const secrets = json("secrets", "-m", "cli", "--format", "json") as Record<string, { owner: string }>;
  const ids = Object.entries(secrets).filter(([, s]) => s.owner === "postgresql-k8s").map(([id]) => id);
  const uris = ids.map((id) => json("show-secret", "-m", "cli", id, "--reveal", "--format", "json")[id].content.Data.uris).filter(Boolean);
  const port = Number(new URL(uris[0]).port);
  assert.ok(accepts(port), `PostgreSQL should listen on ${port}`);
  ok("destroy-model", "cli", "--no-prompt", "--destroy-storage", "--force");
  const deadline = Date.now() + 10_000;
  while (alive(pid) && Date.now() < deadline) spawnSync("sleep", ["0.1"]);
  assert.equal(alive(pid), false);
  assert.equal(existsSync(join(home, "controller.socket")), false);
  assert.equal(accepts(port), false, `PostgreSQL still listens on ${port}`);
  assert.deepEqual(json("models", "--format", "json").models, []);
});
