// Commit-on-success (docs/juju-contract.md §1.2), action tools, ports, config, status, logs and state,
// each tool run as a real process.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { readCalls } from "../../simulator/hookTools/callLog.ts";
import { commitHook, discardHook } from "../../simulator/hookTools/pending.ts";
import { updateModel } from "../../simulator/model.ts";
import { enqueueAction, finishAction } from "../../simulator/modelBuilder.ts";
import { Sim } from "./hookToolsFixture.ts";

describe("hook context tools", () => {
  let sim: Sim;
  before(() => {
    sim = new Sim();
  });
  after(() => sim.cleanup());

  /** One hook's worth of transactional and immediate writes, optionally inside an action. */
  function runHook(ctx: string, tag: string, action?: { id: string; name: string }): void {
    const opts = action ? { contextId: ctx, action } : { contextId: ctx };
    for (const [tool, args] of [
      ["relation-set", ["-r", "0", `tag=${tag}`]],
      ["secret-add", ["--label", `label-${tag}`, "token=abc"]],
      ["state-set", [`last=${tag}`]],
      ["status-set", ["maintenance", `working on ${tag}`]],
      ["juju-log", ["--log-level", "WARNING", "--", `log ${tag}`]],
      ["application-version-set", [`v-${tag}`]],
    ] as [string, string[]][]) {
      const result = sim.call(tool, args, opts);
      assert.equal(result.code, 0, `${tool}: ${result.stderr}`);
    }
    if (action) {
      assert.equal(sim.call("action-set", [`result.tag=${tag}`], opts).code, 0);
      assert.equal(sim.call("action-log", ["progress", tag], opts).code, 0);
    }
  }

  it("a failing hook loses relation-set, secret-add, state-set and action-set but keeps status, logs and version", () => {
    const actionId = updateModel(sim.modelPath, (model) => enqueueAction(model, "web/0", "rotate", { note: "x" }));
    const ctx = sim.newContext("web/0");
    runHook(ctx, "failed", { id: actionId, name: "rotate" });
    discardHook(sim.modelPath, ctx);
    const model = updateModel(sim.modelPath, (m) => {
      finishAction(m, actionId, { exitCode: 1 });
      return m;
    });
    const unit = model.units["web/0"];
    assert.equal(model.relations["0"]?.unitData["web/0"]?.tag, undefined);
    assert.equal(Object.values(model.secrets).some((s) => s.label === "label-failed"), false);
    assert.deepEqual(unit?.state, {});
    assert.deepEqual(unit?.status.status, "maintenance");
    assert.equal(unit?.status.message, "working on failed");
    assert.deepEqual(unit?.logs.at(-1)?.level, "WARNING");
    assert.equal(unit?.logs.at(-1)?.message, "log failed");
    assert.equal(unit?.workloadVersion, "v-failed");
    const run = model.actions[actionId];
    assert.deepEqual(run?.results, { "return-code": 1 });
    assert.equal(run?.status, "failed");
    assert.deepEqual(run?.log.map((l) => l.message), ["progress failed"]);
  });

  it("a successful hook commits them", () => {
    const actionId = updateModel(sim.modelPath, (model) => enqueueAction(model, "web/0", "rotate"));
    const ctx = sim.newContext("web/0");
    runHook(ctx, "ok", { id: actionId, name: "rotate" });
    assert.deepEqual(sim.json("action-get", [], { contextId: ctx, action: { id: actionId, name: "rotate" } }), { length: 16 });
    commitHook(sim.modelPath, ctx);
    const model = updateModel(sim.modelPath, (m) => {
      finishAction(m, actionId, { exitCode: 0, stdout: "done" });
      return m;
    });
    assert.equal(model.relations["0"]?.unitData["web/0"]?.tag, "ok");
    assert.equal(Object.values(model.secrets).filter((s) => s.label === "label-ok").length, 1);
    assert.deepEqual(model.units["web/0"]?.state, { last: "ok" });
    assert.deepEqual(model.actions[actionId]?.results, { result: { tag: "ok" }, "return-code": 0, stdout: "done" });
    assert.equal(model.actions[actionId]?.status, "completed");
    assert.ok(readCalls(sim.modelPath, ctx).some((c) => c.tool === "secret-add" && c.args.includes("token=<redacted>")));
    assert.equal(readCalls(sim.modelPath, ctx).length, 9);
  });

  it("action tools outside an action fail with `not running an action` (exit 1)", () => {
    for (const [tool, args] of [["action-get", []], ["action-set", ["a=b"]], ["action-fail", ["boom"]], ["action-log", ["hi"]]] as [string, string[]][]) {
      assert.deepEqual(sim.call(tool, args), { stdout: "", stderr: "ERROR not running an action\n", code: 1 }, tool);
    }
  });

  it("action-set validates keys before anything else (exit 2); action-fail marks the action failed", () => {
    const actionId = updateModel(sim.modelPath, (model) => enqueueAction(model, "web/0", "rotate", { note: "n" }));
    const action = { id: actionId, name: "rotate" };
    assert.deepEqual(sim.call("action-set", ["Bad=1"], { action }), { stdout: "", stderr: 'ERROR key "Bad" must start and end with lowercase alphanumeric, and contain only lowercase alphanumeric and hyphens\n', code: 2 });
    assert.deepEqual(sim.call("action-set", ["stdout=x"], { action }), { stdout: "", stderr: 'ERROR cannot set reserved action key "stdout"\n', code: 2 });
    assert.deepEqual(sim.call("action-set", ["novalue"], { action }), { stdout: "", stderr: 'ERROR argument "novalue" must be of the form key...=value\n', code: 2 });
    assert.equal(sim.json("action-get", ["note"], { action }), "n");
    assert.equal(sim.json("action-get", ["length"], { action }), 16);
    const ctx = sim.newContext("web/0");
    assert.equal(sim.call("action-fail", ["no luck"], { action, contextId: ctx }).code, 0);
    commitHook(sim.modelPath, ctx);
    const run = updateModel(sim.modelPath, (m) => finishAction(m, actionId, { exitCode: 0 }));
    assert.equal(run.status, "failed");
    assert.equal(run.message, "no luck");
  });

  it("opened-ports merges the hook's own open-port/close-port into the committed ports, with --endpoints grouping", () => {
    const ctx = sim.newContext("web/0");
    assert.equal(sim.call("open-port", ["8080"], { contextId: ctx }).code, 0);
    assert.equal(sim.call("open-port", ["--endpoints", "ingress", "9000/UDP"], { contextId: ctx }).code, 0);
    assert.deepEqual(sim.json("opened-ports", [], { contextId: ctx }), ["8080/tcp", "9000/udp"]);
    assert.deepEqual(sim.json("opened-ports", []), []);
    commitHook(sim.modelPath, ctx);
    assert.deepEqual(sim.json("opened-ports", []), ["8080/tcp", "9000/udp"]);
    assert.deepEqual(sim.json("opened-ports", ["--endpoints"]), ["8080/tcp (*)", "9000/udp (ingress)"]);
    const close = sim.newContext("web/0");
    assert.equal(sim.call("close-port", ["8080/tcp"], { contextId: close }).code, 0);
    assert.equal(sim.call("open-port", ["8080/tcp", "--endpoints", "ingress"], { contextId: close }).code, 0);
    assert.deepEqual(sim.json("opened-ports", ["--endpoints"], { contextId: close }), ["8080/tcp (ingress)", "9000/udp (ingress)"]);
    commitHook(sim.modelPath, close);
    assert.deepEqual(sim.call("opened-ports", []).stdout, "8080/tcp\n9000/udp\n");
  });

  it("open-port parses ports like Juju (exit 2), refuses ranges on Kubernetes (exit 1) and unknown endpoints only at commit", () => {
    const cases: [string[], string][] = [
      [[], "ERROR no port or range specified\n"],
      [["80/sctp"], 'ERROR invalid protocol "sctp", expected "tcp", "udp", or "icmp"\n'],
      [["http"], 'ERROR invalid port "http": strconv.Atoi: parsing "http": invalid syntax\n'],
      [["70000"], "ERROR port range bounds must be between 0 and 65535, got 70000-70000\n"],
      [["90-80"], "ERROR invalid port range 90-80/tcp\n"],
      [["1-2-3"], 'ERROR invalid port range "1-2-3"\n'],
    ];
    for (const [args, stderr] of cases) assert.deepEqual(sim.call("open-port", args), { stdout: "", stderr, code: 2 }, args.join(" "));
    assert.deepEqual(sim.call("open-port", ["1000-2000/udp"]), { stdout: "", stderr: "ERROR port ranges are not supported for k8s applications, please specify a single port\n", code: 1 });
    assert.deepEqual(sim.call("close-port", ["--format", "json", "icmp"]), { stdout: "", stderr: '--format flag deprecated for command "close-port"', code: 0 });
    const ctx = sim.newContext("web/0");
    assert.deepEqual(sim.call("open-port", ["0", "--endpoints", "nowhere"], { contextId: ctx }), { stdout: "", stderr: "", code: 0 });
    assert.throws(() => commitHook(sim.modelPath, ctx), /open port range: endpoint "nowhere" for application "web" not found/);
  });

  it("config-get types values per option, --all adds unset options as null, a key gives its value or null", () => {
    assert.deepEqual(sim.json("config-get", []), { port: 8080, ratio: 0.5, debug: false, greeting: "hello" });
    assert.deepEqual(sim.json("config-get", ["--all"]), { port: 8080, ratio: 0.5, debug: false, greeting: "hello", credentials: null });
    assert.equal(sim.json("config-get", ["port"]), 8080);
    assert.equal(sim.json("config-get", ["nope"]), null);
    assert.equal(sim.call("config-get", ["greeting"]).stdout, "hello\n");
  });

  it("status-set accepts only settable statuses; --application needs the leader", () => {
    assert.deepEqual(sim.call("status-set", ["error", "x"]), { stdout: "", stderr: 'ERROR invalid status "error", expected one of [maintenance blocked waiting active]\n', code: 2 });
    assert.deepEqual(sim.call("status-set", ["--application", "active"], { unit: "web/1" }), { stdout: "", stderr: "ERROR this unit is not the leader\n", code: 1 });
    assert.deepEqual(sim.call("status-get", ["--application"], { unit: "web/1" }), { stdout: "", stderr: "ERROR finding application status: this unit is not the leader\n", code: 1 });
    assert.equal(sim.call("status-set", ["--application=True", "blocked", "--", "-needs a db"]).code, 0);
    assert.equal(sim.call("status-set", ["active"], { unit: "web/1" }).code, 0);
    assert.equal(sim.call("status-set", ["waiting", "for db"]).code, 0);
    assert.deepEqual(sim.json("status-get", ["--application", "--include-data"]), {
      "application-status": {
        status: "blocked",
        message: "-needs a db",
        "status-data": {},
        units: { "web/0": { status: "waiting", message: "for db", "status-data": {} }, "web/1": { status: "active", message: "", "status-data": {} } },
      },
    });
    assert.deepEqual(sim.json("status-get", [], { unit: "web/1" }), { status: "active" });
  });

  it("juju-log prefixes relation hooks with the relation; state-get reads pending and committed state", () => {
    const relation = { id: sim.dbRelation, endpoint: "database" };
    assert.equal(sim.call("juju-log", ["-l", "debug", "hello", "world"], { relation, remoteUnit: "db/0", remoteApp: "db" }).code, 0);
    const line = sim.model().units["web/0"]?.logs.at(-1);
    assert.deepEqual([line?.level, line?.message], ["DEBUG", "database:0: hello world"]);
    assert.deepEqual(sim.call("juju-log", []), { stdout: "", stderr: "ERROR no message specified\n", code: 2 });
    const committed = sim.newContext("web/0");
    assert.equal(sim.call("state-set", ["last=ok"], { contextId: committed }).code, 0);
    commitHook(sim.modelPath, committed);
    const ctx = sim.newContext("web/0");
    assert.equal(sim.call("state-set", ["--file", "-"], { contextId: ctx, stdin: "a: '1'\nb: two\n" }).code, 0);
    assert.equal(sim.call("state-delete", ["last"], { contextId: ctx }).code, 0);
    assert.deepEqual(sim.json("state-get", [], { contextId: ctx }), { a: "1", b: "two" });
    assert.deepEqual(sim.json("state-get", []), { last: "ok" });
    assert.equal(sim.json("state-get", ["missing"]), "");
    assert.deepEqual(sim.call("state-get", ["missing", "--strict"]), { stdout: "", stderr: 'ERROR "missing" not found\n', code: 1 });
  });

  it("leadership, legacy leader settings, goal-state, network-get and credential-get", () => {
    assert.equal(sim.json("is-leader", []), true);
    assert.equal(sim.json("is-leader", [], { unit: "web/1" }), false);
    assert.deepEqual(sim.call("leader-set", ["k=v"], { unit: "web/1" }), { stdout: "", stderr: "ERROR cannot write leadership settings: cannot write settings: not the leader\n", code: 1 });
    assert.equal(sim.call("leader-set", ["k=v"]).code, 0);
    assert.equal(sim.json("leader-get", ["k"], { unit: "web/1" }), "v");
    const goal = sim.json("goal-state", []) as { units: Record<string, { status: string }>; relations: Record<string, Record<string, { status: string }>> };
    assert.deepEqual(Object.keys(goal.units), ["web/0", "web/1"]);
    assert.deepEqual(Object.keys(goal.relations.database ?? {}).sort(), ["db", "db/0"]);
    // Juju never lists a peer relation in goal-state, although web/1 is in scope on it.
    assert.deepEqual(Object.keys(goal.relations), ["database"]);
    const address = sim.model().units["web/0"]?.address;
    assert.deepEqual(sim.json("network-get", ["database"]), {
      "bind-addresses": [{ "mac-address": "", "interface-name": "eth0", addresses: [{ hostname: "", value: address, cidr: "10.1.0.0/16" }] }],
      "egress-subnets": [`${address}/32`],
      "ingress-addresses": [address],
    });
    assert.equal(sim.json("network-get", ["database", "--ingress-address"]), address);
    assert.deepEqual(sim.call("network-get", ["nowhere"]), { stdout: "", stderr: 'ERROR no network config found for binding "nowhere"\n', code: 1 });
    assert.deepEqual(sim.call("credential-get", []), { stdout: "", stderr: "ERROR cannot access cloud credentials: permission denied\n", code: 1 });
    updateModel(sim.modelPath, (model) => {
      const app = model.applications.web;
      if (app) app.trusted = true;
    });
    assert.equal((sim.json("credential-get", []) as { type: string }).type, "kubernetes");
  });
});
