// Random and hostile config values (wrong type, out of range, empty, 64 KiB, unicode, newlines, NUL) for
// every option of the example charm and of each framework, plus user-defined options of every type: the
// planner never throws, every outcome is active or a named status, and an active plan's env holds only
// strings the app can receive. Each run draws a new seed (or takes FUZZ_SEED) and prints it.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { parse as parseYaml } from "yaml";
import { FRAMEWORKS, decideWorkload, type FrameworkName, type OptionDecl } from "../../src/paas/index.ts";
import { desiredResources } from "../../src/paas/resources.ts";
import { repoRoot } from "../support/paths.ts";
import { FUZZ_ROUNDS, fuzzSeed, prng } from "../support/fuzz.ts";
import { configOf, planInput } from "./support.ts";

const exampleOptions = (parseYaml(readFileSync(join(repoRoot, "charmcraft.yaml"), "utf8")) as { config: { options: Record<string, OptionDecl> } }).config.options;
const USER_DEFINED: Record<string, OptionDecl> = {
  "user-string": { type: "string" }, "user-int": { type: "int" }, "user-float": { type: "float" }, "user-bool": { type: "boolean" }, "user-secret": { type: "secret" },
};
const HOSTILE: unknown[] = [
  "", " ", "0", "-1", "65536", "1e400", "NaN", "true", "null", "x".repeat(64 * 1024), "é\u{1F600}\uFFFF", "line\nbreak", "nul\u0000byte", "\r\n", "secret:", "secret:zzzzzzzzzzzzzzzzzzzz",
  0, -1, 1, 65535, 65536, 2 ** 53, -(2 ** 31), 1.5, Number.NaN, Number.POSITIVE_INFINITY, true, false, null, [], {},
];
const FRAMEWORK_NAMES = Object.keys(FRAMEWORKS) as FrameworkName[];

test(`${FUZZ_ROUNDS} random config sets: the planner never throws and every outcome is active or a named status`, (t) => {
  const seed = fuzzSeed();
  t.diagnostic(`config fuzz seed ${seed} (replay with FUZZ_SEED=${seed})`);
  const random = prng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  let values = 0;
  for (let round = 0; round < FUZZ_ROUNDS; round++) {
    const framework = random() < 0.5 ? "expressjs" : pick(FRAMEWORK_NAMES);
    const declarations = { ...(framework === "expressjs" ? exampleOptions : {}), ...USER_DEFINED };
    const set: Record<string, unknown> = {};
    for (const name of Object.keys(declarations)) {
      if (random() < 0.5) continue;
      set[name] = pick(HOSTILE);
      values++;
    }
    const config = configOf(declarations, set as ReturnType<typeof configOf>);
    const secretOption = typeof set["user-secret"] === "string" ? { "user-secret": random() < 0.5 ? undefined : { value: "v" } } : {};
    let decision;
    try {
      desiredResources(config);
      decision = decideWorkload(planInput(framework, { declarations, config, configSecrets: secretOption }));
    } catch (error) {
      assert.fail(`seed ${seed} round ${round} (${framework}) threw ${String(error)} for ${JSON.stringify(set).slice(0, 500)}`);
    }
    const { status } = decision;
    if (status.status === "active") {
      assert.ok(decision.workload, `seed ${seed} round ${round}: active without a workload plan`);
      for (const [name, value] of Object.entries(decision.workload.env)) {
        assert.equal(typeof value, "string", `seed ${seed} round ${round}: ${name} is not a string`);
        assert.doesNotMatch(value, /\u0000/, `seed ${seed} round ${round}: ${name} holds a NUL the environment cannot carry`);
      }
      assert.ok(decision.port >= 1 && decision.port <= 65535, `seed ${seed} round ${round}: port ${decision.port}`);
    } else {
      assert.ok(["blocked", "waiting"].includes(status.status) && status.message.length > 0, `seed ${seed} round ${round}: ${JSON.stringify(status)}`);
    }
  }
  t.diagnostic(`config fuzz: ${FUZZ_ROUNDS} rounds, ${values} values, 0 unhandled exceptions`);
});
