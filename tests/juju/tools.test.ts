// Exact invocations and parsed outputs of the thin wrappers (config, leader, status, action, ports, network,
// state, application version), against Juju's real outputs and errors.
import assert from "node:assert/strict";
import { after, beforeEach, describe, it } from "node:test";
import { actionFail, actionGet, actionLog, actionSet, flattenActionResults } from "../../src/juju/action.ts";
import { configGet } from "../../src/juju/config.ts";
import { NotInActionError, NotLeaderError } from "../../src/juju/errors.ts";
import { askLeadership, Leadership } from "../../src/juju/leader.ts";
import { networkGet } from "../../src/juju/network.ts";
import { closePort, openedPorts, openPort, setPorts } from "../../src/juju/port.ts";
import { stateDelete, stateGet, stateSet } from "../../src/juju/state.ts";
import { applicationStatusGet, statusGet, statusSet } from "../../src/juju/status.ts";
import { setApplicationVersion } from "../../src/juju/version.ts";
import { FakeTools, jujuError } from "./fakeTools.ts";

const fake = new FakeTools();
after(() => fake.remove());
beforeEach(() => fake.reset());

describe("config", () => {
  it("config-get --format=json, values typed per option", async () => {
    fake.respond("config-get", { stdout: "{\"app-port\":8080,\"debug\":false,\"ratio\":0.5,\"app-secret-key-id\":\"secret:cq2ac5ie4h9b7gvs8i0g\"}\n" });
    assert.deepEqual(await configGet(), { "app-port": 8080, debug: false, ratio: 0.5, "app-secret-key-id": "secret:cq2ac5ie4h9b7gvs8i0g" });
    assert.deepEqual(fake.argv(), [["config-get", "--format=json"]]);
  });
});

describe("leader", () => {
  it("is-leader --format=json", async () => {
    fake.respond("is-leader", { stdout: "false\n" });
    assert.equal(await askLeadership(), false);
    assert.deepEqual(fake.argv(), [["is-leader", "--format=json"]]);
  });

  it("asks again only after 30 s", async () => {
    fake.respond("is-leader", { stdout: "true\n" });
    let now = 1_000;
    const leadership = new Leadership(() => now);
    assert.equal(await leadership.get(), true);
    now += 29_999;
    assert.equal(await leadership.get(), true);
    assert.equal(fake.calls().length, 1);
    now += 1;
    await leadership.get();
    assert.equal(fake.calls().length, 2);
  });
});

describe("status", () => {
  it("status-set puts -- before the message, so a leading dash is not a flag", async () => {
    fake.respond("status-set", {});
    await statusSet("blocked", "-missing postgresql integration");
    await statusSet("active", "", { application: true });
    assert.deepEqual(fake.argv(), [
      ["status-set", "blocked", "--", "-missing postgresql integration"],
      ["status-set", "--application", "active", "--", ""],
    ]);
  });

  it("status-get for the unit and the application (units nested inside application-status)", async () => {
    fake.respond("status-get",
      { args: ["--format=json", "--include-data"], stdout: "{\"message\":\"waiting for pebble\",\"status\":\"waiting\",\"status-data\":{}}\n" },
      {
        args: ["--format=json", "--include-data", "--application"],
        stdout: JSON.stringify({
          "application-status": {
            message: "", status: "active", "status-data": {},
            units: { "flask-app/0": { message: "", status: "active", "status-data": {} }, "flask-app/1": { message: "x", status: "blocked", "status-data": {} } },
          },
        }) + "\n",
      });
    assert.deepEqual(await statusGet(), { status: "waiting", message: "waiting for pebble" });
    assert.deepEqual(await applicationStatusGet(), {
      status: "active", message: "", units: { "flask-app/0": { status: "active", message: "" }, "flask-app/1": { status: "blocked", message: "x" } },
    });
  });

  it("application status by a non-leader is a NotLeaderError", async () => {
    fake.respond("status-set", jujuError("this unit is not the leader", 1));
    await assert.rejects(statusSet("active", "", { application: true }), NotLeaderError);
  });
});

describe("action", () => {
  it("action-get returns the typed params", async () => {
    fake.respond("action-get", { stdout: "{\"length\":16,\"note\":\"x\",\"nested\":{\"a\":true}}\n" });
    assert.deepEqual(await actionGet(), { length: 16, note: "x", nested: { a: true } });
    assert.deepEqual(fake.argv(), [["action-get", "--format=json"]]);
  });

  it("action-set flattens nested results into dotted keys; values may contain '='", async () => {
    fake.respond("action-set", {});
    await actionSet({ password: "a=b", user: { name: "admin", id: 3 }, ok: true });
    assert.deepEqual(fake.argv(), [["action-set", "password=a=b", "user.name=admin", "user.id=3", "ok=true"]]);
  });

  it("action-fail and action-log pass the message after --", async () => {
    fake.respond("action-fail", {});
    fake.respond("action-log", {});
    await actionLog("-rotating");
    await actionFail("could not rotate: no peer relation");
    assert.deepEqual(fake.argv(), [["action-log", "--", "-rotating"], ["action-fail", "--", "could not rotate: no peer relation"]]);
  });

  it("outside an action Juju says so: NotInActionError", async () => {
    fake.respond("action-get", jujuError("not running an action", 1));
    await assert.rejects(actionGet(), NotInActionError);
  });

  const badResults: [string, Parameters<typeof flattenActionResults>[0], RegExp][] = [
    ["upper case", { Password: "x" }, /key "Password" is invalid/],
    ["underscore", { a_b: "x" }, /key "a_b" is invalid/],
    ["trailing hyphen", { "a-": "x" }, /key "a-" is invalid/],
    ["empty nested segment", { a: { "": "x" } }, /key "a\." is invalid/],
    ["reserved key", { stdout: "x" }, /key "stdout" is reserved by Juju/],
    ["collision", { a: { b: "1" }, "a.b": "2" }, /key "a\.b" is given twice/],
  ];
  for (const [name, results, message] of badResults) {
    it(`refuses ${name} before calling action-set`, async () => {
      await assert.rejects(actionSet(results), (error: Error) => error.name === "ActionResultError" && message.test(error.message));
      assert.deepEqual(fake.calls(), []);
    });
  }
});

