// What a reconcile reads from the Kubernetes API: when Pebble shows a problem, the unit's pod (why the
// workload container is not serving); on the leader, the StatefulSet's workload resources, to bring them to
// the `cpu` and `memory` options. A healthy unit's update-status, run every five minutes on every unit,
// thus reads nothing. Reads are plain GETs (kubernetes/reads.ts); apply.ts patches, loading
// @kubernetes/client-node only then. A missing, hung or refusing API server costs a log line, never the
// hook: the status then says only what the charm knows by itself.
import { logger, type ConfigValues, type JujuContext, type JujuEvent } from "./juju/index.ts";
import { isKubernetesError } from "./kubernetes/errors.ts";
import { inClusterAccess, type ClusterAccess } from "./kubernetes/inCluster.ts";
import { kubernetesReader, type KubernetesReader } from "./kubernetes/reads.ts";
import {
  RESOURCES_FIELD_MANAGER, desiredResources, diagnoseContainer, ownedResourceFields, resourcesDiffer, rolloutInProgress,
  type ContainerResources, type ContainerStatusFacts, type UnitStatus,
} from "./paas/index.ts";

/** What the Kubernetes API showed this event. */
export interface KubernetesObservation {
  /** The cluster, when the charm runs in one and had something to read. */
  access?: ClusterAccess;
  /** The workload container is not serving, as its pod shows. */
  diagnosis?: UnitStatus;
  /** The leader's resources: what the options ask for and whether the StatefulSet must be patched. */
  sizing?: { desired: ContainerResources; differs: boolean; rolling: boolean } | { desired: ContainerResources; refused: "forbidden" | "unavailable" };
}

/**
 * What makes the pod worth reading: Pebble cannot be reached (the container is restarting, or its image
 * never ran), or a check is down (the app died, or does not answer) while the charm does not hold the
 * services stopped itself. A service that is not running fails the app's ready check, which update-status
 * runs. A check Pebble does not run (inactive) says nothing either way.
 */
export function workloadInTrouble(workload: { reachable: false } | { reachable: true; checks: Array<{ status: string }> }, servicesStopped: boolean): boolean {
  if (!workload.reachable) return true;
  return !servicesStopped && workload.checks.some((check) => check.status === "down");
}

export interface KubernetesReadsInput {
  event: JujuEvent;
  context: JujuContext;
  container: string;
  leader: boolean;
  config: ConfigValues;
  workloadInTrouble: boolean;
}

export async function observeKubernetes(input: KubernetesReadsInput): Promise<KubernetesObservation> {
  const { event } = input;
  const diagnose = input.workloadInTrouble && ((event.kind === "lifecycle" && event.hook === "update-status")
    || (event.kind === "workload" && event.workloadKind === "pebble-check-failed"));
  const resources = desiredResources(input.config);
  // The leader keeps the StatefulSet in line on config-changed (which also follows trust, refresh and pod
  // churn), and on every event while the options are set, so a refusal or a rollout shows in its status.
  const sizing = input.leader && resources.ok && (Object.keys(resources.resources).length > 0 || (event.kind === "lifecycle" && event.hook === "config-changed"));
  if (!diagnose && !sizing) return {};
  const lookup = inClusterAccess(process.env);
  if ("off" in lookup) {
    logger.debug(lookup.off);
    return {};
  }
  const reader = kubernetesReader(lookup.access);
  const { appName, unitNumber } = input.context;
  const [diagnosis, sized] = await Promise.all([
    diagnose ? diagnosePod(reader, `${appName}-${unitNumber}`, input.container) : undefined,
    sizing && resources.ok ? readSizing(reader, appName, input.container, resources.resources) : undefined,
  ]);
  return { access: lookup.access, ...(diagnosis ? { diagnosis } : {}), ...(sized ? { sizing: sized } : {}) };
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

async function readSizing(reader: KubernetesReader, app: string, container: string, desired: ContainerResources): Promise<KubernetesObservation["sizing"]> {
  try {
    const statefulSet = await reader.readStatefulSet(app);
    const current = statefulSet.spec?.template.spec?.containers.find((c) => c.name === container)?.resources ?? {};
    const owned = ownedResourceFields(statefulSet.metadata?.managedFields ?? [], RESOURCES_FIELD_MANAGER, container);
    return { desired, differs: resourcesDiffer(desired, { resources: current as ContainerResources, ownedFields: owned }), rolling: rolloutInProgress(statefulSet) };
  } catch (error) {
    if (!isKubernetesError(error)) throw error;
    return { desired, refused: resourcesRefusal(error, desired) };
  }
}

/** How a refused read or patch of the StatefulSet is logged, and whether it is the app's missing trust. */
export function resourcesRefusal(error: { kind: string; message: string }, desired: ContainerResources): "forbidden" | "unavailable" {
  const wanted = Object.keys(desired).length > 0;
  // Without the options there is nothing to apply, and an untrusted app could not have set anything.
  if (error.kind === "forbidden" && !wanted) {
    logger.debug(`${error.message}: no cpu or memory option to apply`);
    return "unavailable";
  }
  if (error.kind === "forbidden") {
    logger.warn(`${error.message}: the app is not trusted`);
    return "forbidden";
  }
  logger.warn(`${error.message}: the cpu and memory options are not applied yet`);
  return "unavailable";
}
