// The event's one plan: from an observation to every write the event needs — relation data, the secret
// key, the workload's files, Gunicorn config, migration and layer (or stopping it), the ports, the
// StatefulSet's resources — and the gates' status. Pure: plain data in, plain data out; apply.ts writes.
import { createHash } from "node:crypto";
import type { Databag, JujuContext, Port, Relation } from "./juju/index.ts";
import type { CharmMeta } from "./juju/metadata.ts";
import type { Observation } from "./observe.ts";
import { evaluateIntegrations } from "./paas/integrations/index.ts";
import {
  decideWorkload, healthCheckName, resolveConfig, trustMessage, ROLLING_MESSAGE,
  type ContainerResources, type Framework, type GunicornPlan, type KubernetesFindings, type MigrationExec, type PaasConfig, type UnitStatus, type WorkloadFiles,
} from "./paas/index.ts";
import type { CheckInfo } from "../pebble/client.ts";
import type { Layer, Service } from "../pebble/layer.ts";
import type { WorkloadState } from "./workloadState.ts";

/** What the charm is, from its packed files: the framework, its paas-config.yaml and its one container. */
export interface CharmSettings {
  framework: Framework;
  paasConfig: PaasConfig;
  container: string;
}

export type WorkloadSteps =
  /** Missing required integrations: every service stops and migrations are pending again. */
  | { kind: "stop"; state: WorkloadState }
  /** Every gate passed: files, Gunicorn config and migration (each only when needed), then the layer. */
  | {
      kind: "run"; state: WorkloadState; env: Record<string, string>; layer: Layer;
      files?: { content: WorkloadFiles; digest: string };
      gunicorn?: { config: GunicornPlan; digest: string };
      migration?: MigrationExec & { fingerprint: string };
      /** Services the charm stopped come back only with a replan. */
      replanAnyway: boolean;
      /** The app's ready check as Pebble last ran it. */
      check: CheckInfo | undefined;
    }
  /** A gate other than integrations failed: the workload is left as it is; only its state file is kept. */
  | { kind: "hold"; state: WorkloadState };

export interface Plan {
  /** Only the keys that change. */
  relationWrites: Array<{ relation: Relation; app?: Databag; unit?: Databag }>;
  /** The leader creates the app's secret key (none exists yet, or the Python charm's is adopted). */
  createSecretKey?: string;
  /** The key the app runs with, once there is one. */
  secretKey: string | undefined;
  /** The status of the first failing gate; Active when every gate passed (applying may change it). */
  gate: UnitStatus;
  /** Why the unit is not active, for the log; never a value. */
  reasons: string[];
  /** Absent when Pebble cannot be reached. */
  workload?: WorkloadSteps;
  /** The app's port. */
  port: number;
  /** The ports to have open once the app may serve; absent while the charm holds the services stopped. */
  ports?: Port[];
  kubernetes: { findings: KubernetesFindings; patchResources?: ContainerResources };
  /** The app's environment, when every gate passed. */
  env?: Record<string, string>;
}

export interface PlanContext {
  settings: CharmSettings;
  context: JujuContext;
  meta: CharmMeta;
  /** rotate-secret-key's new value: the app gets it in this very event. */
  rotatedKey?: string;
}

