// The simulator's `juju`: juju 3.6's commands and argument forms (jubilant's too), answered by the
// simulated controller of $JUJU_SIM_HOME (started on demand). Errors print as `ERROR <message>` with
// exit code 1; usage errors exit 2, as juju's do.
import { JujuError } from "../controller/errors.ts";
import { simHome } from "../controller/home.ts";
import { UsageError } from "./args.ts";
import { COMMANDS, runCommand } from "./commands.ts";

// A reader that stops early (`juju debug-log | head`) closes the pipe: juju dies of SIGPIPE without a word.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(141);
  throw error;
});

async function main(argv: string[]): Promise<number> {
  const [first, ...others] = argv;
  if (!first || first === "--help" || first === "-h" || (first === "help" && others.length === 0)) {
    process.stdout.write(`Usage: juju [help] <command> [options] ...\n\nThe Juju simulator answers these juju 3.6 commands (docs/simulator-cli.md says how fully):\n${Object.keys(COMMANDS).sort().map((c) => `  ${c}`).join("\n")}\n\nSee "juju <command> --help" for one command.\n`);
    return 0;
  }
  // `juju help <command>` is `juju <command> --help`.
  const [name, rest] = first === "help" ? [others[0]!, ["--help"]] : [first, others];
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
