// Reads everything a reconcile needs from Juju and the workload, once, with as few hook-tool calls and
// Pebble requests as it can: goal-state finds the related endpoints other than the peer one (instead of one
// relation-ids per declared endpoint), independent reads run concurrently, and remote unit databags are read only for the
// interfaces whose provider data lives there, the unit's own databag only where the charm publishes unit data,
// and nothing of the other side where the charm only publishes (metrics-endpoint, grafana-dashboard). What the Kubernetes API must show (the pod, the StatefulSet) is read here too, when the event needs it.
import {
  applicationStatusGet, goalState, openedPorts, remoteApps, SecretNotFoundError, PermissionDeniedError, statusGet,
  registerSecret, secretGet,
  type ApplicationStatus, type ConfigValues, type Juju, type Port, type Relation, type Status,
} from "./juju/index.ts";
import type { CheckInfo, PebbleClient } from "../pebble/client.ts";
import { PebbleConnectionError } from "../pebble/errors.ts";
import type { PebblePlan } from "../pebble/layer.ts";
import { publishesUnitData, readsRemoteData, secretIdsToRead, type EndpointDecl, type RelationView, type SecretContents } from "./paas/integrations/index.ts";
import { observeKubernetes, workloadInTrouble, type KubernetesObservation } from "./observeKubernetes.ts";
import { isSecretUri } from "./paas/integrations/providerData.ts";
import { listAppDir, readWorkloadState, type WorkloadState } from "./workloadState.ts";

/** The Juju secret holding the application's secret key (paas-charm 2.0's design). */
export const SECRET_KEY_LABEL = "app-secret-key";
/** The peer app databag key where the leader names that secret (its id, never its content). */
export const SECRET_KEY_ID_FIELD = "app-secret-key-id";

/** Interfaces whose providers publish in their unit databags (redis, rabbitmq-server, Loki). */
const UNIT_DATA_INTERFACES = new Set(["redis", "rabbitmq", "loki_push_api"]);

export interface WorkloadTarget {
  container: string;
  stateDir: string;
  appDir: string;
  /** The peer app databag key of the Python charm's secret key (`<framework>_secret_key`). */
  legacySecretKeyField: string;
  /** A check to run now rather than read from its last period: a failing run reads as `down`. */
  refreshCheck?: string;
  /** The workload's Pebble (the container's socket, for the charm). */
  pebble: PebbleClient;
}

export type WorkloadObservation =
  | { reachable: false; reason: string }
  | { reachable: true; pebble: PebbleClient; plan: PebblePlan; state: WorkloadState | undefined; appDirFiles: string[] | undefined; checks: CheckInfo[] };

export interface Observation {
  leader: boolean;
  config: ConfigValues;
  /** Content of each set secret-typed option; undefined when the secret cannot be read (not granted yet). */
  configSecrets: Record<string, Record<string, string> | undefined>;
  endpoints: EndpointDecl[];
  relations: RelationView[];
  /** The peer relation, and the other units in it. */
  peer: { relation: Relation; units: string[] } | undefined;
  integrationSecrets: SecretContents;
  /** The shared secret key from its Juju secret, or from the Python charm's peer databag (legacy). */
  secretKey: { value: string | undefined; legacyValue: string | undefined };
  workload: WorkloadObservation;
  status: { unit: Status; app: ApplicationStatus | undefined };
  openedPorts: Port[];
  kubernetes: KubernetesObservation;
}

export async function observe(juju: Juju, target: WorkloadTarget, peerEndpoint: string | undefined): Promise<Observation> {
  const [leader, config, goal] = await Promise.all([juju.isLeader(), juju.config(), goalState()]);
  const endpoints = endpointDecls(juju);
  const [relations, peer, configSecrets, secretKey, workload, status, ports] = await Promise.all([
    observeRelations(juju, endpoints, goal, leader),
    observePeer(juju, peerEndpoint),
    readConfigSecrets(juju, config),
    readSecretKey(),
    observeWorkload(target),
    observeStatus(juju, leader),
    openedPorts(),
  ]);
  const integrationSecrets = await readSecrets(juju, secretIdsToRead(endpoints, relations));
  const legacyValue = secretKey === undefined && peer ? (await juju.relations.read(peer.relation, juju.context.appName))[target.legacySecretKeyField] : undefined;
  if (legacyValue) registerSecret(legacyValue);
  const kubernetes = await observeKubernetes({
    event: juju.event, context: juju.context, container: target.container, leader, config,
    workloadInTrouble: workloadInTrouble(workload, workload.reachable && workload.state?.servicesStopped === true),
  });
  return {
    leader, config, configSecrets, endpoints, relations, peer, integrationSecrets,
    secretKey: { value: secretKey, legacyValue: legacyValue || undefined },
    workload, status, openedPorts: ports, kubernetes,
  };
}

/** The unit's status as Juju shows it, and the app's on the leader (one call either way). */
export async function observeStatus(juju: Juju, leader: boolean): Promise<Observation["status"]> {
  if (!leader) return { unit: await statusGet(), app: undefined };
  const app = await applicationStatusGet();
  return { unit: app.units[juju.context.unitName] ?? { status: "unknown", message: "" }, app };
}

export function endpointDecls(juju: Juju): EndpointDecl[] {
  return Object.values(juju.meta.metadata.relations).map((endpoint) => ({
    name: endpoint.name,
    interface: endpoint.interface,
    role: endpoint.role,
    optional: endpoint.optional,
    ...(endpoint.limit !== undefined ? { limit: endpoint.limit } : {}),
  }));
}

