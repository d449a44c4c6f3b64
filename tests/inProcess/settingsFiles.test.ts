// A charm whose settings files are wrong: every hook succeeds, the unit is Blocked naming the file and the
// key, and an action fails with the same words (paas-charm fails every hook instead).
import { test } from "node:test";
import assert from "node:assert/strict";
import { charmDir, inProcessHarness } from "../support/inProcessCharm.ts";

const harness = inProcessHarness();
const { simulation } = harness;
const MESSAGE = "Invalid paas-config.yaml: framework_logging_format json is not supported for the expressjs framework (only django, fastapi, flask)";
const charm = charmDir({ "paas-config.yaml": () => "framework_logging_format: json\n" });

test("json logging on ExpressJS: Blocked naming the key, no hook error", async () => {
  await simulation.deployCharm("example-app", charm);
  assert.deepEqual(harness.status("example-app/0"), { status: "blocked", message: MESSAGE });
  assert.equal(simulation.model().applications["example-app"]!.status.message, MESSAGE);
  const failed = simulation.history.filter((entry) => entry.result && entry.result.exitCode !== 0);
  assert.deepEqual(failed.map((entry) => entry.event), []);
  const logs = simulation.model().units["example-app/0"]!.logs.map((log) => log.message);
  assert.ok(logs.includes(`${MESSAGE}: fix the file and refresh the charm`), logs.join("\n"));
});

test("an action on that charm fails with the same message", async () => {
  const id = await simulation.runAction("example-app/0", "rotate-secret-key");
  const run = simulation.model().actions[id]!;
  assert.equal(run.status, "failed");
  assert.equal(run.message, MESSAGE);
});

test("a charm with no framework anywhere names runtime.yaml's key", async () => {
  const bare = charmDir({ "runtime.yaml": () => "" });
  await simulation.deployCharm("bare-app", bare);
  assert.deepEqual(harness.status("bare-app/0"), {
    status: "blocked",
    message: "Invalid runtime.yaml: framework must be one of flask, django, fastapi, go, expressjs, spring-boot (got null)",
  });
});
