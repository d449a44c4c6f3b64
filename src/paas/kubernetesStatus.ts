// How what the Kubernetes API showed changes the unit's status. The charm's own Blocked (bad config,
// missing integrations) names what to fix first and stays; a container that is not serving comes next
// (Pebble cannot see it), then a refused StatefulSet patch, then a rollout in progress.
import type { UnitStatus } from "./status.ts";

export interface KubernetesFindings {
  /** The workload container is not serving (diagnoseContainer). */
  diagnosis?: UnitStatus;
  /** The StatefulSet could not be read or patched: RBAC refused (the app is not trusted). */
  forbidden?: string;
  /** Pods are being replaced for a new template. */
  rolling?: string;
}

export function withKubernetesFindings(base: UnitStatus, findings: KubernetesFindings): UnitStatus {
  if (base.status === "blocked") return base;
  if (findings.diagnosis) return findings.diagnosis;
  if (findings.forbidden) return { status: "blocked", message: findings.forbidden };
  if (findings.rolling) return { status: "maintenance", message: findings.rolling };
  return base;
}
