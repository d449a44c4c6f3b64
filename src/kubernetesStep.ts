// The Kubernetes part of a reconcile: when Pebble shows a problem, read the unit's pod (why the workload
// container is not serving) and, on the leader, bring the StatefulSet's workload resources to the `cpu` and
// `memory` options. A healthy unit's update-status, run every five minutes on every unit, thus costs no
// more than any other event. Reads are plain GETs (kubernetes/reads.ts); @kubernetes/client-node is loaded
// only to apply changed resources. A missing, hung or refusing API
// server costs a log line, never the hook: the status then says only what the charm knows by itself.
import { logger, type ConfigValues, type Juju } from "./juju/index.ts";
import { isKubernetesError } from "./kubernetes/errors.ts";
import { inClusterAccess, type ClusterAccess } from "./kubernetes/inCluster.ts";
import { kubernetesReader, type KubernetesReader } from "./kubernetes/reads.ts";
import {
  RESOURCES_FIELD_MANAGER, ROLLING_MESSAGE, desiredResources, diagnoseContainer, ownedResourceFields, resourcesDiffer, rolloutInProgress,
  trustMessage, withKubernetesFindings, type ContainerResources, type ContainerStatusFacts, type KubernetesFindings, type UnitStatus,
} from "./paas/index.ts";
import { applyWorkloadResources } from "./apply.ts";

export interface KubernetesStepInput {
  juju: Juju;
  container: string;
  leader: boolean;
  config: ConfigValues;
  /** The status the rest of the reconcile arrived at. */
  status: UnitStatus;
  /** That status is the charm's own Blocked from its gates (bad config, missing integrations). */
  gated: boolean;
  /** Pebble shows a problem the pod may explain (see workloadInTrouble). */
  workloadInTrouble: boolean;
}

/**
 * What makes the pod worth reading: Pebble cannot be reached (the container is restarting, or its image
 * never ran), or a check is down (the app died, or does not answer) while the charm has not stopped the
 * services itself. A service that is not running fails the app's ready check, which update-status runs.
 * A check Pebble does not run (inactive) says nothing either way.
 */
export function workloadInTrouble(workload: { reachable: false } | { reachable: true; checks: Array<{ status: string }> }, servicesStopped: boolean): boolean {
  if (!workload.reachable) return true;
  return !servicesStopped && workload.checks.some((check) => check.status === "down");
}

export async function kubernetesStep(input: KubernetesStepInput): Promise<UnitStatus> {
  const { juju } = input;
  const event = juju.event;
  const diagnose = input.workloadInTrouble && ((event.kind === "lifecycle" && event.hook === "update-status")
    || (event.kind === "workload" && event.workloadKind === "pebble-check-failed"));
  const resources = desiredResources(input.config);
  // The leader keeps the StatefulSet in line on config-changed (which also follows trust, refresh and pod
  // churn), and on every event while the options are set, so a refusal or a rollout shows in its status.
  const sizing = input.leader && resources.ok && (Object.keys(resources.resources).length > 0 || (event.kind === "lifecycle" && event.hook === "config-changed"));
  if (!diagnose && !sizing) return input.status;
  const lookup = inClusterAccess(process.env);
  if ("off" in lookup) {
    logger.debug(lookup.off);
    return input.status;
  }
  const reader = kubernetesReader(lookup.access);
  const { appName, unitNumber } = juju.context;
  const [diagnosis, sized] = await Promise.all([
    diagnose ? diagnosePod(reader, `${appName}-${unitNumber}`, input.container) : undefined,
    sizing && resources.ok ? sizeWorkload(lookup.access, reader, appName, input.container, resources.resources) : {},
  ]);
  return withKubernetesFindings(input.status, { ...sized, ...(diagnosis ? { diagnosis } : {}) }, input.gated);
}

async function diagnosePod(client: KubernetesReader, pod: string, container: string): Promise<UnitStatus | undefined> {
  try {
    const found = await client.readPod(pod);
    const diagnosis = diagnoseContainer(container, (found.status?.containerStatuses ?? []) as ContainerStatusFacts[]);
    if (diagnosis) logger.warn(`pod ${client.namespace}/${pod}: ${diagnosis.message}`);
    return diagnosis;
  } catch (error) {
    if (!isKubernetesError(error)) throw error;
    logger.warn(`${error.message}: the pod's state is not part of the status`);
    return undefined;
  }
}

async function sizeWorkload(
  access: ClusterAccess, reader: KubernetesReader, app: string, container: string, desired: ContainerResources,
): Promise<Omit<KubernetesFindings, "diagnosis">> {
  try {
    const statefulSet = await reader.readStatefulSet(app);
    const current = statefulSet.spec?.template.spec?.containers.find((c) => c.name === container)?.resources ?? {};
    const owned = ownedResourceFields(statefulSet.metadata?.managedFields ?? [], RESOURCES_FIELD_MANAGER, container);
    if (resourcesDiffer(desired, { resources: current as ContainerResources, ownedFields: owned })) {
      const { kubernetesClient } = await import("./kubernetes/client.ts");
      await applyWorkloadResources(kubernetesClient(access), app, container, desired);
      return { rolling: ROLLING_MESSAGE };
    }
    const rolling = rolloutInProgress(statefulSet);
    return rolling ? { rolling: ROLLING_MESSAGE } : {};
  } catch (error) {
    if (!isKubernetesError(error)) throw error;
    const wanted = Object.keys(desired).length > 0;
    // Without the options there is nothing to apply, and an untrusted app could not have set anything.
    if (error.kind === "forbidden" && !wanted) {
      logger.debug(`${error.message}: no cpu or memory option to apply`);
      return {};
    }
    if (error.kind === "forbidden") {
      logger.warn(`${error.message}: the app is not trusted`);
      return { forbidden: trustMessage(app) };
    }
    logger.warn(`${error.message}: the cpu and memory options are not applied yet`);
    return {};
  }
}
