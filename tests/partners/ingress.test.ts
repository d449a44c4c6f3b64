// The ingress-proxy partner charm (tests/partners/ingress-proxy) through the simulator's `juju`: the URL it
// publishes for the example app (ingress v2, path routing), its proxy routing that path to the app's
// unit, unknown prefixes answered 404, and the route gone with the relation.
import { test, after, before } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { jujuCli } from "../support/jujuCli.ts";
import { charmPath, repoRoot } from "../support/paths.ts";

// Short: a Pebble socket's path, under the simulator's home, must stay within the 108 bytes a Unix socket allows.
const MODEL = "ig";
const dir = mkdtempSync(join(tmpdir(), "ig-"));
const cli = jujuCli(join(dir, "home"), dir, { JUJU_MODEL: MODEL });
const { ok } = cli;
after(() => {
  cli.kill();
  rmSync(dir, { recursive: true, force: true });
});

const APP = "example-app";
const PROXY = "ingress-proxy";

interface Status { applications: Record<string, { units?: Record<string, { "workload-status": { current: string; message?: string }; address?: string }> }> }

async function settle(done: (status: Status) => boolean | Promise<boolean>): Promise<Status> {
  let status: Status = { applications: {} };
  for (const deadline = Date.now() + 240_000; Date.now() < deadline;) {
    status = cli.status(MODEL) as Status;
    if (await done(status)) return status;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  assert.fail(`the model did not settle: ${JSON.stringify(status)}`);
}

/** The ingress app databag the example app's unit sees. */
function published(): Record<string, string> {
  const info = JSON.parse(ok("show-unit", `${APP}/0`, "--format", "json"))[`${APP}/0`] as { "relation-info": Array<{ endpoint: string; "application-data": Record<string, string> }> };
  return info["relation-info"].find((r) => r.endpoint === "ingress")?.["application-data"] ?? {};
}

const proxyAddress = (status: Status) => Object.values(status.applications[PROXY]?.units ?? {})[0]?.address;

before(() => {
  ok("add-model", MODEL);
  const charm = join(dir, "ingress-proxy.charm");
  const partners = join(repoRoot, "tests", "partners");
  execFileSync(join(repoRoot, ".cache", "venv", "bin", "python"), [join(partners, "pack.py"), join(partners, "ingress-proxy", "charm"), charm, join(partners, "lib")], { stdio: ["ignore", "ignore", "inherit"] });
  ok("deploy", charm, "--resource", "proxy-image=localhost/test-ingress-proxy:0.1");
  ok("deploy", charmPath, APP, "--resource", "app-image=localhost/example-app:0.1");
  ok("integrate", `${APP}:ingress`, `${PROXY}:ingress`);
});

test("it publishes http://<its address>:8081/<model>-<app> and routes that path to the app's unit address and port", async () => {
  const status = await settle((s) => Object.values(s.applications[PROXY]?.units ?? {}).some((u) => u["workload-status"].message === "routing 1 application") && published().ingress !== undefined);
  const url = `http://${proxyAddress(status)}:8081/${MODEL}-${APP}`;
  // Written as traefik's Python writes it (fixtures/ingress.json): json.dumps, ", " and ": " separators.
  assert.deepEqual(published(), { ingress: `{"url": "${url}"}` });
  // Without PostgreSQL the charm keeps the app stopped: the proxy says which backend it tried (the
  // integration suite has the app serving through it).
  const app = Object.values(status.applications[APP]?.units ?? {})[0]!;
  const response = await fetch(`${url}/`);
  assert.equal(response.status, 502);
  assert.match(await response.text(), new RegExp(`^backend ${app.address!.replaceAll(".", "\\.")}:8080 failed: `));
});

test("a path no application is routed under is answered 404, naming it", async () => {
  const status = cli.status(MODEL) as Status;
  const response = await fetch(`http://${proxyAddress(status)}:8081/elsewhere/`);
  assert.equal(response.status, 404);
  assert.equal(await response.text(), "no route for /elsewhere\n");
});

test("removing the relation takes the route away", async () => {
  const status = cli.status(MODEL) as Status;
  ok("remove-relation", `${APP}:ingress`, `${PROXY}:ingress`);
  await settle((s) => Object.values(s.applications[PROXY]?.units ?? {}).every((u) => u["workload-status"].message === "routing 0 applications"));
  const response = await fetch(`http://${proxyAddress(status)}:8081/${MODEL}-${APP}/`);
  assert.equal(response.status, 404);
});
