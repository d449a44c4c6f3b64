// The generated secret key (paas-charm 2.0: a Juju secret labelled app-secret-key holding `value`).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { decideRotation, decideSecretKey, generateSecretKey, type SecretKeyObservation } from "../../src/paas/index.ts";

describe("generateSecretKey", () => {
  it("is 86 characters of base64url from 64 random bytes, like token_urlsafe(64)", () => {
    const keys = new Set(Array.from({ length: 20 }, () => generateSecretKey()));
    assert.equal(keys.size, 20);
    for (const key of keys) assert.match(key, /^[A-Za-z0-9_-]{86}$/);
  });

  it("encodes the injected bytes", () => {
    const key = generateSecretKey((size) => new Uint8Array(size).fill(0xff));
    assert.equal(key, "_".repeat(85) + "w");
  });
});

describe("decideSecretKey", () => {
  const generate = () => "generated";
  const cases: Array<{ name: string; observed: SecretKeyObservation; expected: ReturnType<typeof decideSecretKey> }> = [
    { name: "existing secret, leader", observed: { leader: true, secretContent: { value: "k" } }, expected: { key: "k" } },
    { name: "existing secret, non-leader", observed: { leader: false, secretContent: { value: "k" } }, expected: { key: "k" } },
    { name: "existing secret wins over a legacy peer key", observed: { leader: true, secretContent: { value: "k" }, legacyPeerValue: "old" }, expected: { key: "k" } },
    { name: "no secret, leader generates and creates", observed: { leader: true }, expected: { key: "generated", write: { action: "create", value: "generated" } } },
    { name: "no secret, leader adopts the Python charm's peer key", observed: { leader: true, legacyPeerValue: "old" }, expected: { key: "old", write: { action: "create", value: "old" } } },
    { name: "no secret, non-leader waits", observed: { leader: false, legacyPeerValue: "old" }, expected: {} },
    { name: "secret without value, leader repairs it", observed: { leader: true, secretContent: {} }, expected: { key: "generated", write: { action: "set-content", value: "generated" } } },
    { name: "secret without value, non-leader waits", observed: { leader: false, secretContent: { value: "" } }, expected: {} },
  ];
  for (const { name, observed, expected } of cases) it(name, () => assert.deepEqual(decideSecretKey(observed, generate), expected));
});

describe("decideRotation (rotate-secret-key)", () => {
  const generate = () => "new";
  it("a non-leader is refused", () => assert.deepEqual(decideRotation({ leader: false, secretContent: { value: "k" } }, generate), { fail: "only leader unit can rotate secret key" }));
  it("before the secret exists it is refused", () => assert.deepEqual(decideRotation({ leader: true }, generate), { fail: "charm is still initializing" }));
  it("the leader replaces the value", () => assert.deepEqual(decideRotation({ leader: true, secretContent: { value: "k" } }, generate), { key: "new", write: { action: "set-content", value: "new" } }));
});
