// The simulator's `juju`: juju 3.6's commands and argument forms (jubilant's too), answered by the
// simulated controller of $JUJU_SIM_HOME (started on demand). Errors print as `ERROR <message>` with
// exit code 1; usage errors exit 2, as juju's do.
import { JujuError } from "../controller/errors.ts";
import { simHome } from "../controller/home.ts";
import { UsageError } from "./args.ts";
import { runCommand } from "./commands.ts";

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "help") {
    process.stdout.write("Usage: juju <command> [flags] ...\nThe juju-sim simulator answers the juju 3.6 commands charm tests use; see docs/simulator-cli.md.\n");
    return 0;
  }
  const io = {
    home: simHome(),
    cwd: process.cwd(),
    env: process.env,
    out: (text: string) => void process.stdout.write(text),
    err: (text: string) => void process.stderr.write(text),
  };
  try {
    return await runCommand(name === "--version" ? "version" : name, rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`ERROR ${error.message}\n`);
      return 2;
    }
    if (error instanceof JujuError) {
      process.stderr.write(`ERROR ${error.message}\n`);
      return 1;
    }
    process.stderr.write(`ERROR ${(error as Error).message}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
