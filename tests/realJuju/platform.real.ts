// The real Juju platform end to end (npm run test:real; kept out of npm test's tests/**/*.test.ts glob):
// `real-juju up` builds what is missing and bootstraps a Juju 4.1 controller on a single-node Kubernetes;
// the packed example charm deployed with the example rock's image goes Blocked without PostgreSQL, names an
// invalid option, and its workload's Pebble plan has the app's service; `real-juju down` leaves no process,
// bridge, iptables chain or mount behind. A missing prerequisite fails `up`, and so this test, naming it.
import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { promisify } from "node:util";
import { jujuEnv } from "../../scripts/realJuju/bootstrap.ts";
import { runIntegrationSuite, SUITE_TIMEOUT_MS } from "../support/integrationSuite.ts";
import { repoRoot, stateDir } from "../../scripts/realJuju/layout.ts";

const exec = promisify(execFile);
const main = join(repoRoot, "scripts", "realJuju", "main.ts");
const charm = join(repoRoot, "dist", "example-app_amd64.charm");
const MODEL = "platform";
const APP = "example-app";
const env = { ...process.env, ...jujuEnv() };
const timings: Record<string, number> = {};

/** Runs a real-juju command with its output shown; rejects with that output's tail. */
function realJuju(command: string): Promise<void> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [main, command], { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    const show = (chunk: Buffer) => {
      output += chunk.toString("utf8");
      process.stderr.write(chunk);
    };
    child.stdout.on("data", show);
    child.stderr.on("data", show);
    child.on("close", (code) => {
      timings[command] = (Date.now() - started) / 1000;
      if (code === 0) resolve();
      else reject(new Error(`real-juju ${command} failed:\n${output.trim().split("\n").slice(-15).join("\n")}`));
    });
  });
}

async function juju(...args: string[]): Promise<string> {
  const { stdout } = await exec(env.JUJU_CLI!, args, { env, maxBuffer: 16 * 1024 * 1024, timeout: 300_000 });
  return stdout;
}

async function appStatus(): Promise<{ status: string; message: string }> {
  const status = JSON.parse(await juju("status", "-m", MODEL, "--format", "json")) as {
    applications?: Record<string, { units?: Record<string, { "workload-status"?: { current?: string; message?: string } }> }>;
  };
  const unit = Object.values(status.applications?.[APP]?.units ?? {})[0]?.["workload-status"];
  return { status: unit?.current ?? "", message: unit?.message ?? "" };
}

async function waitForStatus(expected: { status: string; message: string }, timeoutMs: number): Promise<number> {
  const started = Date.now();
  let last = { status: "", message: "" };
  while (Date.now() - started < timeoutMs) {
    last = await appStatus().catch(() => last);
    if (last.status === expected.status && last.message === expected.message) return (Date.now() - started) / 1000;
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
  assert.deepEqual(last, expected, `${APP}'s unit did not reach ${JSON.stringify(expected)} within ${timeoutMs / 1000} s`);
  return timeoutMs / 1000;
}

before(async () => {
  if (!existsSync(charm)) await exec(process.execPath, [join(repoRoot, "scripts", "pack.ts"), "--out", join(repoRoot, "dist")], { cwd: repoRoot });
  await realJuju("up");
});

after(async () => {
  console.error(`real-juju timings (s): ${JSON.stringify(timings)}`);
});

test("the example charm on the real controller: Blocked without PostgreSQL, an invalid option named, the app's Pebble service", async () => {
  const started = Date.now();
  await juju("add-model", MODEL);
  await juju("deploy", "-m", MODEL, charm, APP, "--resource", `app-image=localhost/${APP}:0.1`);
  timings["deploy→blocked"] = await waitForStatus({ status: "blocked", message: "missing integrations: postgresql" }, 600_000);

  await juju("config", "-m", MODEL, APP, "metrics-port=-1");
  timings["config→blocked"] = await waitForStatus({ status: "blocked", message: "invalid options: metrics-port" }, 300_000);
  await juju("config", "-m", MODEL, APP, "--reset", "metrics-port");

  const plan = await juju("ssh", "-m", MODEL, "--container", "app", `${APP}/0`, "/charm/bin/pebble", "plan");
  assert.match(plan, /^services:\n {4}expressjs:\n/m, `the workload's Pebble plan has no expressjs service:\n${plan}`);
  assert.match(plan, /command: npm start/, plan);
  timings["deploy→plan"] = (Date.now() - started) / 1000;
  await juju("destroy-model", MODEL, "--no-prompt", "--force", "--no-wait", "--destroy-storage");
});

test("tests/integration passes against the real controller", { timeout: SUITE_TIMEOUT_MS }, (t) => {
  runIntegrationSuite(t, jujuEnv());
});

test("down stops every process and removes the bridge, the cluster's iptables chains and its mounts", async () => {
  await realJuju("down");
  const { stdout: processes } = await exec("ps", ["-eo", "args"]);
  const ours = processes.split("\n").filter((line) => line.includes(stateDir) || line.includes("real-juju/kubernetes-") || line.includes("/opt/jujuagentd"));
  assert.deepEqual(ours, [], "processes of the platform still run");
  assert.equal(existsSync("/sys/class/net/rjbr0"), false, "the bridge rjbr0 is still there");
  const { stdout: rules } = await exec("iptables-save");
  assert.deepEqual(rules.split("\n").filter((line) => /\b(KUBE|CNI|REAL-JUJU)-/.test(line)), [], "cluster iptables rules are left");
});
