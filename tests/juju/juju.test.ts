import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, beforeEach, describe, it } from "node:test";
import { Juju } from "../../src/juju/juju.ts";
import { baseEnv } from "./env.ts";
import { FakeTools } from "./fakeTools.ts";

const fake = new FakeTools();
const charmDir = mkdtempSync(join(tmpdir(), "charm-"));
writeFileSync(join(charmDir, "metadata.yaml"), "name: flask-app\ncontainers: {flask-app: {}}\npeers: {secret-storage: {interface: secret-storage}}\n");
writeFileSync(join(charmDir, "config.yaml"), "options: {port: {type: int, default: 8000}}\n");
after(() => {
  fake.remove();
  rmSync(charmDir, { recursive: true, force: true });
});
beforeEach(() => fake.reset());

function load(env: Record<string, string> = {}): Promise<Juju> {
  return Juju.load(baseEnv({ JUJU_CHARM_DIR: charmDir, ...env }));
}

describe("Juju facade", () => {
  it("loads context, metadata and the event of the dispatch", async () => {
    const juju = await load({ JUJU_DISPATCH_PATH: "hooks/flask-app-pebble-ready", JUJU_HOOK_NAME: "flask-app-pebble-ready", JUJU_WORKLOAD_NAME: "flask-app" });
    assert.equal(juju.context.appName, "flask-app");
    assert.equal(juju.meta.config.port?.default, 8000);
    assert.deepEqual(juju.event.kind === "workload" && juju.event.container, "flask-app");
  });

  it("reads config, leadership, a secret and a network once however often asked", async () => {
    fake.respond("config-get", { stdout: "{\"port\":8000}\n" });
    fake.respond("is-leader", { stdout: "true\n" });
    fake.respond("secret-get", { stdout: "{\"value\":\"s-0123456789\"}\n" });
    fake.respond("network-get", { stdout: "{\"ingress-addresses\":[\"10.1.2.3\"]}\n" });
    const juju = await load();
    for (let i = 0; i < 3; i++) {
      assert.deepEqual(await juju.config(), { port: 8000 });
      assert.equal(await juju.isLeader(), true);
      assert.deepEqual(await juju.secret({ id: "secret:cq2ac5ie4h9b7gvs8i0g" }), { value: "s-0123456789" });
      assert.deepEqual((await juju.network("secret-storage")).ingressAddresses, ["10.1.2.3"]);
    }
    assert.deepEqual(fake.argv(), [
      ["config-get", "--format=json"],
      ["is-leader", "--format=json"],
      ["secret-get", "--format=json", "secret:cq2ac5ie4h9b7gvs8i0g"],
      ["network-get", "--format=json", "secret-storage"],
    ]);
  });

  it("relation access checks use the cached leadership", async () => {
    fake.respond("is-leader", { stdout: "false\n" });
    fake.respond("relation-get", { stdout: "{}\n" });
    const juju = await load();
    const peer = { endpoint: "secret-storage", id: 1 };
    await juju.relations.readOwn(peer, { app: true });
    await assert.rejects(juju.relations.write(peer, { a: "b" }, { app: true }), { name: "RelationDataAccessError" });
    await assert.rejects(juju.relations.write(peer, { a: "c" }, { app: true }), { name: "RelationDataAccessError" });
    assert.deepEqual(fake.argv(), [["relation-get", "--format=json", "-r", "1", "--app", "-", "flask-app"], ["is-leader", "--format=json"]]);
  });
});
