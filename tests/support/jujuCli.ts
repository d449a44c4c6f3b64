// The simulator's `juju` (bin/juju) as a user runs it: a process per command, against the controller of
// its own JUJU_SIM_HOME.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { repoRoot } from "./paths.ts";

export interface JujuCli {
  run(...args: string[]): { code: number; stdout: string; stderr: string };
  /** The command's stdout; throws with its stderr when it fails. */
  ok(...args: string[]): string;
  /** `juju status --format json` of `model`. */
  status(model: string): any;
  /** Stops the controller the commands started. */
  kill(): void;
}

export function jujuCli(home: string, cwd: string, env: Record<string, string> = {}): JujuCli {
  const cli: JujuCli = {
    run(...args) {
      const result = spawnSync(join(repoRoot, "bin", "juju"), args, {
        cwd, env: { ...process.env, JUJU_SIM_HOME: home, JUJU_MODEL: "", ...env }, encoding: "utf8", timeout: 300_000,
      });
      return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
    },
    ok(...args) {
      const result = cli.run(...args);
      if (result.code !== 0) throw new Error(`juju ${args.join(" ")} exited ${result.code}: ${result.stderr}`);
      return result.stdout;
    },
    status(model) {
      return JSON.parse(cli.ok("status", "--model", model, "--format", "json"));
    },
    kill() {
      cli.run("kill-controller", "--no-prompt");
    },
  };
  return cli;
}
