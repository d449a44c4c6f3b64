import assert from "node:assert/strict";
import { after, beforeEach, describe, it } from "node:test";
import { readJujuContext } from "../../src/juju/context.ts";
import { RelationNotFoundError } from "../../src/juju/errors.ts";
import { parseMetadata } from "../../src/juju/metadata.ts";
import {
  relationGet, relationIds, relationList, relationRemoteApp, Relations, relationSet, type Relation,
} from "../../src/juju/relation.ts";
import { baseEnv } from "./env.ts";
import { FakeTools, jujuError } from "./fakeTools.ts";

const fake = new FakeTools();
after(() => fake.remove());
beforeEach(() => fake.reset());

const endpoints = parseMetadata({
  name: "flask-app",
  peers: { "secret-storage": { interface: "secret-storage" } },
  requires: { postgresql: { interface: "postgresql_client" } },
}).relations;
const pg: Relation = { endpoint: "postgresql", id: 3 };
const peer: Relation = { endpoint: "secret-storage", id: 1 };

function relations(leader: boolean, env: Record<string, string> = {}): Relations {
  return new Relations(readJujuContext(baseEnv(env)), endpoints, async () => leader);
}

describe("relation hook tools", () => {
  it("relation-ids parses the ids after the last ':'", async () => {
    fake.respond("relation-ids", { stdout: "[\"postgresql:3\",\"postgresql:7\"]\n" });
    assert.deepEqual(await relationIds("postgresql"), [3, 7]);
    assert.deepEqual(fake.argv(), [["relation-ids", "--format=json", "postgresql"]]);
  });

  it("relation-list and relation-list --app", async () => {
    fake.respond("relation-list",
      { args: ["--format=json", "-r", "3"], stdout: "[\"postgresql/0\",\"postgresql/1\"]\n" },
      { args: ["--format=json", "-r", "3", "--app"], stdout: "\"postgresql\"\n" });
    assert.deepEqual(await relationList(3), ["postgresql/0", "postgresql/1"]);
    assert.equal(await relationRemoteApp(3), "postgresql");
  });

  it("relation-get always names the relation and the target", async () => {
    fake.respond("relation-get", { stdout: "{\"endpoints\":\"pg:5432\"}\n" });
    await relationGet(3, "postgresql/0", { app: false });
    await relationGet(3, "postgresql", { app: true });
    assert.deepEqual(fake.argv(), [
      ["relation-get", "--format=json", "-r", "3", "-", "postgresql/0"],
      ["relation-get", "--format=json", "-r", "3", "--app", "-", "postgresql"],
    ]);
  });

  it("relation-set sends the data on stdin with --file -", async () => {
    fake.respond("relation-set", {});
    await relationSet(3, { database: "flask-app", "old-key": "" }, { app: true });
    const [call] = fake.calls();
    assert.deepEqual([call?.tool, ...call!.args], ["relation-set", "-r", "3", "--app", "--file", "-"]);
    assert.deepEqual(JSON.parse(call!.stdin), { database: "flask-app", "old-key": "" });
  });

  it("a 200 KiB value is set and read back through stdin, never argv", async () => {
    const big = "x".repeat(200 * 1024);
    fake.respond("relation-set", { storeStdin: "bag" });
    fake.respond("relation-get", { stdoutFromStore: "bag" });
    await relationSet(3, { blob: big }, { app: false });
    assert.deepEqual(await relationGet(3, "flask-app/2", { app: false }), { blob: big });
    for (const call of fake.calls()) {
      assert.ok(call.args.every((arg) => arg.length < 100), `${call.tool} argv stays small`);
      assert.ok(call.cmdline.every((arg) => !arg.includes("xxxxxxxx")));
    }
  });

  it("an unknown relation id is a RelationNotFoundError", async () => {
    fake.respond("relation-get", jujuError("invalid value \"9\" for option -r: relation not found", 2));
    await assert.rejects(relationGet(9, "postgresql/0", { app: false }), RelationNotFoundError);
  });
});

