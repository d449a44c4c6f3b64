import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { dirname } from "node:path";
import { after, beforeEach, describe, it } from "node:test";
import { PermissionDeniedError, SecretNotFoundError } from "../../src/juju/errors.ts";
import { flushLogs, logger } from "../../src/juju/log.ts";
import {
  canonicalSecretId, secretAdd, secretGet, secretGrant, secretIds, secretInfoGet, secretRemove, secretRevoke, secretSet,
} from "../../src/juju/secret.ts";
import { FakeTools, jujuError } from "./fakeTools.ts";

const fake = new FakeTools();
after(() => fake.remove());
beforeEach(() => fake.reset());

const UUID = "0f2c8b1e-1111-4222-8333-444455556666";

describe("secret content never reaches argv", () => {
  it("secret-add passes key#file=<path> from a private temp dir removed right after", async () => {
    const value = "hunter2-correct-horse-battery";
    // Juju prints the URI the controller made, with the model as its source.
    fake.respond("secret-add", { stdout: `secret://${UUID}/cq2ac5ie4h9b7gvs8i0g\n` });
    const id = await secretAdd({ "secret-key": value, user: "admin-user" }, { label: "app-secret-key", description: "session key", owner: "application" });
    assert.equal(id, `secret://${UUID}/cq2ac5ie4h9b7gvs8i0g`);

    const [call] = fake.calls();
    assert.ok(call);
    const [keyFile, userFile] = call.files;
    assert.ok(keyFile && userFile);
    assert.deepEqual(call.args, [
      "--label", "app-secret-key", "--description", "session key", "--owner", "application",
      `secret-key#file=${keyFile.path}`, `user#file=${userFile.path}`,
    ]);
    assert.equal(keyFile.content, value);
    assert.equal(userFile.content, "admin-user");
    assert.equal(keyFile.mode, 0o600);
    assert.equal(keyFile.dirMode, 0o700);
    assert.ok(!call.args.some((arg) => arg.includes(value)), "not in the recorded argv");
    assert.ok(!call.cmdline.some((arg) => arg.includes(value)), "not in /proc/<pid>/cmdline");
    assert.equal(existsSync(dirname(keyFile.path)), false, "temp dir removed after the call");
  });

  it("the dir is removed when the tool fails too, and the error does not carry the value", async () => {
    fake.respond("secret-set", jujuError("this unit is not the leader", 1));
    await assert.rejects(secretSet("secret:abc", { content: { token: "tok-123456789" } }), (error: Error) => {
      assert.equal(error.name, "NotLeaderError");
      assert.doesNotMatch(error.message, /tok-123456789/);
      return true;
    });
    const [call] = fake.calls();
    assert.equal(existsSync(dirname(call!.files[0]!.path)), false);
  });

  it("values written or read are redacted from juju-log", async () => {
    fake.respond("secret-add", { stdout: `secret://${UUID}/cq2ac5ie4h9b7gvs8i0g\n` });
    fake.respond("secret-get", { stdout: "{\"password\":\"db-pass-0123456789\"}\n" });
    fake.respond("juju-log", {});
    const written = "written-value-abcdef";
    await secretAdd({ token: written });
    const { password } = await secretGet({ id: "secret:cq2ac5ie4h9b7gvs8i0g" });
    logger.info(`connecting with ${password} and ${written}`);
    await flushLogs();
    const logs = fake.calls().filter((call) => call.tool === "juju-log");
    assert.deepEqual(logs.map((call) => call.args), [["--log-level", "INFO", "--", "connecting with *** and ***"]]);
  });
});

