// A failing app is named: a service in Pebble's back-off or error state, or a ready check failing past its
// threshold, is Blocked with Pebble's reason and the service's last log lines; an app that may still come
// up is left to the caller's status.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { failingAppStatus, logTail, type FailingAppFacts } from "../../src/paas/index.ts";

const base: FailingAppFacts = { service: "expressjs", port: 8080, logLines: [] };
const check = (failures: number, lastError?: string): FailingAppFacts["check"] => ({ name: "expressjs-ready", status: "down", failures, threshold: 3, ...(lastError ? { lastError } : {}) });

describe("failingAppStatus", () => {
  const cases: Array<[string, FailingAppFacts, ReturnType<typeof failingAppStatus>]> = [
    ["a service in back-off, with its log", { ...base, serviceState: "backoff", logLines: ["starting", "PermissionError: [Errno 13] Permission denied"] }, {
      status: "blocked", message: 'The app keeps exiting: Pebble restarts service "expressjs" with back-off; last log lines: starting | PermissionError: [Errno 13] Permission denied',
    }],
    ["a service in back-off that wrote nothing", { ...base, serviceState: "backoff" }, { status: "blocked", message: 'The app keeps exiting: Pebble restarts service "expressjs" with back-off' }],
    ["a service in error", { ...base, serviceState: "error" }, { status: "blocked", message: 'The app exited: Pebble\'s service "expressjs" is in error and is not restarted' }],
    ["a check past its threshold", { ...base, serviceState: "active", check: check(4, "dial tcp 127.0.0.1:8080: connect: connection refused") }, {
      status: "blocked", message: "The app does not answer on port 8080: check expressjs-ready failed 4 times in a row (threshold 3): dial tcp 127.0.0.1:8080: connect: connection refused",
    }],
    ["a check down at its threshold may still recover", { ...base, serviceState: "active", check: check(3) }, undefined],
    ["a check down after one refreshed run", { ...base, serviceState: "active", check: check(1) }, undefined],
    ["a running service with a passing check", { ...base, serviceState: "active", check: { name: "expressjs-ready", status: "up", failures: 0, threshold: 3 } }, undefined],
  ];
  for (const [name, facts, expected] of cases) it(name, () => assert.deepEqual(failingAppStatus(facts), expected));
});

describe("logTail", () => {
  it("keeps the last three non-empty lines, each cut to 160 characters", () => {
    assert.equal(logTail(["a", "", "b", "c", "d"]), "; last log lines: b | c | d");
    const long = logTail(["y".repeat(500)]);
    assert.equal(long.length, "; last log lines: ".length + 160);
    assert.equal(logTail([]), "");
  });
});
