// Turns charmcraft.yaml into the files charmcraft 4.5 writes into a .charm: metadata.yaml,
// config.yaml, actions.yaml and manifest.yaml (juju-runtime.md §5.2), keys sorted as PyYAML does.
import { parse, stringify, Scalar } from "yaml";

export type Architecture = "amd64" | "arm64";

const METADATA_KEYS = [
  "assumes", "charm-user", "containers", "description", "devices", "extra-bindings", "name", "peers",
  "provides", "requires", "resources", "storage", "subordinate", "summary", "terms",
] as const;
const LINK_KEYS: Record<string, string> = { documentation: "docs", issues: "issues", source: "source", website: "website", contact: "maintainers" };

export interface CharmFiles {
  name: string;
  files: Record<string, string>;
}

export function charmFiles(charmcraftYaml: string, arch: Architecture, startedAt = new Date()): CharmFiles {
  const project = parse(charmcraftYaml) as Record<string, unknown>;
  const name = requireString(project, "name");
  const metadata: Record<string, unknown> = {};
  for (const key of METADATA_KEYS) if (project[key] !== undefined) metadata[key] = project[key];
  if (typeof project.title === "string") metadata["display-name"] = project.title;
  const links = (project.links ?? {}) as Record<string, unknown>;
  for (const [from, to] of Object.entries(LINK_KEYS)) if (links[from] !== undefined) metadata[to] = links[from];

  const files: Record<string, string> = { "metadata.yaml": dump(metadata) };
  if (project.config !== undefined) files["config.yaml"] = dump(project.config);
  if (project.actions !== undefined) files["actions.yaml"] = dump(project.actions);
  files["manifest.yaml"] = dump({
    "charmcraft-version": "4.5.0",
    "charmcraft-started-at": quoted(startedAt.toISOString().replace("Z", "").replace(/\.(\d{3})$/, ".$1000")),
    bases: [{ name: "ubuntu", channel: baseChannel(requireString(project, "base")), architectures: [arch] }],
    analysis: { attributes: [{ name: "language", result: "unknown" }, { name: "framework", result: "unknown" }] },
  }, false);
  return { name, files };
}

/** The files the charm part primes (charmcraft.yaml `parts.charm.prime`). */
export function primedFiles(charmcraftYaml: string): string[] {
  const project = parse(charmcraftYaml) as { parts?: { charm?: { prime?: string[] } } };
  const prime = project.parts?.charm?.prime;
  if (!prime?.length) throw new Error("charmcraft.yaml: parts.charm.prime must list the files the charm ships");
  return prime;
}

function baseChannel(base: string): string {
  const match = /^ubuntu@(\d+\.\d+)$/.exec(base);
  if (!match) throw new Error(`charmcraft.yaml: base ${JSON.stringify(base)} is not of the form ubuntu@YY.MM`);
  return match[1]!;
}

function requireString(project: Record<string, unknown>, key: string): string {
  const value = project[key];
  if (typeof value !== "string" || !value) throw new Error(`charmcraft.yaml: ${key} is required`);
  return value;
}

/** charmcraft writes this timestamp as a quoted string, so YAML 1.1 readers do not take it for a date. */
function quoted(text: string): Scalar {
  const scalar = new Scalar(text);
  scalar.type = Scalar.QUOTE_SINGLE;
  return scalar;
}

/** PyYAML's output (sorted keys, unindented sequences, single quotes, its line folding). */
function dump(value: unknown, sortKeys = true): string {
  const text = stringify(value, {
    sortMapEntries: sortKeys, lineWidth: 0, indentSeq: false, singleQuote: true, blockQuote: "literal",
    aliasDuplicateObjects: false,
  });
  return foldLikePyYaml(text);
}

/** PyYAML's `best_width`: a line is broken at the first single space after this column. */
const BEST_WIDTH = 80;

/**
 * PyYAML folds plain and single-quoted scalars differently from the `yaml` package: it writes a word, and
 * at the next single space breaks the line if the column is already past 80 (so lines may run longer),
 * continuing two columns past where the scalar's key (or `- `) starts. Block scalars are left alone.
 */
export function foldLikePyYaml(text: string): string {
  const out: string[] = [];
  let blockParentIndent = -1;
  for (const line of text.split("\n")) {
    const indent = line.length - line.trimStart().length;
    if (blockParentIndent >= 0 && (line.trim() === "" || indent > blockParentIndent)) {
      out.push(line);
      continue;
    }
    blockParentIndent = -1;
    const match = /^((?: *- )*)( *)((?:[^\s'"#:-][^:]*?): )?(.*)$/.exec(line);
    if (!match) {
      out.push(line);
      continue;
    }
    const [, dashes = "", spaces = "", key = "", value = ""] = match;
    const nodeStart = dashes.length + spaces.length - (key ? 0 : 2);
    if (/^[|>][-+0-9]*$/.test(value)) {
      blockParentIndent = nodeStart;
      out.push(line);
      continue;
    }
    const quoted = value.startsWith("'");
    const foldable = value !== "" && (quoted || !/^[|>[{"&*!]/.test(value));
    out.push(foldable && line.length > BEST_WIDTH ? foldScalar(line, line.length - value.length, nodeStart + 2, quoted) : line);
  }
  return out.join("\n");
}

/** PyYAML's write_plain/write_single_quoted: break at a lone space once past BEST_WIDTH. */
function foldScalar(line: string, valueStart: number, continuation: number, quoted: boolean): string {
  let result = line.slice(0, valueStart);
  let column = valueStart;
  const value = line.slice(valueStart);
  let at = 0;
  while (at < value.length) {
    let end = at;
    if (value[at] === " ") {
      while (value[end] === " ") end++;
      const inside = !quoted || (at > 1 && end < value.length - 1);
      if (end === at + 1 && column > BEST_WIDTH && inside) {
        result += "\n" + " ".repeat(continuation);
        column = continuation;
        at = end;
        continue;
      }
    } else {
      while (end < value.length && value[end] !== " ") end++;
    }
    result += value.slice(at, end);
    column += end - at;
    at = end;
  }
  return result;
}