describe("secret hook tools", () => {
  it("secret-get by id, by label, with both, with --refresh and --peek", async () => {
    fake.respond("secret-get", { stdout: "{\"value\":\"v-0123456789\"}\n" });
    assert.deepEqual(await secretGet({ id: "secret:abc" }), { value: "v-0123456789" });
    await secretGet({ label: "db-pw" });
    await secretGet({ id: "secret:abc", label: "db-pw" }, { refresh: true });
    await secretGet({ id: "secret:abc" }, { peek: true });
    assert.deepEqual(fake.argv(), [
      ["secret-get", "--format=json", "secret:abc"],
      ["secret-get", "--format=json", "--label", "db-pw"],
      ["secret-get", "--format=json", "secret:abc", "--label", "db-pw", "--refresh"],
      ["secret-get", "--format=json", "secret:abc", "--peek"],
    ]);
  });

  it("refuses contradictory or empty requests before calling Juju", async () => {
    await assert.rejects(secretGet({}), { name: "SecretContentError", message: /named by its id or its label/ });
    await assert.rejects(secretGet({ id: "secret:a" }, { refresh: true, peek: true }), { name: "SecretContentError" });
    await assert.rejects(secretAdd({}), { name: "SecretContentError", message: /at least one key/ });
    for (const key of ["ab", "Key", "1abc", "abc-", "a_bc"]) {
      await assert.rejects(secretAdd({ [key]: "v" }), { name: "SecretContentError", message: new RegExp(`secret key "${key}" is invalid`) });
    }
    assert.deepEqual(fake.calls(), []);
  });

  it("typed errors: not found and not granted", async () => {
    fake.respond("secret-get",
      { args: ["--format=json", "secret:gone"], ...jujuError("secret \"secret:gone\" not found", 1) },
      { args: ["--format=json", "secret:other"], ...jujuError("permission denied", 1) });
    await assert.rejects(secretGet({ id: "secret:gone" }), SecretNotFoundError);
    await assert.rejects(secretGet({ id: "secret:other" }), PermissionDeniedError);
  });

  it("secret-set metadata only, with expiry and rotation", async () => {
    fake.respond("secret-set", {});
    await secretSet("secret:abc", { label: "l", expire: new Date("2030-01-02T03:04:05Z"), rotate: "monthly" });
    assert.deepEqual(fake.argv(), [["secret-set", "secret:abc", "--label", "l", "--expire", "2030-01-02T03:04:05.000Z", "--rotate", "monthly"]]);
  });

  it("secret-remove, secret-grant, secret-revoke", async () => {
    for (const tool of ["secret-remove", "secret-grant", "secret-revoke"]) fake.respond(tool, {});
    await secretRemove("secret:abc");
    await secretRemove("secret:abc", { revision: 2 });
    await secretGrant("secret:abc", 5);
    await secretGrant("secret:abc", 5, { unit: "postgresql/0" });
    await secretRevoke("secret:abc", { relationId: 5 });
    await secretRevoke("secret:abc", { app: "postgresql" });
    await assert.rejects(secretRevoke("secret:abc", {}), { name: "SecretContentError" });
    assert.deepEqual(fake.argv(), [
      ["secret-remove", "secret:abc"],
      ["secret-remove", "secret:abc", "--revision", "2"],
      ["secret-grant", "secret:abc", "-r", "5"],
      ["secret-grant", "secret:abc", "-r", "5", "--unit", "postgresql/0"],
      ["secret-revoke", "secret:abc", "-r", "5"],
      ["secret-revoke", "secret:abc", "--app", "postgresql"],
    ]);
  });

  it("secret-ids and secret-info-get canonicalise Juju's bare ids", async () => {
    fake.respond("secret-ids", { stdout: "[\"cq2ac5ie4h9b7gvs8i0g\"]\n" });
    fake.respond("secret-info-get", {
      stdout: "{\"cq2ac5ie4h9b7gvs8i0g\":{\"revision\":3,\"label\":\"db-pw\",\"owner\":\"application\",\"rotation\":\"monthly\",\"expiry\":\"2030-01-01T00:00:00Z\"}}\n",
    });
    assert.deepEqual(await secretIds(UUID), [`secret://${UUID}/cq2ac5ie4h9b7gvs8i0g`]);
    assert.deepEqual(await secretInfoGet({ label: "db-pw" }, UUID), {
      id: `secret://${UUID}/cq2ac5ie4h9b7gvs8i0g`, revision: 3, label: "db-pw", owner: "application", description: undefined,
      rotation: "monthly", expiry: "2030-01-01T00:00:00Z", rotates: undefined,
    });
    assert.deepEqual(fake.argv(), [["secret-ids", "--format=json"], ["secret-info-get", "--format=json", "--label", "db-pw"]]);
  });

  it("canonicalSecretId", () => {
    assert.equal(canonicalSecretId("cq2ac5ie4h9b7gvs8i0g", UUID), `secret://${UUID}/cq2ac5ie4h9b7gvs8i0g`);
    assert.equal(canonicalSecretId(" secret:cq2ac5ie4h9b7gvs8i0g ", UUID), "secret:cq2ac5ie4h9b7gvs8i0g");
    assert.equal(canonicalSecretId(`secret://${UUID}/x`, UUID), `secret://${UUID}/x`);
  });
});
