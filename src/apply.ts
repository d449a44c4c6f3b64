// The only writer: executes a plan (plan.ts) with hook-tool calls, Pebble requests and the one Kubernetes
// patch, each made only when it changes something (so a no-op event costs reads alone: no relation-set, no
// status-set, no addLayer, no replan, no restart), action execs included. What the writes find (a failed
// migration, a service that did not start) goes to decideStatus, the one place the status is decided.
import { posix } from "node:path";
import { randomBytes } from "node:crypto";
import {
  secretAdd, setPorts, secretSet, statusSet, logger, registerSecret,
  type ApplicationStatus, type Juju, type Status,
} from "./juju/index.ts";
import { ROLLING_MESSAGE, decideStatus, statusAfterApply, trustMessage, type ApplyOutcome, type FailingAppFacts, type GunicornPlan, type KubernetesFindings, type UnitStatus, type WorkloadFiles } from "./paas/index.ts";
import type { PebbleClient } from "../pebble/client.ts";
import { ChangeError, PebbleConnectionError } from "../pebble/errors.ts";
import { exec } from "../pebble/exec.ts";
import { commandOutputExcerpt } from "./commandOutput.ts";
import { diffLayer, type Layer, type PebblePlan } from "../pebble/layer.ts";
import { RESOURCES_FIELD_MANAGER } from "./paas/resources.ts";
import { SECRET_KEY_ID_FIELD, SECRET_KEY_LABEL, type Observation } from "./observe.ts";
import { readFailingApp } from "./failingApp.ts";
import { resourcesRefusal } from "./observeKubernetes.ts";
import { isKubernetesError } from "./kubernetes/errors.ts";
import type { CharmSettings, Plan, WorkloadSteps } from "./plan.ts";
import { writeWorkloadState, type WorkloadState } from "./workloadState.ts";

/** Every write of `plan`, in order; returns the status it set. */
export async function applyPlan(juju: Juju, plan: Plan, obs: Observation, settings: CharmSettings): Promise<UnitStatus> {
  await Promise.all(plan.relationWrites.map(async ({ relation, app, unit }) => {
    if (unit) await juju.relations.write(relation, unit, { app: false });
    if (app) await juju.relations.write(relation, app, { app: true });
  }));
  // Adopts the Python charm's key so a refreshed charm keeps users logged in; otherwise a new one.
  if (plan.createSecretKey !== undefined) await createSecretKey(juju, plan.createSecretKey, obs.peer?.relation);
  // The status already says what; the log says why, each reason naming its option or integration once.
  if (plan.gate.status !== "active" && plan.reasons.length) logger.info(`${plan.gate.status}: ${plan.reasons.join("; ")}`);

  let found: Pick<Parameters<typeof decideStatus>[0], "applied" | "failingApp" | "pebbleGone"> = {};
  if (plan.workload && obs.workload.reachable) {
    try {
      found = await applyWorkload({ pebble: obs.workload.pebble, current: obs.workload.plan, stored: obs.workload.state, steps: plan.workload, settings, port: plan.port });
    } catch (error) {
      // Pebble went away mid-hook (its container restarting): not the hook's to retry, pebble-ready follows.
      if (!(error instanceof PebbleConnectionError)) throw error;
      logger.warn(`Pebble stopped answering during the hook: ${error.message}`);
      found = { pebbleGone: true };
    }
  }
  const kubernetes = await patchResources(obs, plan, settings.container, juju.context.appName);
  const status = decideStatus({ gate: plan.gate, ...found, kubernetes });
  if (plan.ports && status.status !== "blocked" && status.status !== "waiting") await setPorts(plan.ports, obs.openedPorts);
  await applyStatus(obs.status, status, obs.leader);
  return status;
}

interface WorkloadWrites {
  pebble: PebbleClient;
  /** Pebble's plan as observed. */
  current: PebblePlan;
  /** The state file as observed (undefined in a fresh container). */
  stored: WorkloadState | undefined;
  steps: WorkloadSteps;
  settings: CharmSettings;
  port: number;
}

