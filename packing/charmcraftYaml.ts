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

/** PyYAML-like output (sorted keys, unindented sequences, single quotes); lines are not folded. */
function dump(value: unknown, sortKeys = true): string {
  return stringify(value, {
    sortMapEntries: sortKeys, lineWidth: 0, indentSeq: false, singleQuote: true, blockQuote: "literal",
    aliasDuplicateObjects: false,
  });
}
