// Reads a charm's metadata.yaml, config.yaml and actions.yaml (as packed into a .charm) into the
// simulator's CharmMeta, the way Juju reads them on deploy.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import type { CharmMeta, ConfigOptionMeta, EndpointMeta, ActionMeta, RelationRole } from "./model.ts";

interface MetadataYaml {
  name: string;
  containers?: Record<string, unknown>;
  peers?: Record<string, { interface: string; limit?: number }>;
  requires?: Record<string, { interface: string; limit?: number; scope?: "global" | "container" }>;
  provides?: Record<string, { interface: string; limit?: number; scope?: "global" | "container" }>;
  "extra-bindings"?: Record<string, unknown>;
}

export function charmMetaFromDir(charmDir: string): CharmMeta {
  const metadata = readYaml<MetadataYaml>(join(charmDir, "metadata.yaml"));
  if (!metadata?.name) throw new Error(`${charmDir}/metadata.yaml is missing or has no name`);
  const endpoints: Record<string, EndpointMeta> = {};
  const roles: Array<[RelationRole, keyof MetadataYaml]> = [["peers", "peers"], ["requires", "requires"], ["provides", "provides"]];
  for (const [role, key] of roles) {
    const declared = (metadata[key] ?? {}) as Record<string, { interface: string; limit?: number; scope?: "global" | "container" }>;
    for (const [name, spec] of Object.entries(declared)) {
      endpoints[name] = { role, interface: spec.interface, ...(spec.limit !== undefined ? { limit: spec.limit } : {}), ...(spec.scope ? { scope: spec.scope } : {}) };
    }
  }
  const config = readYaml<{ options?: Record<string, ConfigOptionMeta> }>(join(charmDir, "config.yaml"))?.options ?? {};
  const actionsYaml = readYaml<Record<string, { description?: string; params?: ActionMeta["params"]; required?: string[] }>>(join(charmDir, "actions.yaml")) ?? {};
  const actions: Record<string, ActionMeta> = {};
  for (const [name, spec] of Object.entries(actionsYaml)) {
    actions[name] = { description: spec.description, params: spec.params ?? {}, ...(spec.required ? { required: spec.required } : {}) };
  }
  return { name: metadata.name, endpoints, extraBindings: Object.keys(metadata["extra-bindings"] ?? {}), config, actions };
}

/** The workload containers a charm declares (one Pebble per container per unit). */
export function charmContainers(charmDir: string): string[] {
  return Object.keys(readYaml<MetadataYaml>(join(charmDir, "metadata.yaml"))?.containers ?? {});
}

function readYaml<T>(path: string): T | undefined {
  return existsSync(path) ? (parse(readFileSync(path, "utf8")) as T) : undefined;
}
