// Runs the simulator's `juju` as a user does: a process per command, against the controller of `home`.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { repoRoot } from "../support/paths.ts";

export interface JujuResult { code: number; stdout: string; stderr: string }

export function jujuCli(home: string, cwd: string, timeoutMs = 180_000) {
  const juju = (...args: string[]): JujuResult => {
    const result = spawnSync(join(repoRoot, "bin", "juju"), args, { cwd, env: { ...process.env, JUJU_SIM_HOME: home, JUJU_MODEL: "" }, encoding: "utf8", timeout: timeoutMs });
    return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
  };
  /** The command's stdout; the test fails with juju's stderr when it exits non-zero. */
  const ok = (...args: string[]): string => {
    const result = juju(...args);
    assert.equal(result.code, 0, `juju ${args.join(" ")} exited ${result.code}: ${result.stderr}`);
    return result.stdout;
  };
  const json = (...args: string[]): any => JSON.parse(ok(...args));
  return { juju, ok, json };
}
