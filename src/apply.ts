// The only writer: turns a reconcile's decisions into hook-tool calls and Pebble requests, each made only
// when it changes something (so a no-op event costs reads alone: no relation-set, no status-set, no
// addLayer, no replan, no restart).
import { posix } from "node:path";
import {
  formatPort, secretAdd, secretSet, statusSet, runHookTool, logger,
  type ApplicationStatus, type Juju, type Port, type SettableStatus, type Status,
} from "./juju/index.ts";
import type { GunicornPlan, WorkloadFiles } from "./paas/index.ts";
import type { PebbleClient } from "./pebble/client.ts";
import { ChangeError } from "./pebble/errors.ts";
import { exec } from "./pebble/exec.ts";
import { commandOutputExcerpt } from "./commandOutput.ts";
import { diffLayer, type Layer, type Plan } from "./pebble/layer.ts";
import type { RelationWrite } from "./paas/integrations/index.ts";
import { RESOURCES_FIELD_MANAGER, type ContainerResources } from "./paas/resources.ts";
import { SECRET_KEY_ID_FIELD, SECRET_KEY_LABEL } from "./observe.ts";
import { writeWorkloadState, type WorkloadState } from "./workloadState.ts";

export interface DesiredStatus {
  status: SettableStatus;
  message: string;
}

/** Publishes requirer data; each write sends only the keys that differ from what the bag holds. */
export async function applyRelationWrites(juju: Juju, writes: RelationWrite[], endpointOf: (relationId: number) => string): Promise<void> {
  await Promise.all(writes.map(async (write) => {
    const relation = { endpoint: endpointOf(write.relationId), id: write.relationId };
    if (write.unit && Object.keys(write.unit).length) await juju.relations.write(relation, write.unit, { app: false });
    if (write.app && Object.keys(write.app).length) await juju.relations.write(relation, write.app, { app: true });
  }));
}

/**
 * The leader creates the application's secret key secret (idempotent: only when none exists), and names it
 * in the peer app databag: units still waiting for the key get no secret event for a secret they have
 * never read, but they do get peer relation-changed.
 */
export async function createSecretKey(juju: Juju, value: string, peer: { endpoint: string; id: number } | undefined): Promise<void> {
  const id = await secretAdd({ value }, { label: SECRET_KEY_LABEL, description: "secret key shared by every unit of the app (sessions, CSRF)" });
  if (peer) await juju.relations.write(peer, { [SECRET_KEY_ID_FIELD]: id }, { app: true });
}

/** rotate-secret-key: a new revision of the secret; every unit gets secret-changed and restarts its app. */
export async function rotateSecretKey(secretId: string, value: string): Promise<void> {
  await secretSet(secretId, { content: { value } });
}

export interface LayerOutcome {
  /** The workload was (re)planned. */
  replanned: boolean;
  /** Pebble's account of the services that did not start (Pebble keeps restarting them). */
  startFailure?: string;
}

/**
 * Adds the charm's layer and replans only when the desired layer differs from the plan (a replan of an
 * unchanged plan is still a Pebble change, and restarting for nothing logs users out of nothing but costs).
 * A service that does not start is a status, not a hook error: retrying the hook would replan nothing
 * new, and Pebble restarts the service itself.
 */
export async function applyLayer(pebble: PebbleClient, plan: Plan, layer: Layer, replanAnyway: boolean): Promise<LayerOutcome> {
  const differences = diffLayer(layer, plan);
  if (differences.length === 0 && !replanAnyway) return { replanned: false };
  if (differences.length > 0) {
    logger.info(`updating the workload's Pebble layer (${differences.join(", ")})`);
    await pebble.addLayer("charm", layer, { combine: true });
  }
  try {
    await pebble.replan();
  } catch (error) {
    if (!(error instanceof ChangeError)) throw error;
    // Only Pebble's summary: the service's own output (in the task log) is the app's to show, in its logs.
    const failed = error.err.split("\n").filter((line) => line.startsWith("- ")).map((line) => line.slice(2));
    const startFailure = failed.length ? failed.join("; ") : error.err;
    logger.error(`the workload did not start: ${startFailure}; its output is in the container's Pebble logs`);
    return { replanned: true, startFailure };
  }
  return { replanned: true };
}

/** Missing required integrations: every service of the plan stops (paas-charm §1.5 gate 4). */
export async function stopAllServices(pebble: PebbleClient, plan: Plan): Promise<void> {
  const names = Object.keys(plan.services);
  if (names.length === 0) return;
  const running = (await pebble.getServices(names)).filter((s) => s.current === "active" || s.current === "backoff").map((s) => s.name);
  if (running.length) await pebble.stopServices(running);
}

