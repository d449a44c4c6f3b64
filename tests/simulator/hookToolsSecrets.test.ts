// secret-* hook tools against Juju's answers (docs/juju-contract.md §2.2 and §3, docs/hook-tools.md), run as real processes.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { updateModel } from "../../simulator/model.ts";
import { addSecret, addSecretRevision, grantSecret } from "../../simulator/modelBuilder.ts";
import { commitHook, discardHook } from "../../simulator/hookTools/pending.ts";
import { Sim } from "./hookToolsFixture.ts";

describe("secret hook tools", () => {
  let sim: Sim;
  let dbSecret: string;
  before(() => {
    sim = new Sim();
    dbSecret = updateModel(sim.modelPath, (model) => {
      const id = addSecret(model, { owner: { kind: "application", name: "db" }, content: { password: "one" } });
      grantSecret(model, id, sim.dbRelation, "web");
      return id;
    });
  });
  after(() => sim.cleanup());

  it("secret-get tracks the first revision read until --refresh; --peek reads the latest once", () => {
    const get = (...args: string[]) => sim.json("secret-get", [`secret:${dbSecret}`, ...args], { unit: "web/1" });
    assert.deepEqual(get(), { password: "one" });
    updateModel(sim.modelPath, (model) => addSecretRevision(model, dbSecret, { password: "two" }));
    assert.deepEqual(get(), { password: "one" });
    assert.deepEqual(get("--peek"), { password: "two" });
    assert.deepEqual(get(), { password: "one" });
    assert.deepEqual(get("--refresh"), { password: "two" });
    assert.deepEqual(get(), { password: "two" });
    assert.equal(sim.model().secrets[dbSecret]?.consumers["web/1"]?.trackedRevision, 2);
    assert.equal(sim.json("secret-get", [dbSecret, "password"], { unit: "web/1" }), "two");
    assert.equal(sim.json("secret-get", [`secret://${sim.model().uuid}/${dbSecret}`, "password#base64"], { unit: "web/1" }), Buffer.from("two").toString("base64"));
  });

  it("secret-get with an id and a label labels it for this consumer at once, even if the hook then fails", () => {
    const ctx = sim.newContext("web/0");
    sim.json("secret-get", [dbSecret, "--label", "db-password"], { contextId: ctx });
    assert.deepEqual(sim.json("secret-get", ["--label", "db-password"], { contextId: ctx }), { password: "two" });
    discardHook(sim.modelPath, ctx);
    assert.equal(sim.model().secrets[dbSecret]?.consumers["web/0"]?.label, "db-password");
    assert.deepEqual(sim.json("secret-get", ["--label", "db-password"]), { password: "two" });
    assert.deepEqual(sim.call("secret-get", ["--label", "nope"]), { stdout: "", stderr: 'ERROR consumer label "nope" not found\n', code: 1 });
  });

  it("secret-get refuses secrets not granted and unknown ids", () => {
    assert.deepEqual(sim.call("secret-get", [dbSecret], { unit: "db/0" }).code, 0);
    const other = updateModel(sim.modelPath, (model) => addSecret(model, { owner: { kind: "application", name: "db" }, content: { token: "t0k" } }));
    assert.deepEqual(sim.call("secret-get", [other]), { stdout: "", stderr: "ERROR permission denied\n", code: 1 });
    assert.deepEqual(sim.call("secret-get", ["secret:aaaaaaaaaaaaaaaaaaaa"]), { stdout: "", stderr: 'ERROR secret "secret:aaaaaaaaaaaaaaaaaaaa" not found\n', code: 1 });
  });

  it("secret-add validates arguments like Juju (exit 2)", () => {
    const cases: [string[], string][] = [
      [[], "ERROR missing secret value or filename\n"],
      [["A=b"], 'ERROR key "A" not valid\n'],
      [["ab=c"], 'ERROR key "ab" not valid\n'],
      [["=c"], 'ERROR key value "=c" not valid\n'],
      [["--rotate", "often", "key=v"], 'ERROR rotate policy "often" not valid\n'],
      [["--expire", "soon", "key=v"], 'ERROR expire time or duration "soon" not valid\n'],
      [["--owner", "model", "key=v"], 'ERROR secret owner "model" not valid\n'],
    ];
    for (const [args, stderr] of cases) assert.deepEqual(sim.call("secret-add", args), { stdout: "", stderr, code: 2 }, args.join(" "));
  });

  it("secret-add by a non-leader needs --owner unit; the owner reads pending content in-hook", () => {
    assert.deepEqual(sim.call("secret-add", ["key=v"], { unit: "web/1" }), { stdout: "", stderr: "ERROR this unit is not the leader\n", code: 1 });
    const ctx = sim.newContext("web/1");
    const file = join(sim.dir, "pw");
    writeFileSync(file, "s3cret\nline2");
    const added = sim.call("secret-add", ["--owner", "unit", "--label", "mine", "password#file=" + file, "blob#base64=aGk="], { unit: "web/1", contextId: ctx });
    assert.equal(added.code, 0, added.stderr);
    assert.match(added.stdout, new RegExp(`^secret://${sim.model().uuid}/[0-9a-v]{20}\n$`));
    const id = added.stdout.trim().slice(-20);
    assert.deepEqual(sim.json("secret-get", [id], { unit: "web/1", contextId: ctx }), { password: "s3cret\nline2", blob: "hi" });
    assert.deepEqual(sim.json("secret-ids", [], { unit: "web/1", contextId: ctx }), [id]);
    assert.deepEqual(sim.json("secret-info-get", ["--label", "mine"], { unit: "web/1", contextId: ctx }), { [id]: { revision: 1, label: "mine", owner: "unit" } });
    // Not committed yet: the model (and every other unit) has no such secret.
    assert.equal(sim.model().secrets[id], undefined);
    commitHook(sim.modelPath, ctx);
    assert.deepEqual(sim.model().secrets[id]?.revisions.map((r) => r.content), [{ password: "s3cret\nline2", blob: "hi" }]);
  });

  it("app secrets: leader manages, grants and sees grants in secret-info-get; non-leader is refused", () => {
    const ctx = sim.newContext("web/0");
    const id = sim.call("secret-add", ["--label", "app-key", "--description", "signing key", "--rotate", "monthly", "key=k1"], { contextId: ctx }).stdout.trim().slice(-20);
    assert.equal(sim.call("secret-grant", [id, "-r", String(sim.dbRelation)], { contextId: ctx }).code, 0);
    assert.deepEqual(sim.call("secret-grant", [id, "-r", "0", "--unit", "web/1"], { contextId: ctx }), { stdout: "", stderr: 'ERROR cannot specify unit "web/1" in relation to application "db"\n', code: 2 });
    commitHook(sim.modelPath, ctx);
    assert.deepEqual(sim.json("secret-info-get", [id]), {
      [id]: { revision: 1, label: "app-key", owner: "application", description: "signing key", rotation: "monthly", access: [{ target: "application-db", scope: "relation-web.database#db.database", role: "view" }] },
    });
    assert.deepEqual(sim.json("secret-get", [id], { unit: "db/0" }), { key: "k1" });
    assert.deepEqual(sim.call("secret-set", [id, "key=k2"], { unit: "web/1" }), { stdout: "", stderr: "ERROR this unit is not the leader\n", code: 1 });
    assert.deepEqual(sim.call("secret-remove", [id], { unit: "web/1" }), { stdout: "", stderr: "ERROR this unit is not the leader\n", code: 1 });
    assert.deepEqual(sim.call("secret-info-get", [id], { unit: "web/1" }), { stdout: "", stderr: `ERROR secret "${id}" not found\n`, code: 1 });
    assert.deepEqual(sim.call("secret-info-get", [id, "--label", "x"]), { stdout: "", stderr: "ERROR specify either a secret URI or label but not both\n", code: 2 });
    assert.deepEqual(sim.call("secret-get", ["--peek", "--refresh", id]), { stdout: "", stderr: "ERROR specify one of --peek or --refresh but not both\n", code: 2 });
    assert.deepEqual(sim.call("secret-get", []), { stdout: "", stderr: "ERROR require either a secret URI or label\n", code: 2 });
    assert.deepEqual(sim.call("secret-get", ["not/a/uri"]), { stdout: "", stderr: 'ERROR secret URI "not/a/uri" not valid\n', code: 2 });

    const setCtx = sim.newContext("web/0");
    assert.equal(sim.call("secret-set", [id, "key=k2"], { contextId: setCtx }).code, 0);
    assert.equal(sim.call("secret-revoke", [id, "--app", "db"], { contextId: setCtx }).code, 0);
    commitHook(sim.modelPath, setCtx);
    const secret = sim.model().secrets[id];
    assert.deepEqual(secret?.revisions.map((r) => r.revision), [1, 2]);
    assert.deepEqual(secret?.grants, []);
    assert.deepEqual(sim.call("secret-get", [id], { unit: "db/0" }), { stdout: "", stderr: "ERROR permission denied\n", code: 1 });
  });

  it("a secret-set on a secret the unit does not own is accepted in-hook and refused at commit", () => {
    const ctx = sim.newContext("web/0");
    assert.deepEqual(sim.call("secret-set", [dbSecret, "password=hijack"], { contextId: ctx }), { stdout: "", stderr: "", code: 0 });
    assert.throws(() => commitHook(sim.modelPath, ctx), /permission denied/);
    assert.equal(sim.model().secrets[dbSecret]?.revisions.length, 2);
  });
});