/** Files, Gunicorn config, migration and layer in that order, each step only when the one before passed. */
async function applyWorkload({ pebble, current, stored, steps, settings, port }: WorkloadWrites): Promise<{ applied?: ApplyOutcome; failingApp?: FailingAppFacts }> {
  const state = structuredClone(steps.state);
  let result: { applied?: ApplyOutcome; failingApp?: FailingAppFacts } = {};
  if (steps.kind === "stop") await stopAllServices(pebble, current);
  if (steps.kind === "run") {
    const { framework } = settings;
    if (steps.files) {
      await applyWorkloadFiles(pebble, steps.files.content);
      state.workloadFilesDigest = steps.files.digest;
    }
    let applied: ApplyOutcome = { restarted: false, port };
    if (steps.gunicorn) {
      const webserver = await applyGunicornConfig(pebble, steps.gunicorn.config, { env: steps.env, appDir: framework.appDir, service: framework.serviceName });
      if (webserver.applied) state.gunicornConfigDigest = steps.gunicorn.digest;
      applied = { ...applied, ...(webserver.geventMissing ? { geventMissing: webserver.geventMissing } : {}), ...(webserver.webserverCheckFailed ? { webserverCheckFailed: true } : {}) };
    }
    const webserverFailed = applied.geventMissing !== undefined || applied.webserverCheckFailed === true;
    if (steps.migration && !webserverFailed) {
      const migration = steps.migration;
      logger.info(`running the database migration: ${migration.command.join(" ")}`);
      const run = await exec(pebble, { command: migration.command, environment: migration.environment, workingDir: migration.workingDir, user: migration.user, group: migration.group });
      const ok = run.exitCode === 0;
      state.migration = { status: ok ? "COMPLETED" : "FAILED", fingerprint: migration.fingerprint };
      if (!ok) {
        logger.error(`the database migration exited with code ${run.exitCode}:\n${failedCommandExcerpt(run)}`);
        applied = { ...applied, migrationFailed: migration.failureMessage };
      }
    }
    if (!webserverFailed && applied.migrationFailed === undefined) {
      // Pebble restarts failed services itself; only services the charm stopped need a replan to come back.
      const layer = await applyLayer(pebble, current, steps.layer, steps.replanAnyway);
      delete state.servicesStopped;
      const check = steps.check;
      applied = {
        ...applied, restarted: layer.replanned,
        ...(layer.startFailure ? { startFailure: layer.startFailure } : {}),
        ...(check ? { check: { name: check.name, status: check.status === "down" ? "down" : "up" } } : {}),
      };
      if (statusAfterApply(applied).status !== "active") result = { failingApp: await readFailingApp(pebble, framework.serviceName, check, port) };
    }
    result = { ...result, applied };
  }
  await saveWorkloadState(pebble, settings.framework.stateDir, stored, state);
  return result;
}

/**
 * The leader creates the application's secret key secret (idempotent: only when none exists), and names it
 * in the peer app databag: units still waiting for the key get no secret event for a secret they have
 * never read, but they do get peer relation-changed.
 */