export async function saveWorkloadState(pebble: PebbleClient, stateDir: string, before: WorkloadState | undefined, after: WorkloadState): Promise<void> {
  if (before && JSON.stringify(before) === JSON.stringify(after)) return;
  await writeWorkloadState(pebble, stateDir, after);
}

/** Exactly the app's port open on the unit: one call per change, none when it already is. */
export async function applyPorts(opened: Port[], desired: Port[]): Promise<void> {
  const wanted = new Set(desired.map(formatPort));
  const current = opened.map(formatPort);
  for (const port of current) if (!wanted.has(port)) await runHookTool("close-port", [port]);
  for (const port of wanted) if (!current.includes(port)) await runHookTool("open-port", [port]);
}

/** Sets the unit's status (and the app's, on the leader) only where it differs from what Juju shows. */
export async function applyStatus(current: { unit: Status; app: ApplicationStatus | undefined }, desired: DesiredStatus, leader: boolean): Promise<void> {
  const same = (status: Status | undefined) => status?.status === desired.status && status.message === desired.message;
  await Promise.all([
    same(current.unit) ? undefined : statusSet(desired.status, desired.message),
    leader && !same(current.app) ? statusSet(desired.status, desired.message, { application: true }) : undefined,
  ]);
}

/**
 * Server-side apply of the workload container's resources on the app's StatefulSet, with the charm's own
 * field manager: a field it no longer sends is released, and Kubernetes rolls the pods to the new template.
 */
export async function applyWorkloadResources(
  client: import("./kubernetes/client.ts").KubernetesClient, app: string, container: string, resources: ContainerResources,
): Promise<void> {
  logger.info(`applying ${JSON.stringify(resources)} to the ${container} container of StatefulSet ${app}: its pods restart`);
  await client.applyStatefulSet({
    apiVersion: "apps/v1", kind: "StatefulSet", metadata: { name: app },
    spec: { template: { spec: { containers: [{ name: container, resources }] } } },
  }, RESOURCES_FIELD_MANAGER);
}

/** The rocks' user the app runs as: it owns what the charm writes for the app. */
const WORKLOAD_OWNER = { user: "_daemon_", group: "_daemon_" };

/**
 * Files the app reads, in their own directory owned by the app's user. Its parents are made first as
 * root's, so the app never owns the directory that holds the charm's state.
 */
export async function applyWorkloadFiles(pebble: PebbleClient, files: WorkloadFiles): Promise<void> {
  await pebble.makeDir(posix.dirname(files.dir), { makeParents: true });
  for (const file of files.files) await pebble.push(`${files.dir}/${file.name}`, file.content, { makeDirs: true, ...WORKLOAD_OWNER });
}

export interface GunicornOutcome {
  geventMissing?: string;
  webserverCheckFailed?: boolean;
  /** The new file is in place (and the running service was told with SIGHUP). */
  applied: boolean;
}

/**
 * A changed Gunicorn config (§8.1-8.2): gevent checked first when asked for, the new file checked with
 * `--check-config` under a candidate name before it replaces the one Gunicorn reads, then a SIGHUP to
 * the running service so it reloads (workers, timeouts) without a restart.
 */
export async function applyGunicornConfig(
  pebble: PebbleClient, config: GunicornPlan, run: { env: Record<string, string>; appDir: string; service: string },
): Promise<GunicornOutcome> {
  if (config.geventCheck) {
    const gevent = await exec(pebble, { command: [...config.geventCheck.command] });
    if (gevent.exitCode !== 0) return { geventMissing: config.geventCheck.failureMessage, applied: false };
  }
  const owner = { makeDirs: true, ...WORKLOAD_OWNER };
  const candidate = config.path.replace(/(\.py)?$/, ".candidate.py");
  await pebble.push(candidate, config.content, owner);
  const check = await exec(pebble, {
    command: config.checkCommand.map((word) => (word === config.path ? candidate : word)),
    environment: run.env, workingDir: run.appDir, user: "_daemon_", group: "_daemon_",
  });
  await pebble.removePath(candidate);
  if (check.exitCode !== 0) {
    logger.error(`gunicorn --check-config rejected the new configuration:\n${commandOutputExcerpt([check.stderr, check.stdout].filter(Boolean).join("\n"))}`);
    return { webserverCheckFailed: true, applied: false };
  }
  await pebble.push(config.path, config.content, owner);
  const [service] = await pebble.getServices([run.service]);
  if (service?.current === "active") {
    logger.info(`gunicorn configuration changed: reloading ${run.service} (SIGHUP)`);
    await pebble.sendSignal("SIGHUP", [run.service]);
  }
  return { applied: true };
}