export function planEvent(obs: Observation, { settings, context, meta, rotatedKey }: PlanContext): Plan {
  const { framework, paasConfig } = settings;
  // The config, parsed once: the port and metrics target the integrations see are the workload's.
  const resolved = resolveConfig({ framework, paasConfig, config: obs.config, declarations: meta.config, secrets: obs.configSecrets });
  const port = resolved.port;
  const integrations = evaluateIntegrations(obs.endpoints, obs.relations, obs.integrationSecrets, {
    appName: context.appName, modelName: context.modelName, unitName: context.unitName,
    leader: obs.leader, framework: framework.name, config: obs.config, port,
    portOpen: obs.openedPorts.some((p) => p.port === port && p.protocol === "tcp"),
    ...unitAddress(obs),
    observability: {
      modelUuid: context.modelUuid, charmName: meta.metadata.name,
      metricsPort: resolved.metricsPort, metricsPath: resolved.metricsPath, scrapeConfigs: paasConfig.scrapeConfigs,
    },
  });
  const endpointOf = (id: number) => obs.relations.find((r) => r.id === id)!.endpoint;
  const relationWrites = integrations.writes.map((write) => ({
    relation: { endpoint: endpointOf(write.relationId), id: write.relationId },
    ...(write.app && Object.keys(write.app).length ? { app: write.app } : {}),
    ...(write.unit && Object.keys(write.unit).length ? { unit: write.unit } : {}),
  }));

  const workload = obs.workload;
  const state = workload.reachable ? currentWorkloadState(workload) : undefined;
  const migrationStatus = state && state.migration.status === "COMPLETED" && state.migration.fingerprint !== integrations.migrationFingerprint
    // paas-charm re-runs migrations when database/redis/s3/... data changes: new data means pending again.
    ? "PENDING" : state?.migration.status;
  const keyValue = rotatedKey ?? obs.secretKey.value;
  const decision = decideWorkload<Service>({
    framework, paasConfig, config: obs.config, resolved,
    appName: context.appName, modelName: context.modelName, unitNumber: context.unitNumber, leader: obs.leader,
    peerUnits: obs.peer?.units ?? [],
    ...(keyValue ? { secretKeyContent: { value: keyValue } } : {}),
    ...(obs.secretKey.legacyValue ? { legacySecretKey: obs.secretKey.legacyValue } : {}),
    integrations,
    jujuProxy: { http: context.proxy.http, https: context.proxy.https, noProxy: context.proxy.noProxy },
    workload: workload.reachable && state && migrationStatus
      ? { reachable: true, rockServices: state.originalServices, appDirFiles: state.appDirFiles, migrationStatus, logTargets: workload.plan.logTargets }
      : { reachable: false },
  });

  let steps: WorkloadSteps | undefined;
  if (workload.reachable && state) {
    if (decision.stopServices) steps = { kind: "stop", state: { ...state, migration: { status: "PENDING" }, servicesStopped: true } };
    else if (decision.workload) {
      const { layer, migration, gunicorn, files, env } = decision.workload;
      const filesDigest = files ? sha256(JSON.stringify(files)) : undefined;
      // Only a changed Gunicorn file or command (worker class) is checked, written and reloaded.
      const gunicornDigest = gunicorn ? sha256(`${gunicorn.content}\u0000${gunicorn.checkCommand.join(" ")}`) : undefined;
      steps = {
        kind: "run", state, env, layer: { services: layer.services, checks: layer.checks, logTargets: layer.logTargets },
        // Written once per container: they live as long as the state file that holds their digest.
        ...(files && filesDigest !== state.workloadFilesDigest ? { files: { content: files, digest: filesDigest! } } : {}),
        ...(gunicorn && gunicornDigest !== state.gunicornConfigDigest ? { gunicorn: { config: gunicorn, digest: gunicornDigest! } } : {}),
        ...(migration ? { migration: { ...migration, fingerprint: integrations.migrationFingerprint } } : {}),
        replanAnyway: state.servicesStopped === true,
        check: workload.checks.find((c) => c.name === healthCheckName(framework.serviceName)),
      };
    } else steps = { kind: "hold", state };
  }

  const sizing = obs.kubernetes.sizing;
  const findings: KubernetesFindings = {
    ...(obs.kubernetes.diagnosis ? { diagnosis: obs.kubernetes.diagnosis } : {}),
    ...(sizing && "refused" in sizing && sizing.refused === "forbidden" ? { forbidden: trustMessage(context.appName) } : {}),
    ...(sizing && "rolling" in sizing && sizing.rolling && !sizing.differs ? { rolling: ROLLING_MESSAGE } : {}),
  };
  return {
    relationWrites,
    ...(decision.secretKey.write?.action === "create" ? { createSecretKey: decision.secretKey.write.value } : {}),
    secretKey: decision.secretKey.key,
    gate: decision.status,
    reasons: decision.reasons,
    ...(steps ? { workload: steps } : {}),
    port: decision.port,
    ...(decision.stopServices ? {} : { ports: [{ protocol: "tcp", port: decision.port }] }),
    kubernetes: { findings, ...(sizing && "differs" in sizing && sizing.differs ? { patchResources: sizing.desired } : {}) },
    ...(decision.workload ? { env: decision.workload.env } : {}),
  };
}

/** The workload state to keep: what the container already holds, or a fresh capture of the rock's plan. */
function currentWorkloadState(workload: Extract<Observation["workload"], { reachable: true }>): WorkloadState {
  if (workload.state) return structuredClone(workload.state);
  return { version: 1, originalServices: workload.plan.services, appDirFiles: workload.appDirFiles ?? [], migration: { status: "PENDING" } };
}

/** The address Juju gives the unit, from its own databag on any relation that read it. */
function unitAddress(obs: Observation): { unitAddress?: string } {
  for (const relation of obs.relations) {
    const address = relation.localUnitData["ingress-address"];
    if (address) return { unitAddress: address };
  }
  return {};
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
