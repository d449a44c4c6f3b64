import assert from "node:assert/strict";
import { after, beforeEach, describe, it } from "node:test";
import {
  HookToolError, NotInActionError, NotLeaderError, PermissionDeniedError, RelationNotFoundError, SecretNotFoundError,
} from "../../src/juju/errors.ts";
import { hookToolCallCount, runHookTool, runHookToolJson } from "../../src/juju/hookTool.ts";
import { FakeTools, jujuError } from "./fakeTools.ts";

const fake = new FakeTools();
after(() => fake.remove());
beforeEach(() => fake.reset());

describe("runHookTool", () => {
  it("passes argv as given, without a shell, and stdin data on stdin", async () => {
    fake.respond("relation-set", {});
    await runHookTool("relation-set", ["-r", "3", "--file", "-", "$(touch /tmp/x)", "a b;c"], { stdin: "{\"k\":\"v\"}" });
    const [call] = fake.calls();
    assert.deepEqual(call?.args, ["-r", "3", "--file", "-", "$(touch /tmp/x)", "a b;c"]);
    assert.equal(call?.stdin, "{\"k\":\"v\"}");
  });

  it("resolves with stdout", async () => {
    fake.respond("application-version-set", { stdout: "done\n" });
    assert.equal(await runHookTool("application-version-set", ["--", "1.0"]), "done\n");
  });

  it("puts --format=json first and parses the JSON value", async () => {
    fake.respond("relation-ids", { stdout: "[\"db:3\",\"db:7\"]\n" });
    assert.deepEqual(await runHookToolJson("relation-ids", ["db"]), ["db:3", "db:7"]);
    assert.deepEqual(fake.argv(), [["relation-ids", "--format=json", "db"]]);
  });

  it("reports output that is not JSON without repeating it", async () => {
    fake.respond("secret-get", { stdout: "hunter2-not-json\n" });
    await assert.rejects(runHookToolJson("secret-get", ["secret:x"]), (error: Error) => {
      assert.ok(error instanceof HookToolError);
      assert.match(error.message, /secret-get failed .*printed 17 characters that are not JSON/);
      assert.doesNotMatch(error.message, /hunter2/);
      return true;
    });
  });

  it("counts every call", async () => {
    fake.respond("is-leader", { stdout: "true\n" });
    const before = hookToolCallCount();
    await runHookToolJson("is-leader", []);
    await runHookToolJson("is-leader", []);
    assert.equal(hookToolCallCount() - before, 2);
  });

  it("names the missing tool and why it is missing", async () => {
    await assert.rejects(runHookTool("no-such-hook-tool", []), (error: Error) => {
      assert.ok(error instanceof HookToolError);
      assert.equal(error.exitCode, undefined);
      assert.match(error.message, /no-such-hook-tool failed: not found on PATH; hook tools exist only while Juju runs a hook/);
      return true;
    });
  });
});

describe("typed errors from Juju's error text", () => {
  const cases: { tool: string; message: string; exit: number; type: typeof HookToolError }[] = [
    { tool: "relation-get", message: "invalid value \"7\" for option -r: relation not found", exit: 2, type: RelationNotFoundError },
    { tool: "network-get", message: "invalid value \"db:9\" for option -r: relation not found", exit: 2, type: RelationNotFoundError },
    { tool: "secret-get", message: "secret \"secret:cq2ac5ie4h9b7gvs8i0g\" not found", exit: 1, type: SecretNotFoundError },
    { tool: "secret-info-get", message: "secret \"db-pw\" not found", exit: 1, type: SecretNotFoundError },
    { tool: "secret-get", message: "permission denied", exit: 1, type: PermissionDeniedError },
    { tool: "secret-get", message: "\"example-app/0\" is not allowed to read this secret", exit: 1, type: PermissionDeniedError },
    { tool: "secret-set", message: "\"example-app/0\" is not allowed to manage this secret", exit: 1, type: PermissionDeniedError },
    { tool: "secret-get", message: "getting latest secret revision: secret not found", exit: 1, type: SecretNotFoundError },
    { tool: "secret-get", message: "secret key value \"password\" not found", exit: 1, type: HookToolError },
    { tool: "status-set", message: "this unit is not the leader", exit: 1, type: NotLeaderError },
    { tool: "status-get", message: "finding application status: this unit is not the leader", exit: 1, type: NotLeaderError },
    { tool: "secret-add", message: "this unit is not the leader", exit: 1, type: NotLeaderError },
    { tool: "relation-set", message: "cannot write relation settings", exit: 1, type: PermissionDeniedError },
    { tool: "relation-get", message: "permission denied", exit: 1, type: PermissionDeniedError },
    { tool: "credential-get", message: "cannot access cloud credentials: permission denied", exit: 1, type: PermissionDeniedError },
    { tool: "action-get", message: "not running an action", exit: 1, type: NotInActionError },
    { tool: "action-set", message: "not running an action", exit: 1, type: NotInActionError },
    { tool: "relation-list", message: "no relation id specified", exit: 2, type: HookToolError },
    { tool: "config-get", message: "option provided but not defined: --x", exit: 2, type: HookToolError },
    // "not found" only means a missing secret for secret-* tools.
    { tool: "network-get", message: "no network config found for binding \"x\"", exit: 1, type: HookToolError },
  ];
  for (const { tool, message, exit, type } of cases) {
    it(`${tool}: "${message}" (exit ${exit}) → ${type.name}`, async () => {
      fake.respond(tool, jujuError(message, exit));
      await assert.rejects(runHookTool(tool, ["--format=json", "super-secret-arg"]), (error: Error) => {
        assert.equal(error.constructor, type);
        assert.ok(error instanceof HookToolError);
        assert.equal(error.tool, tool);
        assert.equal(error.exitCode, exit);
        assert.equal(error.jujuMessage, message);
        assert.equal(error.message, `${tool} failed (exit ${exit}): ${message}`);
        assert.doesNotMatch(error.message, /super-secret-arg/);
        return true;
      });
    });
  }

  it("never repeats stdin data", async () => {
    fake.respond("state-set", jujuError("quota exceeded", 1));
    await assert.rejects(runHookTool("state-set", ["--file", "-"], { stdin: "{\"token\":\"s3cr3t-value\"}" }), (error: Error) => {
      assert.doesNotMatch(error.message, /s3cr3t-value/);
      return true;
    });
  });
});