describe("Relations (per-dispatch cache)", () => {
  it("reads each databag, relation list and id list once", async () => {
    fake.respond("relation-get", { stdout: "{\"endpoints\":\"pg:5432\",\"password\":\"pw\"}\n" });
    fake.respond("relation-ids", { stdout: "[\"postgresql:3\"]\n" });
    fake.respond("relation-list", { stdout: "[\"postgresql/0\"]\n" });
    const view = relations(false);
    assert.deepEqual(await view.list("postgresql"), [pg]);
    assert.deepEqual(await view.list("postgresql"), [pg]);
    assert.deepEqual(await view.units(pg), ["postgresql/0"]);
    assert.deepEqual(await view.units(pg), ["postgresql/0"]);
    const [first, second] = await Promise.all([view.read(pg, "postgresql"), view.read(pg, "postgresql")]);
    assert.deepEqual(first, { endpoints: "pg:5432", password: "pw" });
    assert.equal(second, first);
    await view.read(pg, "postgresql");
    assert.deepEqual(fake.argv(), [
      ["relation-ids", "--format=json", "postgresql"],
      ["relation-list", "--format=json", "-r", "3"],
      ["relation-get", "--format=json", "-r", "3", "--app", "-", "postgresql"],
    ]);
  });

  it("keeps the departing remote unit readable in -departed", async () => {
    fake.respond("relation-list", { stdout: "[]\n" });
    const view = relations(false, {
      JUJU_DISPATCH_PATH: "hooks/postgresql-relation-departed", JUJU_RELATION: "postgresql", JUJU_RELATION_ID: "postgresql:3",
      JUJU_REMOTE_APP: "postgresql", JUJU_REMOTE_UNIT: "postgresql/0", JUJU_DEPARTING_UNIT: "postgresql/0",
    });
    assert.deepEqual(await view.units(pg), ["postgresql/0"]);
  });

  it("takes the event relation's remote app from the environment, others from relation-list --app", async () => {
    fake.respond("relation-list", { args: ["--format=json", "-r", "4", "--app"], stdout: "\"redis\"\n" });
    fake.respond("relation-list", jujuError("invalid value \"5\" for option -r: relation not found", 2));
    const view = relations(false, { JUJU_RELATION: "postgresql", JUJU_RELATION_ID: "postgresql:3", JUJU_REMOTE_APP: "postgresql" });
    assert.equal(await view.remoteApp(pg), "postgresql");
    assert.equal(await view.remoteApp({ endpoint: "postgresql", id: 4 }), "redis");
    assert.equal(await view.remoteApp({ endpoint: "postgresql", id: 5 }), undefined);
    assert.equal(fake.calls().length, 2);
  });

  it("writes only changed keys, updates the cached bag, and skips a write that changes nothing", async () => {
    fake.respond("relation-get", { stdout: "{\"database\":\"flask-app\",\"stale\":\"1\"}\n" });
    fake.respond("relation-set", {});
    const view = relations(true);
    await view.readOwn(pg, { app: true });
    await view.write(pg, { database: "flask-app", stale: "", extra: "y", absent: "" }, { app: true });
    assert.deepEqual(await view.readOwn(pg, { app: true }), { database: "flask-app", extra: "y" });
    await view.write(pg, { database: "flask-app", stale: "" }, { app: true });
    const calls = fake.calls();
    assert.deepEqual(calls.map((call) => [call.tool, ...call.args]), [
      ["relation-get", "--format=json", "-r", "3", "--app", "-", "flask-app"],
      ["relation-set", "-r", "3", "--app", "--file", "-"],
    ]);
    assert.deepEqual(JSON.parse(calls[1]!.stdin), { stale: "", extra: "y" });
  });

  it("writes without reading first when the bag was not read", async () => {
    fake.respond("relation-set", {});
    await relations(false).write(pg, { "requested-secrets": "[\"username\"]" }, { app: false });
    assert.deepEqual(fake.argv(), [["relation-set", "-r", "3", "--file", "-"]]);
  });

  it("a non-leader may not write its app databag, nor read it outside peer relations", async () => {
    const view = relations(false);
    await assert.rejects(view.write(pg, { a: "b" }, { app: true }), {
      name: "RelationDataAccessError",
      message: "flask-app/2 is not the leader, so it cannot write the application databag on relation postgresql:3",
    });
    await assert.rejects(view.readOwn(pg, { app: true }), {
      name: "RelationDataAccessError",
      message: /flask-app\/2 is not the leader, so it cannot read its own application databag on relation postgresql:3/,
    });
    assert.deepEqual(fake.calls(), []);
    fake.respond("relation-get", { stdout: "{\"secret-id\":\"secret:abc\"}\n" });
    assert.deepEqual(await view.readOwn(peer, { app: true }), { "secret-id": "secret:abc" });
  });

  it("refuses an endpoint the charm does not declare", async () => {
    await assert.rejects(relations(true).list("mysql"), { message: "the charm declares no relation endpoint \"mysql\" in metadata.yaml" });
  });
});
