// The suite-wide secret audit (simulator/hookTools/secretAudit.ts) finds a secret value in any argv, committed
// or pending in the hook, and names the secret without its value.
import { test } from "node:test";
import assert from "node:assert/strict";
import { findLeaks } from "../../simulator/hookTools/secretAudit.ts";
import { addSecret, newModel } from "../../simulator/modelBuilder.ts";

const model = newModel({ name: "audit" });
const id = addSecret(model, { owner: { kind: "application", name: "db" }, content: { password: "hunter2-correct-horse", tls: "False" } });

test("a committed secret value inside an argument is a leak, named by secret and key only", () => {
  const leaks = findLeaks("juju-log", "web/0", ["--log-level", "INFO", "connecting with hunter2-correct-horse"], model, { unit: "web/0", ops: [] });
  assert.deepEqual(leaks, [{ tool: "juju-log", unit: "web/0", secret: id, key: "password" }]);
  assert.ok(!JSON.stringify(leaks).includes("hunter2"));
});

test("short values and argv without secrets are not leaks", () => {
  assert.deepEqual(findLeaks("status-set", "web/0", ["active", "tls False"], model, { unit: "web/0", ops: [] }), []);
});

test("content pending in the hook (secret-set) counts too", () => {
  const journal = { unit: "web/0", ops: [{ op: "secret-set" as const, unit: "web/0", id, content: { value: "rotated-key-0123456789" } }] };
  assert.deepEqual(findLeaks("relation-set", "web/0", ["-r", "3", "key=rotated-key-0123456789"], model, journal), [{ tool: "relation-set", unit: "web/0", secret: id, key: "value" }]);
});
