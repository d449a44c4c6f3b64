// npm run example: the README's main job, end to end on the simulator. Packs the charm, starts the
// simulated controller, (re)creates model `example`, deploys the charm with its app image and
// postgresql-k8s, integrates them, waits for active, prints `juju status` and the app's URL, and checks
// the app answers. Then `memory=512Mi` on the model's Kubernetes API: blocked until `juju trust`, after
// which the charm sets the StatefulSet's memory and the pod restarts with it.
// `npm run example -- --stop` tears everything down (controller, API server, containers, PostgreSQL).
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const jujuBin = join(root, "bin", "juju");
const MODEL = "example";
const APP = "example-app";
const ARCH = process.arch === "arm64" ? "arm64" : "amd64";
const WAIT_MS = 10 * 60_000;

function juju(...args: string[]): string {
  const result = spawnSync(jujuBin, args, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  if (result.status !== 0) throw new Error(`juju ${args.join(" ")} failed (exit ${result.status}):\n${result.stderr.trim()}`);
  return result.stdout;
}

function step(text: string): void {
  process.stdout.write(`==> ${text}\n`);
}

interface Status {
  applications: Record<string, { "application-status": { current: string; message?: string }; units?: Record<string, { "workload-status": { current: string; message?: string }; address: string }> }>;
}

/** Polls `juju status` until `done` holds for it, printing each new state; an application in error stops it. */
async function waitFor(what: string, done: (status: Status) => boolean): Promise<Status> {
  const deadline = Date.now() + WAIT_MS;
  let last = "";
  for (;;) {
    const status = JSON.parse(juju("status", "-m", MODEL, "--format", "json")) as Status;
    const states = Object.entries(status.applications).map(([name, app]) => `${name}: ${app["application-status"].current} ${app["application-status"].message ?? ""}`.trim());
    const errors = states.filter((s) => s.includes(": error"));
    if (errors.length > 0) throw new Error(`an application is in error:\n${errors.join("\n")}\nsee \`bin/juju debug-log -m ${MODEL}\``);
    if (done(status)) return status;
    if (states.join("; ") !== last) step(`waiting: ${(last = states.join("; "))}`);
    if (Date.now() > deadline) throw new Error(`not ${what} after ${WAIT_MS / 60_000} minutes: ${last}`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

const allActive = (status: Status) => Object.values(status.applications).every((app) => app["application-status"].current === "active");

async function main(): Promise<void> {
  if (process.argv.includes("--stop")) {
    step("stopping the simulated controller and everything it runs");
    juju("kill-controller", "--no-prompt");
    return;
  }
  step("packing the charm");
  const pack = spawnSync(process.execPath, [join(root, "scripts", "pack.ts"), "--out", join(root, "dist")], { cwd: root, stdio: "inherit" });
  if (pack.status !== 0) throw new Error("packing the charm failed (see above)");

  const models = JSON.parse(juju("models", "--format", "json")) as { models: Array<{ "short-name": string }> };
  if (models.models.some((m) => m["short-name"] === MODEL)) {
    step(`replacing model ${MODEL}`);
    juju("destroy-model", MODEL, "--no-prompt", "--destroy-storage", "--force");
  }
  step(`adding model ${MODEL} (starts the simulated controller)`);
  juju("add-model", MODEL);
  step(`deploying ${APP} (builds the app's rock from app/ on first use)`);
  juju("deploy", "-m", MODEL, join(root, "dist", `${APP}_${ARCH}.charm`), APP, "--resource", `app-image=${APP}`);
  step("deploying postgresql-k8s (a real local PostgreSQL) and integrating it");
  juju("deploy", "-m", MODEL, "postgresql-k8s", "--trust");
  juju("integrate", "-m", MODEL, APP, "postgresql-k8s");
  const status = await waitFor("active", allActive);

  process.stdout.write(`\n${juju("status", "-m", MODEL)}\n`);
  const address = status.applications[APP]?.units?.[`${APP}/0`]?.address;
  if (!address) throw new Error(`${APP}/0 has no address in juju status`);
  const url = `http://${address}:8080/`;
  const response = await fetch(url);
  if (response.status !== 200) throw new Error(`GET ${url} answered ${response.status}: ${await response.text()}`);
  process.stdout.write(`${APP} is active and answers at ${url}\n${await response.text()}\n`);

  step(`juju config ${APP} memory=512Mi: the charm must change its StatefulSet on the model's Kubernetes API`);
  juju("config", "-m", MODEL, APP, "memory=512Mi");
  const blocked = await waitFor("blocked", (s) => s.applications[APP]?.["application-status"].current === "blocked");
  step(`untrusted, as Juju deploys it: ${blocked.applications[APP]!["application-status"].message}`);
  step(`juju trust ${APP} --scope=cluster: the charm sets the memory, the pod restarts with it`);
  juju("trust", "-m", MODEL, APP, "--scope=cluster");
  await waitFor("active", allActive);
  // The pod as the unit itself reads it, with the service account Kubernetes mounts in its charm container.
  const pod = JSON.parse(juju("exec", "-m", MODEL, "--unit", `${APP}/0`, "--", [
    "d=/var/run/secrets/kubernetes.io/serviceaccount;",
    'curl -sf --cacert "$d/ca.crt" -H "Authorization: Bearer $(cat "$d/token")"',
    `"https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT/api/v1/namespaces/${MODEL}/pods/${APP}-0"`,
  ].join(" "))) as { spec: { containers: Array<{ name: string; resources?: { limits?: Record<string, string> } }> } };
  const limit = pod.spec.containers.find((c) => c.name === "app")?.resources?.limits?.memory;
  if (limit !== "512Mi") throw new Error(`pod ${APP}-0's app container has memory limit ${limit ?? "none"}, not 512Mi`);
  process.stdout.write(`${APP} is active again; pod ${APP}-0 was recreated with its app container limited to ${limit}\n`);
  process.stdout.write(`\nTry: bin/juju status, bin/juju config ${APP}, bin/juju run ${APP}/0 rotate-secret-key\nStop everything: npm run example -- --stop\n`);
}

main().catch((error: Error) => {
  process.stderr.write(`example failed: ${error.message}\n`);
  process.exit(1);
});
