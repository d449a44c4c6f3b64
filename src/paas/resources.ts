// The workload container's compute resources from the `cpu` and `memory` options, and whether the
// StatefulSet already holds them (docs/compatibility.md "Kubernetes API": each option sets the limit and
// an equal request, so the scheduler reserves what the container may use and memory is never overcommitted).
import type { ConfigValue } from "./frameworks/index.ts";
import { quantityValue, sameQuantity } from "./quantity.ts";

export const RESOURCE_OPTIONS = ["cpu", "memory"] as const;
export type ResourceName = (typeof RESOURCE_OPTIONS)[number];

/** The field manager of the charm's server-side apply of the StatefulSet. */
export const RESOURCES_FIELD_MANAGER = "paas-charm-resources";

export interface ContainerResources {
  limits?: Partial<Record<ResourceName, string>>;
  requests?: Partial<Record<ResourceName, string>>;
}

export type ResourceDecision =
  | { ok: true; resources: ContainerResources }
  | { ok: false; invalid: Array<{ option: ResourceName; reason: string }> };

/** `cpu`/`memory` options → the container's resources; empty means no limit (and no request). */
export function desiredResources(config: Readonly<Record<string, ConfigValue>>): ResourceDecision {
  const limits: Partial<Record<ResourceName, string>> = {};
  const invalid: Array<{ option: ResourceName; reason: string }> = [];
  for (const option of RESOURCE_OPTIONS) {
    const raw = config[option];
    if (raw === undefined || raw === "") continue;
    const text = String(raw).trim();
    if (typeof raw !== "string" || quantityValue(text) === undefined) {
      invalid.push({ option, reason: `${JSON.stringify(String(raw))} is not a Kubernetes quantity (e.g. ${option === "cpu" ? "500m or 2" : "512Mi or 2Gi"})` });
      continue;
    }
    limits[option] = text;
  }
  if (invalid.length) return { ok: false, invalid };
  return { ok: true, resources: Object.keys(limits).length ? { limits, requests: { ...limits } } : {} };
}

/** What the StatefulSet's pod template holds for the workload container. */
export interface TemplateResources {
  resources: ContainerResources;
  /** `limits.cpu`, `requests.memory`, ... owned by the charm's field manager (from managedFields). */
  ownedFields: ReadonlySet<string>;
}

/**
 * Whether the StatefulSet must be patched: a wanted value differs, or a field the charm set earlier is no
 * longer wanted. Values set by another manager (the operator's kubectl) are left alone.
 */
export function resourcesDiffer(desired: ContainerResources, current: TemplateResources): boolean {
  for (const kind of ["limits", "requests"] as const) {
    for (const name of RESOURCE_OPTIONS) {
      const want = desired[kind]?.[name];
      const have = current.resources[kind]?.[name];
      if (want !== undefined ? !sameQuantity(want, have) : current.ownedFields.has(`${kind}.${name}`)) return true;
    }
  }
  return false;
}

/** The fields of a container's resources that `manager` owns, from a managedFields list (fieldsV1 format). */
export function ownedResourceFields(managedFields: ReadonlyArray<{ manager?: string; fieldsV1?: unknown }>, manager: string, container: string): Set<string> {
  const owned = new Set<string>();
  for (const entry of managedFields) {
    if (entry.manager !== manager) continue;
    const resources = dig(entry.fieldsV1, ["f:spec", "f:template", "f:spec", "f:containers", `k:${JSON.stringify({ name: container })}`, "f:resources"]);
    for (const kind of ["limits", "requests"] as const) {
      const fields = dig(resources, [`f:${kind}`]);
      for (const name of RESOURCE_OPTIONS) if (dig(fields, [`f:${name}`]) !== undefined) owned.add(`${kind}.${name}`);
    }
  }
  return owned;
}

function dig(value: unknown, path: string[]): unknown {
  let at = value;
  for (const key of path) {
    if (typeof at !== "object" || at === null) return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return at;
}

/** The parts of a V1StatefulSet that tell whether its pods run the latest template. */
export interface StatefulSetRollout {
  metadata?: { generation?: number | undefined } | undefined;
  spec?: { replicas?: number | undefined } | undefined;
  status?: { observedGeneration?: number | undefined; updatedReplicas?: number | undefined; currentRevision?: string | undefined; updateRevision?: string | undefined } | undefined;
}

/** The StatefulSet is still replacing pods for its latest template. */
export function rolloutInProgress(statefulSet: StatefulSetRollout): boolean {
  const status = statefulSet.status ?? {};
  if ((status.observedGeneration ?? 0) < (statefulSet.metadata?.generation ?? 0)) return true;
  if (status.updateRevision && status.currentRevision !== status.updateRevision) return true;
  return (status.updatedReplicas ?? 0) < (statefulSet.spec?.replicas ?? 0);
}

export const ROLLING_MESSAGE = "Applying the cpu and memory options: pods are restarting";

export function trustMessage(app: string): string {
  return `run juju trust ${app} --scope=cluster to let the charm set the cpu and memory options`;
}
