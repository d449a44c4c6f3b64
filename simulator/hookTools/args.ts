// Argument parsing the way Juju's hook tools (gnuflag) do it: flags may be interspersed with
// positional arguments, `-x` names a one-letter flag and `--name` a longer one, `--` ends the flags.
// Parse and Init failures exit 2; failures while running the command exit 1 (juju-runtime.md §2.1).

export class ToolError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode: 1 | 2) {
    super(message);
    this.exitCode = exitCode;
  }
}

/** A flag or argument problem: `ERROR <message>`, exit 2. */
export function usageError(message: string): ToolError {
  return new ToolError(message, 2);
}

/** The command itself failed: `ERROR <message>`, exit 1. */
export function commandError(message: string): ToolError {
  return new ToolError(message, 1);
}

export interface FlagSpec {
  /** Canonical name first, then aliases (e.g. ["relation", "r"]). */
  names: string[];
  kind: "bool" | "string";
}

export interface ParsedArgs {
  /** Values by canonical name; absent when not given. The dashed form used is kept in `spelled`. */
  flags: Map<string, string | boolean>;
  spelled: Map<string, string>;
  positionals: string[];
}

export function parseArgs(argv: string[], specs: FlagSpec[]): ParsedArgs {
  const byName = new Map<string, FlagSpec>();
  for (const spec of specs) for (const name of spec.names) byName.set(name, spec);
  const parsed: ParsedArgs = { flags: new Map(), spelled: new Map(), positionals: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (arg === "--") {
      parsed.positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith("-") || arg === "-") {
      parsed.positionals.push(arg);
      continue;
    }
    const long = arg.startsWith("--");
    const body = arg.slice(long ? 2 : 1);
    const eq = body.indexOf("=");
    const name = eq >= 0 ? body.slice(0, eq) : body;
    const spec = byName.get(name);
    const spelled = `${long ? "--" : "-"}${name}`;
    // gnuflag only accepts one-letter names after a single dash and longer ones after two.
    if (!spec || (name.length === 1) === long) throw usageError(`flag provided but not defined: ${spelled}`);
    const canonical = spec.names[0] ?? name;
    let value: string | boolean;
    if (spec.kind === "bool") {
      if (eq < 0) value = true;
      else value = parseBool(body.slice(eq + 1), spelled);
    } else if (eq >= 0) {
      value = body.slice(eq + 1);
    } else {
      const next = argv[i + 1];
      if (next === undefined) throw usageError(`flag needs an argument: ${spelled}`);
      value = next;
      i++;
    }
    parsed.flags.set(canonical, value);
    parsed.spelled.set(canonical, spelled);
  }
  return parsed;
}

function parseBool(text: string, spelled: string): boolean {
  if (["1", "t", "T", "true", "TRUE", "True"].includes(text)) return true;
  if (["0", "f", "F", "false", "FALSE", "False"].includes(text)) return false;
  throw usageError(`invalid value ${JSON.stringify(text)} for option ${spelled}: strconv.ParseBool: parsing ${JSON.stringify(text)}: invalid syntax`);
}

export function stringFlag(args: ParsedArgs, name: string): string | undefined {
  const value = args.flags.get(name);
  return typeof value === "string" ? value : undefined;
}

export function boolFlag(args: ParsedArgs, name: string): boolean {
  return args.flags.get(name) === true;
}

/** Juju's cmd.CheckEmpty: leftover positional arguments are an error. */
export function checkEmpty(rest: string[]): void {
  if (rest.length > 0) throw usageError(`unrecognized args: [${rest.map((a) => JSON.stringify(a)).join(" ")}]`);
}

/** `key=value` arguments (relation-set, state-set, leader-set): the value may contain '='. */
export function parseKeyValues(args: string[]): Record<string, string> {
  const result: Record<string, string> = {};
  for (const arg of args) {
    const eq = arg.indexOf("=");
    if (eq < 1) throw usageError(`expected "key=value", got ${JSON.stringify(arg)}`);
    const key = arg.slice(0, eq);
    if (key in result) throw usageError(`key ${JSON.stringify(key)} specified more than once`);
    result[key] = arg.slice(eq + 1);
  }
  return result;
}