async function createSecretKey(juju: Juju, value: string, peer: { endpoint: string; id: number } | undefined): Promise<void> {
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
async function applyLayer(pebble: PebbleClient, plan: PebblePlan, layer: Layer, replanAnyway: boolean): Promise<LayerOutcome> {
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

/**
 * Missing required integrations: every service of the plan stops, as paas-charm 1.12.3's `is_ready`
 * (`paas_charm/charm.py`) has its App (`paas_charm/app.py`) do.
 */
async function stopAllServices(pebble: PebbleClient, plan: PebblePlan): Promise<void> {
  const names = Object.keys(plan.services);
  if (names.length === 0) return;
  const running = (await pebble.getServices(names)).filter((s) => s.current === "active" || s.current === "backoff").map((s) => s.name);
  if (running.length) await pebble.stopServices(running);
}

async function saveWorkloadState(pebble: PebbleClient, stateDir: string, before: WorkloadState | undefined, after: WorkloadState): Promise<void> {
  if (before && JSON.stringify(before) === JSON.stringify(after)) return;
  await writeWorkloadState(pebble, stateDir, after);
}

/** Sets the unit's status (and the app's, on the leader) only where it differs from what Juju shows. */
export async function applyStatus(current: { unit: Status; app: ApplicationStatus | undefined }, desired: UnitStatus, leader: boolean): Promise<void> {
  const same = (status: Status | undefined) => status?.status === desired.status && status.message === desired.message;
  await Promise.all([
    same(current.unit) ? undefined : statusSet(desired.status, desired.message),
    leader && !same(current.app) ? statusSet(desired.status, desired.message, { application: true }) : undefined,
  ]);
}

/**
 * Server-side apply of the workload container's resources on the app's StatefulSet, with the charm's own
 * field manager: a field it no longer sends is released, and Kubernetes rolls the pods to the new template.
 * @kubernetes/client-node is loaded only here. Returns the findings with what the patch led to.
 */
async function patchResources(obs: Observation, plan: Plan, container: string, app: string): Promise<KubernetesFindings> {
  const resources = plan.kubernetes.patchResources;
  const access = obs.kubernetes.access;
  if (!resources || !access) return plan.kubernetes.findings;
  const { kubernetesClient } = await import("./kubernetes/client.ts");
  logger.info(`applying ${JSON.stringify(resources)} to the ${container} container of StatefulSet ${app}: its pods restart`);
  try {
    await kubernetesClient(access).applyStatefulSet({
      apiVersion: "apps/v1", kind: "StatefulSet", metadata: { name: app },
      spec: { template: { spec: { containers: [{ name: container, resources }] } } },
    }, RESOURCES_FIELD_MANAGER);
  } catch (error) {
    if (!isKubernetesError(error)) throw error;
    return resourcesRefusal(error, resources) === "forbidden" ? { ...plan.kubernetes.findings, forbidden: trustMessage(app) } : plan.kubernetes.findings;
  }
  return { ...plan.kubernetes.findings, rolling: ROLLING_MESSAGE };
}

/** What the log shows of a failed exec: its stderr, then its stdout, cut by commandOutputExcerpt. */
function failedCommandExcerpt(result: { stdout: string; stderr: string }): string {
  return commandOutputExcerpt([result.stderr, result.stdout].filter(Boolean).join("\n"));
}

/** The rocks' user the app runs as: it owns what the charm writes for the app. */
const WORKLOAD_OWNER = { user: "_daemon_", group: "_daemon_" };

/**
 * Files the app reads, in their own directory owned by the app's user. Its parents are made first as
 * root's, so the app never owns the directory that holds the charm's state.
 */
async function applyWorkloadFiles(pebble: PebbleClient, files: WorkloadFiles): Promise<void> {
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
 * A changed Gunicorn config (paas-charm 1.12.3 `paas_charm/_gunicorn/webserver.py`): gevent checked first when asked for, the new file checked with
 * `--check-config` under a candidate name before it replaces the one Gunicorn reads, then a SIGHUP to
 * the running service so it reloads (workers, timeouts) without a restart.
 */
async function applyGunicornConfig(
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
    environment: run.env, workingDir: run.appDir, ...WORKLOAD_OWNER,
  });
  await pebble.removePath(candidate);
  if (check.exitCode !== 0) {
    logger.error(`gunicorn --check-config rejected the new configuration:\n${failedCommandExcerpt(check)}`);
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

/**
 * Django's create-superuser (paas-charm 1.12.3 `paas_charm/django/charm.py`): `manage.py createsuperuser
 * --noinput` in the app dir with the app's environment and a generated password, which is the action's
 * one result. Fails with the command's own words.
 */
export async function createSuperuser(
  pebble: PebbleClient, appDir: string, env: Record<string, string>, user: { username: string; email: string },
): Promise<{ password: string } | { failure: string }> {
  const password = randomBytes(16).toString("base64url");
  registerSecret(password);
  const result = await exec(pebble, {
    command: ["python3", "manage.py", "createsuperuser", "--noinput"],
    environment: { ...env, DJANGO_SUPERUSER_PASSWORD: password, DJANGO_SUPERUSER_USERNAME: user.username, DJANGO_SUPERUSER_EMAIL: user.email },
    workingDir: appDir,
    splitStderr: false,
  });
  if (result.exitCode !== 0) return { failure: result.stdout.trim() || `manage.py createsuperuser exited with code ${result.exitCode}` };
  return { password };
}
