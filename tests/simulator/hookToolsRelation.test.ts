// relation-* hook tools against Juju's answers (docs/juju-contract.md §2.2 and §3, docs/hook-tools.md), run as real processes.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { commitHook } from "../../simulator/hookTools/pending.ts";
import { updateModel } from "../../simulator/model.ts";
import { Sim } from "./hookToolsFixture.ts";

describe("relation hook tools", () => {
  let sim: Sim;
  before(() => {
    sim = new Sim();
  });
  after(() => sim.cleanup());

  it("relation-ids lists `endpoint:id` for the endpoint; unknown endpoints give []", () => {
    assert.deepEqual(sim.json("relation-ids", ["database"]), [`database:${sim.dbRelation}`]);
    assert.deepEqual(sim.json("relation-ids", ["ingress"]), []);
    assert.deepEqual(sim.call("relation-ids", []), { stdout: "", stderr: "ERROR no endpoint name specified\n", code: 2 });
  });

  it("a broken relation is listed by relation-ids in its own -broken hook only, as Juju keeps it in the hook's context", () => {
    updateModel(sim.modelPath, (model) => { model.relations[String(sim.dbRelation)]!.broken = true; });
    try {
      const relation = { id: sim.dbRelation, endpoint: "database" };
      assert.deepEqual(sim.json("relation-ids", ["database"], { relation, remoteUnit: "", remoteApp: "db" }), [`database:${sim.dbRelation}`]);
      assert.deepEqual(sim.json("relation-ids", ["database"]), []);
    } finally {
      updateModel(sim.modelPath, (model) => { model.relations[String(sim.dbRelation)]!.broken = false; });
    }
  });

  it("relation-list gives remote units in scope, --app the remote app; peers list the other units", () => {
    assert.deepEqual(sim.json("relation-list", ["-r", `database:${sim.dbRelation}`]), ["db/0"]);
    assert.equal(sim.json("relation-list", ["-r", String(sim.dbRelation), "--app"]), "db");
    assert.deepEqual(sim.json("relation-list", ["-r", String(sim.peerRelation)]), ["web/1"]);
  });

  it("relation tools fail like Juju without a relation or with an unknown one", () => {
    const cases: [string, string[], string][] = [
      ["relation-list", [], "ERROR no relation id specified\n"],
      ["relation-get", ["-", "db/0"], "ERROR no relation id specified\n"],
      ["relation-set", ["a=b"], "ERROR no relation id specified\n"],
      ["relation-list", ["-r", "foo:12"], 'ERROR invalid value "foo:12" for option -r: relation not found\n'],
      ["relation-get", ["-r", "x", "-", "db/0"], 'ERROR invalid value "x" for option -r: invalid relation id\n'],
      ["relation-get", ["-r", String(0), "-"], "ERROR no unit or application specified\n"],
      ["relation-get", ["-r", "0", "-", "db"], 'ERROR expected unit name, got application name "db"\n'],
      ["relation-get", ["-r", "0", "-", "Not_A_Unit"], 'ERROR invalid unit name "Not_A_Unit"\n'],
      ["relation-list", ["-r", "0", "--bogus"], "ERROR option provided but not defined: --bogus\n"],
    ];
    for (const [tool, args, stderr] of cases) assert.deepEqual(sim.call(tool, args), { stdout: "", stderr, code: 2 }, `${tool} ${args.join(" ")}`);
  });

  it("relation-get reads unit bags with Juju's default keys and defaults to the remote unit", () => {
    const address = sim.model().units["db/0"]?.address;
    const relation = { id: sim.dbRelation, endpoint: "database" };
    assert.deepEqual(sim.json("relation-get", ["-"], { relation, remoteUnit: "db/0", remoteApp: "db" }), {
      "egress-subnets": `${address}/32`,
      "ingress-address": address,
      "private-address": address,
    });
    assert.equal(sim.json("relation-get", ["private-address"], { relation, remoteUnit: "db/0", remoteApp: "db" }), address);
    assert.equal(sim.json("relation-get", ["missing"], { relation, remoteUnit: "db/0", remoteApp: "db" }), null);
  });

  it("relation-get without a remote unit but with a remote app reads the app bag", () => {
    const ctx = sim.newContext("db/0");
    assert.equal(sim.call("relation-set", ["-r", "0", "--app", "endpoints=db:5432"], { unit: "db/0", contextId: ctx }).code, 0);
    commitHook(sim.modelPath, ctx);
    const relation = { id: sim.dbRelation, endpoint: "database" };
    assert.deepEqual(sim.json("relation-get", [], { relation, remoteUnit: "", remoteApp: "db" }), { endpoints: "db:5432" });
    assert.deepEqual(sim.json("relation-get", ["-r", "0", "--app", "-", "db/0"]), { endpoints: "db:5432" });
  });

  it("a non-leader cannot read or write its own app bag, but peer app data is readable by all", () => {
    const leaderCtx = sim.newContext("web/0");
    assert.equal(sim.call("relation-set", ["-r", String(sim.peerRelation), "--app", "secret-id=abc"], { contextId: leaderCtx }).code, 0);
    assert.equal(sim.call("relation-set", ["-r", "0", "--app", "database=notes"], { contextId: leaderCtx }).code, 0);
    commitHook(sim.modelPath, leaderCtx);

    assert.deepEqual(sim.call("relation-get", ["-r", "0", "--app", "-", "web"], { unit: "web/1" }), { stdout: "", stderr: "ERROR permission denied\n", code: 1 });
    assert.deepEqual(sim.call("relation-set", ["-r", "0", "--app", "x=y"], { unit: "web/1" }), { stdout: "", stderr: "ERROR cannot write relation settings\n", code: 1 });
    assert.deepEqual(sim.json("relation-get", ["-r", String(sim.peerRelation), "--app", "-", "web"], { unit: "web/1" }), { "secret-id": "abc" });
    assert.deepEqual(sim.json("relation-get", ["-r", "0", "--app", "-", "web"], { unit: "web/0" }), { database: "notes" });
    assert.deepEqual(sim.json("relation-get", ["-r", "0", "--app", "-", "web"], { unit: "db/0" }), { database: "notes" });
  });

  it("relation-set merges --file - (YAML or JSON) and key=value args; '' deletes; only the writer sees it before commit", () => {
    const ctx = sim.newContext("web/0");
    const big = "x".repeat(200 * 1024);
    const set = sim.call("relation-set", ["-r", "0", "--file", "-", "b=from-args", "gone="], { contextId: ctx, stdin: JSON.stringify({ big, b: "from-file", c: "3" }) });
    assert.equal(set.code, 0, set.stderr);
    const yamlSet = sim.call("relation-set", ["-r", "0", "--file", "-"], { contextId: ctx, stdin: "d: 4\nc: ''\n" });
    assert.equal(yamlSet.code, 0, yamlSet.stderr);
    const own = sim.json("relation-get", ["-r", "0", "-", "web/0"], { contextId: ctx }) as Record<string, string>;
    assert.equal(own.big, big);
    assert.equal(own.b, "from-args");
    assert.equal(own.d, "4");
    assert.equal("c" in own, false);
    // Other units read committed data from the controller: nothing yet.
    assert.equal(sim.json("relation-get", ["-r", "0", "big", "web/0"], { unit: "db/0" }), null);
    commitHook(sim.modelPath, ctx);
    assert.equal(sim.json("relation-get", ["-r", "0", "big", "web/0"], { unit: "db/0" }), big);
  });

  it("relation-get of a unit that never joined fails with settings not found", () => {
    const result = sim.call("relation-get", ["-r", "0", "-", "db/7"]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^ERROR cannot read settings for unit "db\/7" in relation "web:database db:database": unit "db\/7": settings not found\n$/);
  });

  it("relation-model-get reports the model uuid", () => {
    assert.deepEqual(sim.json("relation-model-get", ["-r", "0"]), { uuid: "8f3c0e1a-1111-4222-8333-944455556666" });
  });
});
