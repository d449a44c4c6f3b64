// The simulator's `juju` as a user runs it: a process per command against a controller it starts on
// demand, with juju 3.6's outputs, JSON shapes, error texts and exit codes.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { repoRoot } from "../support/paths.ts";
import { packGreeter } from "./cliCharm.ts";
import { jujuCli } from "../support/jujuCli.ts";

const dir = mkdtempSync(join(tmpdir(), "juju-cli-"));
const home = join(dir, "home");
const charm = packGreeter(dir);
after(() => {
  juju("kill-controller", "--no-prompt");
  rmSync(dir, { recursive: true, force: true });
});

const cli = jujuCli(home, dir);
const { run: juju, ok } = cli;
const json = (...args: string[]): any => JSON.parse(ok(...args));

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
  const deployed = juju("deploy", "--model", "cli", "./greeter.charm", "--config", "greeting=hi", "--num-units", "2");
  assert.deepEqual([deployed.code, deployed.stdout], [0, ""]);
  assert.equal(deployed.stderr, 'Located local charm "greeter", revision 0\nDeploying "greeter" from local charm "greeter", revision 0 on ubuntu@24.04/stable\n');
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
  const refused = juju("deploy", "-m", "cli", "postgresql-k8s", "--channel", "9/stable", "--trust");
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /^ERROR selecting releases: charm or bundle not found for channel "9\/stable", base "amd64\/ubuntu\/22\.04"\navailable releases are:\n  channel "\d+\/stable"/);
  const deployed = juju("deploy", "-m", "cli", "postgresql-k8s", "--trust");
  const channel = /in channel (\d+)\/stable on ubuntu@22\.04\/stable\n$/.exec(deployed.stderr);
  assert.ok(deployed.code === 0 && channel, deployed.stderr);
  ok("integrate", "-m", "cli", "greeter", "postgresql-k8s");
  let status = json("status", "-m", "cli", "--format", "json");
  assert.equal(status.applications.greeter["application-status"].current, "active");
  assert.equal(status.applications.greeter["application-status"].message, "hi");
  assert.deepEqual(status.applications.greeter.relations.database, [{ "related-application": "postgresql-k8s", interface: "postgresql_client", scope: "global" }]);
  assert.equal(status.applications["postgresql-k8s"]["charm-origin"], "charmhub");
  // The track is the PostgreSQL major version the provider really runs and publishes.
  assert.equal(status.applications["postgresql-k8s"]["charm-channel"], `${channel[1]}/stable`);
  assert.equal(status.applications["postgresql-k8s"].version.split(".")[0], channel[1]);
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

/** Status without what changes from one call to the next (`since`, the controller's timestamp). */
function stable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stable);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(Object.entries(value).filter(([key]) => key !== "since" && key !== "timestamp").map(([key, item]) => [key, stable(item)]));
}

test("status: the tabular default, --relations naming both endpoints as juju does, and YAML of the JSON's shape", () => {
  ok("integrate", "-m", "cli", "greeter:database", "postgresql-k8s:database");
  const plain = ok("status", "-m", "cli");
  assert.match(plain, /^Model +Controller +Cloud\/Region +Version +SLA +Timestamp\ncli +sim +microk8s\/localhost +3\.6\.8 +unsupported +\d\d:\d\d:\d\dZ\n/);
  assert.match(plain, /\nApp +Version +Status +Scale +Charm +Channel +Rev +Address +Exposed +Message\ngreeter +1\.2\.3 +active +2 +greeter +0 +\S+ +no +hi\n/);
  assert.match(plain, /\nUnit +Workload +Agent +Address +Ports +Message\ngreeter\/0\* +active +idle +/);
  assert.doesNotMatch(plain, /Integration provider/, "juju 3 lists integrations only with --relations");

  const lines = ok("status", "-m", "cli", "--relations").split("\n");
  const header = lines.findIndex((line) => line.startsWith("Integration provider"));
  assert.match(lines[header]!, /^Integration provider +Requirer +Interface +Type +Message$/);
  const rows = lines.slice(header + 1).filter(Boolean).map((line) => line.split(/ {2,}/));
  assert.deepEqual(rows.find((row) => row[0] === "postgresql-k8s:database"), ["postgresql-k8s:database", "greeter:database", "postgresql_client", "regular"]);
  assert.deepEqual(rows.find((row) => row[0] === "greeter:greeter-peers"), ["greeter:greeter-peers", "greeter:greeter-peers", "greeter_peers", "peer"]);
  assert.deepEqual(rows.map((row) => row[0]), rows.map((row) => row[0]).sort(), "rows sorted by provider");

  const asYaml = juju("status", "-m", "cli", "--format", "yaml", "--relations");
  assert.equal(asYaml.stderr, "provided relations option is always enabled in non tabular formats\n");
  assert.deepEqual(stable(parseYaml(asYaml.stdout)), stable(json("status", "-m", "cli", "--format", "json")));
});

