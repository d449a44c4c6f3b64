// How what the Kubernetes API showed changes the unit's status. The charm's own Blocked (bad config,
// missing integrations) names what to fix first and stays; a container that is not serving comes next
// (Pebble cannot see it: it explains an app that does not answer better than the app's check does), then
// any other Blocked, then a refused StatefulSet patch, then a rollout in progress.
import type { UnitStatus } from "./status.ts";

export interface KubernetesFindings {
  /** The workload container is not serving (diagnoseContainer). */
  diagnosis?: UnitStatus;
  /** The StatefulSet could not be read or patched: RBAC refused (the app is not trusted). */
  forbidden?: string;
  /** Pods are being replaced for a new template. */
  rolling?: string;
}

/** `gated`: `base` is the charm's own Blocked from its gates (config, integrations), not the workload's state. */
export function withKubernetesFindings(base: UnitStatus, findings: KubernetesFindings, gated = base.status === "blocked"): UnitStatus {
  if (gated) return base;
  if (findings.diagnosis) return findings.diagnosis;
  if (base.status === "blocked") return base;
  if (findings.forbidden) return { status: "blocked", message: findings.forbidden };
  if (findings.rolling) return { status: "maintenance", message: findings.rolling };
  return base;
}
