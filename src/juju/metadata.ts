// The charm's own description, read from the files charmcraft writes into the .charm: metadata.yaml
// (required), config.yaml and actions.yaml (optional).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

export type RelationRole = "peer" | "requires" | "provides";

export interface RelationEndpointMeta {
  name: string;
  role: RelationRole;
  interface: string;
  limit: number | undefined;
  /** charmcraft's `optional` (default false): whether the charm works without this relation. */
  optional: boolean;
  scope: "global" | "container";
}

export interface ContainerMeta {
  name: string;
  resource: string | undefined;
  mounts: { storage: string; location: string | undefined }[];
}

export interface ResourceMeta {
  name: string;
  type: string;
  description: string | undefined;
  filename: string | undefined;
}

export interface StorageMeta {
  name: string;
  type: string;
  location: string | undefined;
}

export interface CharmMetadata {
  name: string;
  containers: Record<string, ContainerMeta>;
  resources: Record<string, ResourceMeta>;
  storage: Record<string, StorageMeta>;
  /** Every relation endpoint (peers, requires, provides) by name. */
  relations: Record<string, RelationEndpointMeta>;
  extraBindings: string[];
}

export type ConfigType = "string" | "int" | "float" | "boolean" | "secret";

export interface ConfigOptionMeta {
  name: string;
  type: ConfigType;
  default: string | number | boolean | undefined;
  description: string | undefined;
  /** paas-charm's `optional: false` marks an option the app cannot start without (default true). */
  optional: boolean;
}

export interface ActionMeta {
  name: string;
  description: string | undefined;
  /** JSON schema of each parameter, as written in actions.yaml. */
  params: Record<string, Record<string, unknown>>;
  required: string[];
  additionalProperties: boolean;
}

export interface CharmMeta {
  metadata: CharmMetadata;
  config: Record<string, ConfigOptionMeta>;
  actions: Record<string, ActionMeta>;
}

export class CharmMetadataError extends Error {
  override name = "CharmMetadataError";
}

const CONFIG_TYPES: readonly ConfigType[] = ["string", "int", "float", "boolean", "secret"];

/** Loads metadata.yaml, config.yaml and actions.yaml from the charm directory. */
export async function loadCharmMeta(charmDir: string): Promise<CharmMeta> {
  const [metadata, config, actions] = await Promise.all([
    readYaml(charmDir, "metadata.yaml", true),
    readYaml(charmDir, "config.yaml", false),
    readYaml(charmDir, "actions.yaml", false),
  ]);
  return { metadata: parseMetadata(metadata), config: parseConfig(config), actions: parseActions(actions) };
}

type YamlMap = Record<string, unknown>;

async function readYaml(charmDir: string, file: string, required: boolean): Promise<YamlMap> {
  const path = join(charmDir, file);
  let text: string;
  try {
    // Synchronous: three small files, and node:fs/promises (with what it loads) costs more than the reads.
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT" && !required) return {};
    throw new CharmMetadataError(`cannot read ${path}: ${(error as Error).message}; is JUJU_CHARM_DIR the unpacked charm?`);
  }
  const value: unknown = parse(text);
  if (value === null || value === undefined) return {};
  if (typeof value !== "object" || Array.isArray(value)) throw new CharmMetadataError(`${path} must hold a YAML mapping`);
  return value as YamlMap;
}

export function parseMetadata(yaml: YamlMap): CharmMetadata {
  if (typeof yaml.name !== "string" || !yaml.name) throw new CharmMetadataError("metadata.yaml: name is required");
  const relations: Record<string, RelationEndpointMeta> = {};
  for (const [section, role] of [["peers", "peer"], ["requires", "requires"], ["provides", "provides"]] as const) {
    for (const [name, spec] of entries(yaml[section], `metadata.yaml: ${section}`)) {
      if (typeof spec.interface !== "string") throw new CharmMetadataError(`metadata.yaml: ${section}.${name}.interface is required`);
      relations[name] = {
        name,
        role,
        interface: spec.interface,
        limit: typeof spec.limit === "number" ? spec.limit : undefined,
        optional: spec.optional === true,
        scope: spec.scope === "container" ? "container" : "global",
      };
    }
  }
  const containers: Record<string, ContainerMeta> = {};
  for (const [name, spec] of entries(yaml.containers, "metadata.yaml: containers")) {
    const mounts = Array.isArray(spec.mounts) ? (spec.mounts as YamlMap[]) : [];
    containers[name] = {
      name,
      resource: stringOrUndefined(spec.resource),
      mounts: mounts.map((mount) => ({ storage: String(mount.storage), location: stringOrUndefined(mount.location) })),
    };
  }
  const resources: Record<string, ResourceMeta> = {};
  for (const [name, spec] of entries(yaml.resources, "metadata.yaml: resources")) {
    resources[name] = {
      name,
      type: stringOrUndefined(spec.type) ?? "file",
      description: stringOrUndefined(spec.description),
      filename: stringOrUndefined(spec.filename),
    };
  }
  const storage: Record<string, StorageMeta> = {};
  for (const [name, spec] of entries(yaml.storage, "metadata.yaml: storage")) {
    storage[name] = { name, type: stringOrUndefined(spec.type) ?? "filesystem", location: stringOrUndefined(spec.location) };
  }
  const extraBindings = yaml["extra-bindings"] && typeof yaml["extra-bindings"] === "object" ? Object.keys(yaml["extra-bindings"]) : [];
  return { name: yaml.name, containers, resources, storage, relations, extraBindings };
}

export function parseConfig(yaml: YamlMap): Record<string, ConfigOptionMeta> {
  const options: Record<string, ConfigOptionMeta> = {};
  for (const [name, spec] of entries(yaml.options, "config.yaml: options")) {
    const type = spec.type ?? "string";
    if (!CONFIG_TYPES.includes(type as ConfigType)) {
      throw new CharmMetadataError(`config.yaml: option ${name} has type ${JSON.stringify(type)}; expected one of ${CONFIG_TYPES.join(", ")}`);
    }
    const fallback = spec.default;
    options[name] = {
      name,
      type: type as ConfigType,
      default: typeof fallback === "string" || typeof fallback === "number" || typeof fallback === "boolean" ? fallback : undefined,
      description: stringOrUndefined(spec.description),
      optional: spec.optional !== false,
    };
  }
  return options;
}

export function parseActions(yaml: YamlMap): Record<string, ActionMeta> {
  const actions: Record<string, ActionMeta> = {};
  for (const [name, spec] of entries(yaml, "actions.yaml")) {
    const params: Record<string, Record<string, unknown>> = {};
    for (const [param, schema] of entries(spec.params, `actions.yaml: ${name}.params`)) params[param] = schema;
    actions[name] = {
      name,
      description: stringOrUndefined(spec.description),
      params,
      required: Array.isArray(spec.required) ? spec.required.map(String) : [],
      additionalProperties: spec.additionalProperties !== false,
    };
  }
  return actions;
}

/** The entries of an optional YAML mapping whose values are mappings (a null value counts as empty). */
function entries(value: unknown, where: string): [string, YamlMap][] {
  if (value === undefined || value === null) return [];
  if (typeof value !== "object" || Array.isArray(value)) throw new CharmMetadataError(`${where} must be a mapping`);
  return Object.entries(value as YamlMap).map(([key, spec]) => {
    if (spec === null || spec === undefined) return [key, {}];
    if (typeof spec !== "object" || Array.isArray(spec)) throw new CharmMetadataError(`${where}.${key} must be a mapping`);
    return [key, spec as YamlMap];
  });
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}