describe("ports", () => {
  it("open-port / close-port / opened-ports", async () => {
    fake.respond("open-port", {});
    fake.respond("close-port", {});
    fake.respond("opened-ports", { stdout: "[\"80/tcp\",\"1000-2000/udp\",\"icmp\"]\n" });
    await openPort({ protocol: "tcp", port: 8080 });
    await closePort({ protocol: "udp", port: 53 });
    assert.deepEqual(await openedPorts(), [
      { protocol: "tcp", port: 80 }, { protocol: "udp", port: 1000, toPort: 2000 }, { protocol: "icmp", port: undefined },
    ]);
    assert.deepEqual(fake.argv(), [["open-port", "8080/tcp"], ["close-port", "53/udp"], ["opened-ports", "--format=json"]]);
  });

  it("setPorts closes what is not wanted and opens what is missing", async () => {
    fake.respond("opened-ports", { stdout: "[\"80/tcp\",\"8080/tcp\"]\n" });
    fake.respond("open-port", {});
    fake.respond("close-port", {});
    await setPorts([{ protocol: "tcp", port: 8080 }, { protocol: "tcp", port: 9102 }]);
    assert.deepEqual(fake.argv(), [["opened-ports", "--format=json"], ["close-port", "80/tcp"], ["open-port", "9102/tcp"]]);
  });

  it("setPorts makes no change when the ports are already right", async () => {
    fake.respond("opened-ports", { stdout: "[\"8080/tcp\"]\n" });
    await setPorts([{ protocol: "tcp", port: 8080 }]);
    assert.equal(fake.calls().length, 1);
  });
});

describe("network", () => {
  const output = "{\"bind-addresses\":[{\"mac-address\":\"\",\"interface-name\":\"eth0\",\"addresses\":[{\"hostname\":\"\",\"value\":\"10.1.2.3\",\"cidr\":\"10.1.2.0/24\"}]}],\"egress-subnets\":[\"10.1.2.3/32\"],\"ingress-addresses\":[\"10.1.2.3\"]}\n";
  const network = {
    bindAddresses: [{ interfaceName: "eth0", macAddress: "", addresses: [{ hostname: "", value: "10.1.2.3", cidr: "10.1.2.0/24" }] }],
    egressSubnets: ["10.1.2.3/32"],
    ingressAddresses: ["10.1.2.3"],
  };

  it("network-get --format=json [-r id] binding", async () => {
    fake.respond("network-get", { stdout: output });
    assert.deepEqual(await networkGet("ingress", 4), network);
    assert.deepEqual(fake.argv(), [["network-get", "--format=json", "-r", "4", "ingress"]]);
  });

  it("retries without -r when the relation is gone", async () => {
    fake.respond("network-get",
      { args: ["--format=json", "-r", "4", "ingress"], ...jujuError("invalid value \"4\" for option -r: relation not found", 2) },
      { args: ["--format=json", "ingress"], stdout: output });
    assert.deepEqual(await networkGet("ingress", 4), network);
    assert.equal(fake.calls().length, 2);
  });
});

describe("state", () => {
  it("state-get whole map; Juju 4's null is empty", async () => {
    fake.respond("state-get", { stdout: "{\"a\":\"1\"}\n" });
    assert.deepEqual(await stateGet(), { a: "1" });
    fake.reset();
    fake.respond("state-get", { stdout: "null\n" });
    assert.deepEqual(await stateGet(), {});
    assert.deepEqual(fake.argv(), [["state-get", "--format=json"]]);
  });

  it("state-set sends values on stdin; state-delete names the key", async () => {
    fake.respond("state-set", {});
    fake.respond("state-delete", {});
    await stateSet({ "migration-status": "done", token: "s3cr3t" });
    await stateDelete("token");
    await stateSet({});
    const calls = fake.calls();
    assert.deepEqual(fake.argv(), [["state-set", "--file", "-"], ["state-delete", "token"]]);
    assert.deepEqual(JSON.parse(calls[0]!.stdin), { "migration-status": "done", token: "s3cr3t" });
  });
});

describe("application version", () => {
  it("application-version-set -- <version>", async () => {
    fake.respond("application-version-set", {});
    await setApplicationVersion("-1.2.3");
    assert.deepEqual(fake.argv(), [["application-version-set", "--", "-1.2.3"]]);
  });
});