test("show-unit lists the unit's relations with the data the other side wrote", () => {
  const shown = parseYaml(ok("show-unit", "-m", "cli", "greeter/0"))["greeter/0"];
  const database = shown["relation-info"].find((r: { endpoint: string }) => r.endpoint === "database");
  assert.equal(database["related-endpoint"], "database");
  assert.ok(database["application-data"]["secret-user"], "postgresql-k8s published its credentials secret");
  assert.equal(shown.leader, true);
  ok("remove-relation", "-m", "cli", "greeter", "postgresql-k8s");
});

test("deploy under another name; add-unit, remove-unit, trust and remove-application", () => {
  ok("deploy", "-m", "cli", "./greeter.charm", "second", "--config", "greeting=yo");
  ok("add-unit", "-m", "cli", "second", "--num-units", "2");
  let app = json("status", "-m", "cli", "--format", "json").applications.second;
  assert.equal(app["charm-name"], "greeter");
  assert.deepEqual(Object.keys(app.units), ["second/0", "second/1", "second/2"]);
  assert.deepEqual(juju("remove-unit", "-m", "cli", "second", "--num-units", "1"), { code: 0, stdout: "", stderr: "scaling down to 2 units\n" });
  app = json("status", "-m", "cli", "--format", "json").applications.second;
  assert.deepEqual(Object.keys(app.units), ["second/0", "second/1"]);
  // Kubernetes models scale down: juju refuses unit names there, before it asks the controller.
  assert.deepEqual(juju("remove-unit", "-m", "cli", "second/1"), { code: 2, stdout: "", stderr: 'ERROR application name "second/1" not valid\n' });
  assert.deepEqual(juju("remove-unit", "-m", "cli", "second"), { code: 2, stdout: "", stderr: "ERROR removing 0 units not valid\n" });
  const unconfirmed = juju("trust", "-m", "cli", "second");
  assert.equal(unconfirmed.code, 1);
  assert.match(unconfirmed.stderr, /^ERROR 'juju trust' currently grants full access to the cluster itself\.\nSet the scope to 'cluster' using '--scope=cluster' to confirm this choice\.\n$/);
  ok("trust", "-m", "cli", "second", "--scope=cluster");
  assert.equal(ok("exec", "-m", "cli", "--unit", "second/0", "--", "config-get greeting"), "yo\n");
  assert.equal(juju("remove-application", "-m", "cli", "second").stderr, "will remove application second\n- will remove unit second/0\n- will remove unit second/1\n");
  assert.equal(json("status", "-m", "cli", "--format", "json").applications.second, undefined);
});

test("run --wait gives juju's timeout error when the action outlasts it", () => {
  const late = juju("run", "-m", "cli", "greeter/0", "greet", "name=ada", "--wait", "1ms");
  assert.deepEqual([late.code, late.stderr], [1, "ERROR timed out waiting for results from: unit greeter/0\n"]);
  assert.equal(json("run", "-m", "cli", "greeter/0", "greet", "name=bob", "--wait", "2m", "--format", "json")["greeter/0"].status, "completed");
});

test("add-secret prints the secret's URI; grant-secret lets the application read it", () => {
  const uri = ok("add-secret", "-m", "cli", "my-key", "value=s3cret", "--info", "the app's key").trim();
  assert.match(uri, /^secret:[0-9a-v]{20}$/);
  const id = uri.slice("secret:".length);
  const listed = json("secrets", "-m", "cli", "--format", "json")[id];
  assert.equal(listed.owner, "<model>");
  assert.equal(listed.name, "my-key");
  assert.equal(listed.content, undefined, "secrets never shows content");
  assert.deepEqual(json("show-secret", "-m", "cli", "my-key", "--reveal", "--format", "json")[id].content.Data, { value: "s3cret" });
  const denied = juju("exec", "-m", "cli", "--unit", "greeter/0", "--", `secret-get ${uri}`);
  assert.notEqual(denied.code, 0);
  ok("grant-secret", "-m", "cli", "my-key", "greeter");
  assert.equal(ok("exec", "-m", "cli", "--unit", "greeter/0", "--", `secret-get ${uri} value`), "s3cret\n");
});

test("version prints juju's version string, also as JSON", () => {
  const arch = process.arch === "arm64" ? "arm64" : "amd64";
  assert.equal(ok("version"), `3.6.8-genericlinux-${arch}\n`);
  assert.equal(json("version", "--format", "json"), `3.6.8-genericlinux-${arch}`);
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
  for (const line of log) assert.match(line, /^unit-greeter-1: \d\d:\d\d:\d\d (DEBUG|INFO|WARNING) (unit\.greeter\/1\.juju-log|juju\.worker\.uniter\.operation) /);
  assert.match(ok("debug-log", "-m", "cli", "--include", "greeter/1"), /^unit-greeter-1: \d\d:\d\d:\d\d INFO juju\.worker\.uniter\.operation ran "start" hook \(via hook dispatching script: dispatch\)$/m);
});

