// juju's command-line conventions (gnuflag): `--flag value`, `--flag=value`, short aliases, flags
// anywhere among the arguments unless the command stops at its first positional, `--` ends flags.
export class UsageError extends Error {}

export interface FlagSpec {
  /** "bool" takes no value; "string" keeps the last; "list" keeps every occurrence. */
  kind: "bool" | "string" | "list";
  aliases?: string[];
}

export interface ParsedArgs {
  flags: Record<string, string | boolean | string[]>;
  positionals: string[];
}

/** Every command takes these (jubilant inserts `--model m` right after the command name). */
export const COMMON: Record<string, FlagSpec> = {
  model: { kind: "string", aliases: ["m"] },
  format: { kind: "string" },
  "no-prompt": { kind: "bool", aliases: ["y", "yes"] },
};

export function parseArgs(argv: string[], spec: Record<string, FlagSpec>, options: { interspersed?: boolean } = {}): ParsedArgs {
  const all = { ...COMMON, ...spec };
  const byName = new Map<string, [string, FlagSpec]>();
  for (const [name, flag] of Object.entries(all)) {
    byName.set(name, [name, flag]);
    for (const alias of flag.aliases ?? []) byName.set(alias, [name, flag]);
  }
  const parsed: ParsedArgs = { flags: {}, positionals: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") {
      parsed.positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith("-") || arg === "-" || (options.interspersed === false && parsed.positionals.length > 0)) {
      if (options.interspersed === false && parsed.positionals.length > 0) {
        parsed.positionals.push(...argv.slice(i));
        break;
      }
      parsed.positionals.push(arg);
      continue;
    }
    const body = arg.replace(/^--?/, "");
    const eq = body.indexOf("=");
    const key = eq >= 0 ? body.slice(0, eq) : body;
    const entry = byName.get(key);
    if (!entry) throw new UsageError(`option provided but not defined: ${arg.startsWith("--") ? "--" : "-"}${key}`);
    const [name, flag] = entry;
    if (flag.kind === "bool") {
      parsed.flags[name] = eq >= 0 ? body.slice(eq + 1) !== "false" : true;
      continue;
    }
    let value: string;
    if (eq >= 0) value = body.slice(eq + 1);
    else {
      if (i + 1 >= argv.length) throw new UsageError(`flag needs an argument: ${arg}`);
      value = argv[++i]!;
    }
    if (flag.kind === "list") parsed.flags[name] = [...((parsed.flags[name] as string[] | undefined) ?? []), value];
    else parsed.flags[name] = value;
  }
  return parsed;
}

export function stringFlag(args: ParsedArgs, name: string): string | undefined {
  const value = args.flags[name];
  return typeof value === "string" ? value : undefined;
}

export function listFlag(args: ParsedArgs, name: string): string[] {
  const value = args.flags[name];
  return Array.isArray(value) ? value : [];
}

export function boolFlag(args: ParsedArgs, name: string): boolean {
  return args.flags[name] === true;
}

/** `k=v` words into a map; a word without `=` is a usage error naming what was expected. */
export function keyValues(words: string[], what: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const word of words) {
    const eq = word.indexOf("=");
    if (eq <= 0) throw new UsageError(`expected "key=value" for ${what}, got "${word}"`);
    result[word.slice(0, eq)] = word.slice(eq + 1);
  }
  return result;
}