async function observeRelations(juju: Juju, endpoints: EndpointDecl[], goal: Awaited<ReturnType<typeof goalState>>, leader: boolean): Promise<RelationView[]> {
  const related = endpoints.filter((e) => e.role !== "peer" && (remoteApps(goal, e.name).length > 0 || juju.context.relationName === e.name));
  const perEndpoint = await Promise.all(related.map(async (endpoint) => {
    const relations = await juju.relations.list(endpoint.name);
    const apps = remoteApps(goal, endpoint.name);
    return Promise.all(relations.map(async (relation) => {
      // With one relation on the endpoint, goal-state already names its remote app; an endpoint the charm
      // only publishes on needs no remote app at all.
      const remoteApp = !readsRemoteData(endpoint) ? undefined
        : relations.length === 1 && apps.length === 1 && juju.context.relationId !== relation.id ? apps[0] : await juju.relations.remoteApp(relation);
      return readRelationView(juju, relation, endpoint, remoteApp, leader);
    }));
  }));
  return perEndpoint.flat();
}

async function readRelationView(juju: Juju, relation: Relation, endpoint: EndpointDecl, remoteApp: string | undefined, leader: boolean): Promise<RelationView> {
  const unitsNeeded = UNIT_DATA_INTERFACES.has(endpoint.interface);
  const [remoteAppData, localAppData, localUnitData, remoteUnitsData] = await Promise.all([
    remoteApp ? juju.relations.read(relation, remoteApp) : Promise.resolve({}),
    leader ? juju.relations.readOwn(relation, { app: true }) : Promise.resolve({}),
    publishesUnitData(endpoint) ? juju.relations.readOwn(relation, { app: false }) : Promise.resolve({}),
    unitsNeeded ? juju.relations.units(relation).then(async (units) => Object.fromEntries(await Promise.all(units.map(async (u) => [u, await juju.relations.read(relation, u)] as const)))) : Promise.resolve({}),
  ]);
  return {
    id: relation.id, endpoint: endpoint.name, interface: endpoint.interface,
    ...(remoteApp ? { remoteApp } : {}),
    remoteAppData, remoteUnitsData, localAppData, localUnitData,
  };
}

/** goal-state never lists peer relations (Juju leaves out single-endpoint relations): relation-ids finds it. */
async function observePeer(juju: Juju, peerEndpoint: string | undefined): Promise<Observation["peer"]> {
  if (!peerEndpoint) return undefined;
  const [relation] = await juju.relations.list(peerEndpoint);
  if (!relation) return undefined;
  const units = (await juju.relations.units(relation)).filter((u) => u !== juju.context.departingUnit);
  return { relation, units };
}

/** Secret-typed options hold secret URIs; the workload gets their content, always the latest revision. */
async function readConfigSecrets(juju: Juju, config: ConfigValues): Promise<Observation["configSecrets"]> {
  const options = Object.entries(juju.meta.config).filter(([name, meta]) => meta.type === "secret" && typeof config[name] === "string" && config[name] !== "");
  // A value that is not a secret URI would make secret-get fail the hook: it reads as unreadable (invalid option).
  const entries = await Promise.all(options.map(async ([name]) => [name, isSecretUri(String(config[name])) ? await readSecret(String(config[name])) : undefined] as const));
  return Object.fromEntries(entries);
}

async function readSecrets(juju: Juju, ids: string[]): Promise<SecretContents> {
  const entries = await Promise.all(ids.map(async (id) => [id, await readSecret(id)] as const));
  return Object.fromEntries(entries);
}

/**
 * A secret's latest content (values registered for redaction); undefined when it does not exist or is not
 * granted yet. Always the latest revision, as data_interfaces reads on secret-changed: a provider that
 * rotates its credentials gets the app onto the new ones.
 */
async function readSecret(id: string): Promise<Record<string, string> | undefined> {
  try {
    const content = await secretGet({ id }, { refresh: true });
    for (const value of Object.values(content)) registerSecret(value);
    return content;
  } catch (error) {
    if (error instanceof SecretNotFoundError || error instanceof PermissionDeniedError) return undefined;
    throw error;
  }
}

async function readSecretKey(): Promise<string | undefined> {
  try {
    const content = await secretGet({ label: SECRET_KEY_LABEL }, { refresh: true });
    if (content.value) registerSecret(content.value);
    return content.value || undefined;
  } catch (error) {
    if (error instanceof SecretNotFoundError) return undefined;
    throw error;
  }
}

async function observeWorkload(target: WorkloadTarget): Promise<WorkloadObservation> {
  const { pebble } = target;
  let plan: PebblePlan;
  try {
    plan = await pebble.getPlan();
  } catch (error) {
    if (error instanceof PebbleConnectionError) return { reachable: false, reason: error.message };
    throw error;
  }
  try {
    const [state, checks] = await Promise.all([readWorkloadState(pebble, target.stateDir), readChecks(pebble, plan, target.refreshCheck)]);
    // The app dir's content only matters the first time (it is kept in the state file afterwards).
    const appDirFiles = state ? undefined : await listAppDir(pebble, target.appDir);
    return { reachable: true, pebble, plan, state, appDirFiles, checks };
  } catch (error) {
    // Pebble went away between two requests: the same as not answering at all.
    if (error instanceof PebbleConnectionError) return { reachable: false, reason: error.message };
    throw error;
  }
}

async function readChecks(pebble: PebbleClient, plan: PebblePlan, refresh: string | undefined): Promise<CheckInfo[]> {
  const checks = await pebble.getChecks();
  // Pebble refuses to run a stopped check; its `inactive` status already says enough.
  if (refresh === undefined || !plan.checks[refresh] || checks.find((check) => check.name === refresh)?.status === "inactive") return checks;
  const run = await pebble.refreshCheck(refresh);
  return checks.map((check) => (check.name === refresh ? { ...run.info, ...(run.error ? { status: "down" as const } : {}) } : check));
}