test("refresh --path adds the next local revision and runs upgrade-charm on every unit; juju's refusals", () => {
  const before = json("status", "-m", "cli", "--format", "json").applications.greeter["charm-rev"] as number;
  const refreshed = juju("refresh", "-m", "cli", "greeter", "--path", "./greeter.charm");
  assert.deepEqual([refreshed.code, refreshed.stdout], [0, ""]);
  // Local revisions count uploads of the charm's name in the model (the `second` deploy was one too).
  const revision = Number(/^Added local charm "greeter", revision (\d+), to the model\n$/.exec(refreshed.stderr)?.[1]);
  assert.ok(revision > before, refreshed.stderr);
  const app = json("status", "-m", "cli", "--format", "json").applications.greeter;
  assert.deepEqual([app.charm, app["charm-rev"]], [`local:greeter-${revision}`, revision]);
  for (const unit of ["greeter/0", "greeter/1"]) {
    const log = ok("debug-log", "-m", "cli", "--include", unit, "--limit", "8");
    assert.match(log, /event=upgrade-charm/, `${unit} saw upgrade-charm`);
  }
  assert.deepEqual(juju("refresh", "-m", "cli", "greeter"), { code: 1, stdout: "", stderr: "ERROR upgrading a local charm requires either --path or --switch\n" });
  assert.deepEqual(juju("refresh", "-m", "cli"), { code: 2, stdout: "", stderr: "ERROR no application specified\n" });
  assert.deepEqual(juju("refresh", "-m", "cli", "greeter", "--path", "./greeter.charm", "--revision", "3"), { code: 2, stdout: "", stderr: "ERROR --path and --revision are mutually exclusive\n" });
  assert.deepEqual(juju("refresh", "-m", "cli", "greeter", "--resource", "nope=x"), { code: 1, stdout: "", stderr: 'ERROR unrecognized resource "nope"\n' });
});

test("update-secret adds a revision when the content changes; remove-secret drops a revision, then the secret", () => {
  ok("add-secret", "-m", "cli", "rotating", "value=one");
  ok("update-secret", "-m", "cli", "rotating", "value=two", "--info", "second");
  const updated = Object.values(json("show-secret", "-m", "cli", "rotating", "--reveal", "--format", "json"))[0] as { revision: number; description: string; content: { Data: unknown } };
  assert.deepEqual([updated.revision, updated.description, updated.content.Data], [2, "second", { value: "two" }]);
  ok("update-secret", "-m", "cli", "rotating", "value=two");
  assert.equal((Object.values(json("show-secret", "-m", "cli", "rotating", "--format", "json"))[0] as { revision: number }).revision, 2, "unchanged content is no new revision");
  ok("remove-secret", "-m", "cli", "rotating", "--revision", "2");
  assert.deepEqual((Object.values(json("show-secret", "-m", "cli", "rotating", "--reveal", "--format", "json"))[0] as { content: { Data: unknown } }).content.Data, { value: "one" });
  ok("remove-secret", "-m", "cli", "rotating");
  assert.deepEqual(juju("show-secret", "-m", "cli", "rotating"), { code: 1, stdout: "", stderr: 'ERROR secret "rotating" not found\n' });
});

test("scp copies a file into the unit and back out", () => {
  writeFileSync(join(dir, "note.txt"), "from the host\n");
  assert.deepEqual(juju("scp", "-m", "cli", "--", "./note.txt", "greeter/0:note.txt"), { code: 0, stdout: "", stderr: "" });
  assert.equal(ok("exec", "-m", "cli", "--unit", "greeter/0", "--", "cat note.txt"), "from the host\n");
  ok("exec", "-m", "cli", "--unit", "greeter/0", "--", "echo from the unit > reply.txt");
  ok("scp", "-m", "cli", "greeter/0:reply.txt", dir);
  assert.equal(readFileSync(join(dir, "reply.txt"), "utf8"), "from the unit\n");
  assert.equal(juju("scp", "-m", "cli", "greeter/0:missing.txt", dir).stderr, "ERROR scp: missing.txt: No such file or directory\n");
});

