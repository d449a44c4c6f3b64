// When the charm reads its pod: only when Pebble shows a problem the pod may explain.
import { test } from "node:test";
import assert from "node:assert/strict";
import { workloadInTrouble } from "../../src/observeKubernetes.ts";

const checks = (...statuses: string[]) => ({ reachable: true as const, checks: statuses.map((status) => ({ status })) });

test("a reachable Pebble with every check up, or none yet, is no reason to read the pod", () => {
  assert.equal(workloadInTrouble(checks("up", "up"), false), false);
  assert.equal(workloadInTrouble(checks(), false), false);
  assert.equal(workloadInTrouble(checks("up", "inactive"), false), false);
});

test("an unreachable Pebble or a check down is", () => {
  assert.equal(workloadInTrouble({ reachable: false }, false), true);
  assert.equal(workloadInTrouble({ reachable: false }, true), true);
  assert.equal(workloadInTrouble(checks("up", "down"), false), true);
});

test("a check down because the charm stopped the services itself is not", () => {
  assert.equal(workloadInTrouble(checks("down"), true), false);
});
