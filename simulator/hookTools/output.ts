// Juju's output formatters (juju/cmd output.go): `--format=json` prints one JSON value and a newline
// (`null` for nothing); the default `smart` format prints strings bare, lists one item per line, maps
// as YAML, and nothing at all for nil, an empty string or an empty list.
import { stringify } from "yaml";
import type { FlagSpec, ParsedArgs } from "./args.ts";
import { stringFlag, usageError } from "./args.ts";

export type Format = "json" | "yaml" | "smart";

export const formatFlag: FlagSpec = { names: ["format"], kind: "string" };

/** Reads --format; `allowed` lists the formats this tool offers, the first being its default. */
export function chosenFormat(args: ParsedArgs, allowed: Format[] = ["smart", "json", "yaml"]): Format {
  const value = stringFlag(args, "format") ?? allowed[0] ?? "smart";
  if (!(allowed as string[]).includes(value)) throw usageError(`invalid value ${JSON.stringify(value)} for option --format: unknown format ${JSON.stringify(value)}`);
  return value as Format;
}

export function formatValue(value: unknown, format: Format): string {
  if (format === "json") return `${JSON.stringify(value ?? null)}\n`;
  if (format === "yaml") return value === null || value === undefined ? "" : stringify(value);
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value === "" ? "" : `${value}\n`;
  if (typeof value === "boolean") return value ? "True\n" : "False\n";
  if (typeof value === "number") return `${value}\n`;
  if (Array.isArray(value) && value.every((v) => typeof v === "string")) return value.length ? `${value.join("\n")}\n` : "";
  return stringify(value);
}

/**
 * juju-log, open-port, close-port and relation-set still take --format but ignore it, saying so on
 * stderr (without a newline) while succeeding.
 */
export function deprecatedFormatWarning(args: ParsedArgs, tool: string): void {
  if (stringFlag(args, "format")) process.stderr.write(`--format flag deprecated for command ${JSON.stringify(tool)}`);
}