test("show-task shows an action's and an exec's task; an unknown id is an error", () => {
  const ran = json("run", "-m", "cli", "greeter/0", "greet", "name=eve", "--format", "json")["greeter/0"];
  assert.deepEqual(json("show-task", "-m", "cli", ran.id, "--format", "json"), ran);
  const plain = juju("show-task", "-m", "cli", ran.id);
  assert.deepEqual([plain.code, plain.stdout], [0, "count: \"1\"\nmessage: hi, eve\n"]);
  const exec = json("exec", "-m", "cli", "--unit", "greeter/1", "--format", "json", "--", "echo hi")["greeter/1"];
  assert.deepEqual(json("show-task", "-m", "cli", exec.id, "--format", "json").results, { "return-code": 0, stdout: "hi\n" });
  assert.deepEqual(juju("show-task", "-m", "cli", "9999"), { code: 1, stdout: "", stderr: "ERROR task 9999 not found\n" });
});

test("show-application, scale-application, expose and resources", () => {
  const shown = parseYaml(ok("show-application", "-m", "cli", "greeter")).greeter;
  assert.deepEqual([shown.charm, shown.base, shown.exposed, shown.life], ["greeter", "ubuntu@24.04", false, "alive"]);
  assert.deepEqual(juju("scale-application", "-m", "cli", "greeter", "3"), { code: 0, stdout: "", stderr: "greeter scaled to 3 units\n" });
  assert.deepEqual(Object.keys(json("status", "-m", "cli", "--format", "json").applications.greeter.units), ["greeter/0", "greeter/1", "greeter/2"]);
  ok("scale-application", "-m", "cli", "greeter", "2");
  assert.deepEqual(Object.keys(json("status", "-m", "cli", "--format", "json").applications.greeter.units), ["greeter/0", "greeter/1"]);
  assert.deepEqual(juju("scale-application", "-m", "cli", "greeter", "--", "-1"), { code: 2, stdout: "", stderr: "ERROR scale must be a positive integer\n" });
  ok("expose", "-m", "cli", "greeter");
  assert.equal(json("status", "-m", "cli", "--format", "json").applications.greeter.exposed, true);
  ok("unexpose", "-m", "cli", "greeter");
  assert.equal(json("status", "-m", "cli", "--format", "json").applications.greeter.exposed, false);
  assert.deepEqual(juju("resources", "-m", "cli", "greeter"), { code: 0, stdout: "", stderr: "No resources to display.\n" });
});

test("wait-for application and unit: the query's identifiers as a summary, juju's timeout error", () => {
  const app = juju("wait-for", "-m", "cli", "application", "greeter", "--query", 'status=="blocked" || status=="active"', "--timeout", "30s");
  assert.equal(app.code, 0, app.stderr);
  assert.equal(app.stderr, 'Application "greeter" is running\n');
  assert.deepEqual(parseYaml(app.stdout), { properties: { status: "blocked" } });
  const unit = juju("wait-for", "-m", "cli", "unit", "greeter/1", "--query", 'life=="alive" && workload-status=="blocked"');
  assert.deepEqual(parseYaml(unit.stdout), { properties: { life: "alive", "workload-status": "blocked" } });
  assert.deepEqual(juju("wait-for", "-m", "cli", "application", "greeter", "--timeout", "2s"), { code: 1, stdout: "", stderr: 'ERROR timed out waiting for "greeter" to reach goal state\n' });
  assert.equal(juju("wait-for", "-m", "cli", "unit", "greeter/0", "--query", "len(machines) == 1").code, 2);
});

test("every command answers --help; offer is refused by name; debug-log into a closed pipe exits quietly", () => {
  const commands = ok("--help").split("\n").filter((line) => line.startsWith("  ")).map((line) => line.trim());
  assert.ok(commands.includes("refresh") && commands.includes("wait-for"));
  for (const command of commands) {
    const help = juju(command, "--help");
    assert.equal(help.code, 0, `${command} --help: ${help.stderr}`);
    assert.match(help.stdout, new RegExp(`^Usage: juju ${command} \\[options\\]`));
  }
  assert.deepEqual(juju("offer", "-m", "cli", "greeter:database"), { code: 1, stdout: "", stderr: "ERROR juju offer is not supported by the simulator: the simulator runs one controller and no cross-model relations\n" });
  // `true` exits before juju writes: every write meets a closed pipe, as with `| head` on a long log.
  const piped = spawnSync("sh", ["-c", `"${join(repoRoot, "bin", "juju")}" debug-log -m cli | true`], { cwd: dir, env: { ...process.env, JUJU_SIM_HOME: home }, encoding: "utf8" });
  assert.deepEqual([piped.status, piped.stderr], [0, ""]);
});

test("the simulator's state holds secrets: its directories are 0700, its model files 0600", () => {
  assert.equal(statSync(home).mode & 0o777, 0o700);
  assert.equal(statSync(join(home, "models")).mode & 0o777, 0o700);
  assert.equal(statSync(join(home, "models", "cli")).mode & 0o777, 0o700);
  assert.equal(statSync(join(home, "models", "cli", "sim", "model.json")).mode & 0o777, 0o600);
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
