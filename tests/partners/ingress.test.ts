// The ingress-proxy partner charm (tests/partners/ingress-proxy) through the simulator's `juju`: the URL it
// publishes for the example app (ingress v2, path routing), its proxy routing that path to the app's
// unit, unknown prefixes answered 404, and the route gone with the relation.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { charmPath } from "../support/paths.ts";
import { partnerModel, unitsOf, type Status } from "./support.ts";

const MODEL = "ig";
const { cli, ok, pack, settle, remoteAppData } = partnerModel(MODEL);
const APP = "example-app";
const PROXY = "ingress-proxy";
const published = () => remoteAppData(`${APP}/0`, "ingress");

const proxyAddress = (status: Status) => unitsOf(status, PROXY)[0]?.address;

before(() => {
  ok("add-model", MODEL);
  ok("deploy", pack("ingress-proxy"), "--resource", "proxy-image=localhost/test-ingress-proxy:0.1");
  ok("deploy", charmPath, APP, "--resource", "app-image=localhost/example-app:0.1");
  ok("integrate", `${APP}:ingress`, `${PROXY}:ingress`);
});

test("it publishes http://<its address>:8081/<model>-<app> and routes that path to the app's unit address and port", async () => {
  const status = await settle((s) => unitsOf(s, PROXY).some((u) => u["workload-status"].message === "routing 1 application") && published().ingress !== undefined);
  const url = `http://${proxyAddress(status)}:8081/${MODEL}-${APP}`;
  // Written as traefik's Python writes it (fixtures/ingress.json): json.dumps, ", " and ": " separators.
  assert.deepEqual(published(), { ingress: `{"url": "${url}"}` });
  // Without PostgreSQL the charm keeps the app stopped: the proxy says which backend it tried (the
  // integration suite has the app serving through it).
  const app = unitsOf(status, APP)[0]!;
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
  await settle((s) => unitsOf(s, PROXY).every((u) => u["workload-status"].message === "routing 0 applications"));
  const response = await fetch(`http://${proxyAddress(status)}:8081/${MODEL}-${APP}/`);
  assert.equal(response.status, 404);
});
