// What each simulated hook tool prints and how it fails, checked against Juju 3.6's jujuc commands
// (and Juju 4.1's where they differ): gnuflag's option parsing, the formatters' empty cases, usage
// texts, and the goal-state, status-get, state, juju-log, action and secret outputs (docs/hook-tools.md).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { commitHook } from "../../simulator/hookTools/pending.ts";
import { updateModel } from "../../simulator/model.ts";
import { addApplication, addRelation, addSecret, addUnit, enqueueAction, grantSecret } from "../../simulator/modelBuilder.ts";
import { Sim } from "./hookToolsFixture.ts";

describe("hook tools print and fail as Juju does", () => {
  let sim: Sim;
  before(() => {
    sim = new Sim();
  });
  after(() => sim.cleanup());

  it("options are parsed like gnuflag: attached short values, any name after --, errors say `option`", () => {
    assert.deepEqual(sim.json("relation-list", [`-r${sim.dbRelation}`]), ["db/0"]);
    assert.deepEqual(sim.json("relation-list", ["--r", String(sim.dbRelation)]), ["db/0"]);
    assert.equal(sim.call("relation-list", ["-r", String(sim.dbRelation), "-format=json"]).stderr, "ERROR option provided but not defined: -f\n");
    assert.deepEqual(sim.call("relation-list", ["-r"]), { stdout: "", stderr: "ERROR option needs an argument: -r\n", code: 2 });
    assert.deepEqual(sim.call("relation-list", [`-r=${sim.dbRelation}`]), { stdout: "", stderr: `ERROR invalid value "=${sim.dbRelation}" for option -r: invalid relation id\n`, code: 2 });
    assert.deepEqual(sim.call("config-get", ["--all=maybe"]), { stdout: "", stderr: 'ERROR invalid value "maybe" for option --all: strconv.ParseBool: parsing "maybe": invalid syntax\n', code: 2 });
  });

  it("key=value arguments are trimmed and empty ones skipped, as keyvalues.Parse does", () => {
    const ctx = sim.newContext("web/0");
    assert.equal(sim.call("state-set", [" spaced = value ", ""], { contextId: ctx }).code, 0);
    assert.deepEqual(sim.json("state-get", [], { contextId: ctx }), { spaced: "value" });
    assert.deepEqual(sim.call("state-set", [" =x"], { contextId: ctx }), { stdout: "", stderr: 'ERROR expected "key=value", got "=x"\n', code: 2 });
  });

  it("state-get prints null for an empty state and nothing in smart format for a missing key; state-delete without a key is a no-op", () => {
    assert.equal(sim.call("state-get", ["--format=json"], { unit: "web/1" }).stdout, "null\n");
    assert.equal(sim.call("state-get", [], { unit: "web/1" }).stdout, "");
    assert.equal(sim.call("state-get", ["missing"], { unit: "web/1" }).stdout, "");
    assert.deepEqual(sim.call("state-delete", [], { unit: "web/1" }), { stdout: "", stderr: "", code: 0 });
  });

  it("status-get in smart format prints the bare status; status-set names its usage like Juju", () => {
    assert.equal(sim.call("status-set", ["active", "serving"], { unit: "web/1" }).code, 0);
    assert.equal(sim.call("status-get", [], { unit: "web/1" }).stdout, "active\n");
    assert.deepEqual(sim.json("status-get", ["--include-data"], { unit: "web/1" }), { status: "active", message: "serving", "status-data": {} });
    assert.equal(sim.call("status-set", ["--application", "blocked", "needs a db"]).code, 0);
    assert.equal(sim.call("status-get", ["--application"]).stdout, "blocked\n");
    assert.deepEqual(sim.call("status-set", []), { stdout: "", stderr: "ERROR invalid args, require <status> [message]\n", code: 2 });
  });

  it("juju-log takes the deprecated --format and logs an unknown level at INFO after a warning", () => {
    assert.deepEqual(sim.call("juju-log", ["--format", "json", "-l", "loud", "hello"], { unit: "web/1" }), { stdout: "", stderr: '--format flag deprecated for command "juju-log"', code: 0 });
    const logs = sim.model().units["web/1"]?.logs.slice(-2).map((l) => [l.level, l.message]);
    assert.deepEqual(logs, [["WARNING", 'Specified log level of "loud" is not valid'], ["INFO", "hello"]]);
  });

  it("action-fail without a message uses Juju's default reason", () => {
    const actionId = updateModel(sim.modelPath, (model) => enqueueAction(model, "web/1", "rotate"));
    const ctx = sim.newContext("web/1");
    assert.equal(sim.call("action-fail", [], { unit: "web/1", contextId: ctx, action: { id: actionId, name: "rotate" } }).code, 0);
    commitHook(sim.modelPath, ctx);
    assert.equal(sim.model().actions[actionId]?.message, "action failed without reason given, check action for errors");
  });

  it("goal-state gives workload statuses with Juju's time format and every unit of the remote application", () => {
    const late = updateModel(sim.modelPath, (model) => addUnit(model, "db"));
    assert.equal(sim.call("status-set", ["maintenance", "installing"]).code, 0);
    const goal = sim.json("goal-state", []) as { units: Record<string, { status: string; since: string }>; relations: Record<string, Record<string, { status: string; since: string }>> };
    assert.equal(goal.units["web/0"]?.status, "maintenance");
    assert.match(goal.units["web/0"]?.since ?? "", /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}Z$/);
    assert.deepEqual(Object.keys(goal.relations.database ?? {}).sort(), ["db", "db/0", late]);
    assert.equal(goal.relations.database?.db?.status, "joined");
    assert.equal(goal.relations.database?.[late]?.status, "unknown");
    updateModel(sim.modelPath, (model) => {
      addApplication(model, "edge", { name: "edge", endpoints: { ingress: { role: "provides", interface: "ingress" } }, extraBindings: [], config: {}, actions: {} });
      addUnit(model, "edge", { leader: true });
      addRelation(model, { app: "web", endpoint: "ingress" }, { app: "edge", endpoint: "ingress" });
    });
    const joining = sim.json("goal-state", []) as { relations: Record<string, Record<string, { status: string }>> };
    const statuses = Object.fromEntries(Object.entries(joining.relations.ingress ?? {}).map(([name, goal]) => [name, goal.status]));
    assert.deepEqual(statuses, { edge: "joining", "edge/0": "unknown" });
  });

  it("network-get --primary-address must come alone", () => {
    assert.deepEqual(sim.call("network-get", ["database", "--primary-address", "--ingress-address"]), { stdout: "", stderr: "ERROR --primary-address must be the only flag specified\n", code: 1 });
  });

  it("secret-ids prints null when there are none; secret-get names a missing key and an unknown URI as Juju 3.6 does", () => {
    assert.equal(sim.call("secret-ids", ["--format=json"], { unit: "db/0" }).stdout, "null\n");
    assert.equal(sim.call("secret-ids", [], { unit: "db/0" }).stdout, "");
    const id = updateModel(sim.modelPath, (model) => addSecret(model, { owner: { kind: "application", name: "web" }, content: { token: "abc" } }));
    assert.equal(sim.call("secret-ids", []).stdout, `${id}\n`);
    assert.deepEqual(sim.call("secret-get", [id, "nope#base64"]), { stdout: "", stderr: 'ERROR secret key value "nope" not found\n', code: 1 });
    assert.deepEqual(sim.call("secret-get", ["aaaaaaaaaaaaaaaaaaaa"]), { stdout: "", stderr: 'ERROR secret "secret:aaaaaaaaaaaaaaaaaaaa" not found\n', code: 1 });
    const full = `secret://${sim.model().uuid}/aaaaaaaaaaaaaaaaaaaa`;
    assert.deepEqual(sim.call("secret-get", [full]), { stdout: "", stderr: `ERROR secret "${full}" not found\n`, code: 1 });
  });

  it("secret-remove --revision 0 removes the whole secret; a non-number is refused by the parser", () => {
    const id = updateModel(sim.modelPath, (model) => addSecret(model, { owner: { kind: "application", name: "web" }, content: { token: "abc" } }));
    assert.deepEqual(sim.call("secret-remove", [id, "--revision", "two"]), { stdout: "", stderr: 'ERROR invalid value "two" for option --revision: strconv.ParseInt: parsing "two": invalid syntax\n', code: 2 });
    const ctx = sim.newContext("web/0");
    assert.equal(sim.call("secret-remove", [id, "--revision", "0"], { contextId: ctx }).code, 0);
    commitHook(sim.modelPath, ctx);
    assert.equal(sim.model().secrets[id], undefined);
  });

  it("the owner sees a pending secret-set only with --peek or --refresh; a non-leader's label on its app's secret is not recorded", () => {
    const id = updateModel(sim.modelPath, (model) => addSecret(model, { owner: { kind: "application", name: "web" }, content: { token: "old" }, label: "owned" }));
    const ctx = sim.newContext("web/0");
    assert.equal(sim.call("secret-set", [id, "token=new"], { contextId: ctx }).code, 0);
    assert.deepEqual(sim.json("secret-get", [id], { contextId: ctx }), { token: "old" });
    assert.deepEqual(sim.json("secret-get", [id, "--peek"], { contextId: ctx }), { token: "new" });
    // By label, Juju 3.6 asks the controller, which knows only the committed revision.
    assert.deepEqual(sim.json("secret-get", ["--label", "owned", "--refresh"], { contextId: ctx }), { token: "old" });
    assert.deepEqual(sim.json("secret-get", [id, "--label", "mine"], { unit: "web/1" }), { token: "old" });
    assert.equal(sim.model().secrets[id]?.label, "owned");
    assert.equal(sim.model().secrets[id]?.consumers["web/1"]?.label, undefined);
  });

  it("on Juju 4 secret-get words not granted, unknown URIs and unknown labels as 4.1 does", () => {
    const id = updateModel(sim.modelPath, (model) => {
      model.jujuVersion = "4.1-beta2";
      return addSecret(model, { owner: { kind: "application", name: "db" }, content: { password: "pw" } });
    });
    try {
      assert.deepEqual(sim.call("secret-get", [id]), { stdout: "", stderr: 'ERROR "web/0" is not allowed to read this secret\n', code: 1 });
      assert.deepEqual(sim.call("secret-get", ["aaaaaaaaaaaaaaaaaaaa"]), { stdout: "", stderr: "ERROR getting latest secret revision: secret not found\n", code: 1 });
      assert.deepEqual(sim.call("secret-get", ["--label", "nope"]), { stdout: "", stderr: 'ERROR secret URI for consumer label "nope" not found\n', code: 1 });
      updateModel(sim.modelPath, (model) => grantSecret(model, id, sim.dbRelation, "web"));
      assert.deepEqual(sim.json("secret-get", [id]), { password: "pw" });
      // Juju 4 resolves the owner's label in the unit first, so a pending secret-set is seen.
      const owned = updateModel(sim.modelPath, (model) => addSecret(model, { owner: { kind: "application", name: "web" }, content: { token: "old" }, label: "owned-4" }));
      const ctx = sim.newContext("web/0");
      assert.equal(sim.call("secret-set", [owned, "token=new"], { contextId: ctx }).code, 0);
      assert.deepEqual(sim.json("secret-get", ["--label", "owned-4", "--refresh"], { contextId: ctx }), { token: "new" });
    } finally {
      updateModel(sim.modelPath, (model) => {
        model.jujuVersion = "3.6.8";
      });
    }
  });
});
