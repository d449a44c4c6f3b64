// Argument parsing the way Juju's hook tools do it (juju/gnuflag, run by juju/cmd's Main with the
// flags known as "option"): flags may be interspersed with positional arguments and `--` ends them.
// Parse and Init failures exit 2; failures while running the command exit 1.

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

/**
 * gnuflag's parse, as every hook tool runs it: `--name[=value]` and `-x[value]` both look the name up
 * among all of the command's flags (so `--r 3` and `-r3` work), a run of one-letter flags may share
 * one dash (`-ab`), and an error names the flag with one dash for one letter, two for more.
 */
export function parseArgs(argv: string[], specs: FlagSpec[]): ParsedArgs {
  const byName = new Map<string, FlagSpec>();
  for (const spec of specs) for (const name of spec.names) byName.set(name, spec);
  const parsed: ParsedArgs = { flags: new Map(), spelled: new Map(), positionals: [] };
  let i = 0;
  while (i < argv.length) {
    const arg = argv[i++] ?? "";
    if (arg === "--") {
      parsed.positionals.push(...argv.slice(i));
      break;
    }
    if (arg === "" || arg === "-" || !arg.startsWith("-")) {
      parsed.positionals.push(arg);
      continue;
    }
    if (arg.startsWith("--")) {
      const eq = arg.indexOf("=");
      const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      if (eq >= 0 && name === "") throw usageError(`empty option in argument ${JSON.stringify(arg)}`);
      i = setFlag(parsed, byName, name, eq < 0 ? undefined : arg.slice(eq + 1), argv, i);
      continue;
    }
    // Single dash: one-letter flags; what follows a flag that takes a value is its value, "=" included.
    let rest = arg.slice(1);
    while (rest !== "") {
      const name = String.fromCodePoint(rest.codePointAt(0) ?? 0);
      rest = rest.slice(name.length);
      const spec = byName.get(name);
      const attached = spec?.kind === "bool" && !rest.startsWith("=") ? undefined : rest || undefined;
      i = setFlag(parsed, byName, name, attached, argv, i);
      if (attached !== undefined) rest = "";
    }
  }
  return parsed;
}

/** gnuflag's flagWithMinus: `-x` for a one-letter name, `--name` otherwise. */
function flagWithMinus(name: string): string {
  return name.length > 1 ? `--${name}` : `-${name}`;
}

/** Sets one flag from its attached value or the next argument; returns the index of the next argument. */
function setFlag(parsed: ParsedArgs, byName: Map<string, FlagSpec>, name: string, attached: string | undefined, argv: string[], next: number): number {
  const spec = byName.get(name);
  const spelled = flagWithMinus(name);
  if (!spec) throw usageError(`option provided but not defined: ${spelled}`);
  const canonical = spec.names[0] ?? name;
  let value: string | boolean;
  let index = next;
  if (spec.kind === "bool") {
    value = attached === undefined ? true : parseBool(attached, spelled);
  } else if (attached !== undefined) {
    value = attached;
  } else {
    const following = argv[index];
    if (following === undefined) throw usageError(`option needs an argument: ${spelled}`);
    value = following;
    index++;
  }
  parsed.flags.set(canonical, value);
  parsed.spelled.set(canonical, spelled);
  return index;
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

/**
 * `key=value` arguments (relation-set, state-set, leader-set) as juju/utils keyvalues.Parse reads
 * them: empty arguments are skipped, key and value are trimmed of blank space, the value may hold '='.
 */
export function parseKeyValues(args: string[]): Record<string, string> {
  const result: Record<string, string> = {};
  for (const arg of args) {
    if (arg === "") continue;
    const eq = arg.indexOf("=");
    if (eq < 0) throw usageError(`expected "key=value", got ${JSON.stringify(arg)}`);
    const key = arg.slice(0, eq).trim();
    const value = arg.slice(eq + 1).trim();
    if (key === "") throw usageError(`expected "key=value", got "${key}=${value}"`);
    if (Object.hasOwn(result, key)) throw usageError(`key ${JSON.stringify(key)} specified more than once`);
    result[key] = value;
  }
  return result;
}
