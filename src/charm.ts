// The charm: one reconcile for every event (paas-charm §1.4-1.5), plus the actions. Each run observes Juju
// and the workload, lets the pure planner in src/paas decide, and applies only what differs.
import { createHash, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { actionFail, actionGet, actionSet, logger, registerSecret, secretInfoGet, type Juju } from "./juju/index.ts";
import {
  applyGunicornConfig, applyLayer, applyPorts, applyRelationWrites, applyStatus, applyWorkloadFiles, createSecretKey, rotateSecretKey, saveWorkloadState, stopAllServices,
  type DesiredStatus, type GunicornOutcome,
} from "./apply.ts";
import { observe, observeStatus, SECRET_KEY_LABEL, type Observation, type WorkloadTarget } from "./observe.ts";
import { evaluateIntegrations, type IntegrationsResult } from "./paas/integrations/index.ts";
import {
  FRAMEWORKS, PAAS_CONFIG_FILE, PaasConfigError, RUNTIME_FILE, WAITING_FOR_PEBBLE_ANSWER, appPort, generateSecretKey, healthCheckName, metricsTarget, parseCharmSettings, plan, statusAfterApply, type Framework, type PaasConfig, type Plan,
} from "./paas/index.ts";
import type { CheckInfo, PebbleClient } from "./pebble/client.ts";
import { PebbleConnectionError } from "./pebble/errors.ts";
import { nameFailingApp } from "./failingApp.ts";
import type { Service } from "./pebble/layer.ts";
import { exec } from "./pebble/exec.ts";
import { kubernetesStep, workloadInTrouble } from "./kubernetesStep.ts";
import { commandOutputExcerpt } from "./commandOutput.ts";
import type { WorkloadState } from "./workloadState.ts";

const PEER_ENDPOINT = "secret-storage";

interface Charm {
  juju: Juju;
  framework: Framework;
  paasConfig: PaasConfig;
  container: string;
}

export async function handleEvent(juju: Juju): Promise<number> {
  const containers = Object.keys(juju.meta.metadata.containers);
  if (containers.length !== 1) throw new Error(`metadata.yaml declares ${containers.length} containers (${containers.join(", ")}): a 12-factor charm has exactly one, the app's`);
  const event = juju.event;
  let paasConfig: PaasConfig;
  try {
    paasConfig = parseCharmSettings({ runtime: readCharmFile(juju, RUNTIME_FILE), paasConfig: readCharmFile(juju, PAAS_CONFIG_FILE) });
  } catch (error) {
    if (!(error instanceof PaasConfigError)) throw error;
    // A file packed into the charm: no retry fixes it, only a refreshed charm.
    logger.error(`${error.message}: fix the file and refresh the charm`);
    if (event.kind === "action") await actionFail(error.message);
    else {
      const leader = await juju.isLeader();
      await applyStatus(await observeStatus(juju, leader), { status: "blocked", message: error.message }, leader);
    }
    return 0;
  }
  const charm: Charm = { juju, framework: FRAMEWORKS[paasConfig.framework], paasConfig, container: containers[0]! };
  if (event.kind === "action") {
    if (event.action === "rotate-secret-key") await rotateSecretKeyAction(charm);
    else if (event.action === "create-superuser" && charm.framework.name === "django") await createSuperuserAction(charm);
    else await actionFail(`this charm has no action ${JSON.stringify(event.action)}`);
    return 0;
  }
  await reconcile(charm);
  return 0;
}

interface Reconciled {
  secretKey: string | undefined;
  status: DesiredStatus;
  observation: Observation;
  /** The app's environment, when every gate passed. */
  environment: Record<string, string> | undefined;
}

async function reconcile(charm: Charm, rotatedKey?: string): Promise<Reconciled> {
  const { juju, framework } = charm;
  const target: WorkloadTarget = {
    container: charm.container, stateDir: framework.stateDir, appDir: framework.appDir, legacySecretKeyField: framework.legacySecretKeyField,
    // update-status runs the app's check at once, so an app that stopped answering is not Active for long.
    ...(juju.event.kind === "lifecycle" && juju.event.hook === "update-status" ? { refreshCheck: healthCheckName(framework.serviceName) } : {}),
  };
  const obs = await observe(juju, target, juju.meta.metadata.relations[PEER_ENDPOINT] ? PEER_ENDPOINT : undefined);

  const keyValue = rotatedKey ?? obs.secretKey.value;
  const port = appPort(framework, charm.paasConfig, obs.config, juju.meta.config);
  const integrations = evaluateIntegrations(obs.endpoints, obs.relations, obs.integrationSecrets, {
    appName: juju.context.appName, modelName: juju.context.modelName, unitName: juju.context.unitName,
    leader: obs.leader, framework: framework.name, config: obs.config, port,
    portOpen: obs.openedPorts.some((p) => p.port === port && p.protocol === "tcp"),
    ...unitAddress(obs),
    observability: {
      modelUuid: juju.context.modelUuid, charmName: juju.meta.metadata.name,
      ...metricsTarget(framework, charm.paasConfig, obs.config), scrapeConfigs: charm.paasConfig.scrapeConfigs,
    },
  });
  await applyRelationWrites(juju, integrations.writes, (id) => obs.relations.find((r) => r.id === id)!.endpoint);

  const workload = obs.workload;
  const state = workload.reachable ? currentWorkloadState(workload) : undefined;
  const decision = plan<Service>({
    framework, paasConfig: charm.paasConfig, config: obs.config, declarations: juju.meta.config, configSecrets: obs.configSecrets,
    appName: juju.context.appName, modelName: juju.context.modelName, unitNumber: juju.context.unitNumber, leader: obs.leader,
    peerUnits: obs.peer?.units ?? [],
    ...(keyValue ? { secretKeyContent: { value: keyValue } } : {}),
    ...(obs.secretKey.legacyValue ? { legacySecretKey: obs.secretKey.legacyValue } : {}),
    integrations,
    jujuProxy: { http: juju.context.proxy.http, https: juju.context.proxy.https, noProxy: juju.context.proxy.noProxy },
    workload: workload.reachable && state
      ? { reachable: true, rockServices: state.originalServices, appDirFiles: state.appDirFiles, migrationStatus: migrationStatus(state, integrations), logTargets: workload.plan.logTargets }
      : { reachable: false },
  });
  // Adopts the Python charm's key so a refreshed charm keeps users logged in; otherwise a new one.
  if (decision.secretKey.write?.action === "create") await createSecretKey(juju, decision.secretKey.write.value, obs.peer?.relation);
  const secretKey = decision.secretKey.key;
  // The status already says what; the log says why, each reason naming its option or integration once.
  if (decision.status.status !== "active" && decision.reasons.length) logger.info(`${decision.status.status}: ${decision.reasons.join("; ")}`);

  let status: DesiredStatus = decision.status;
  if (workload.reachable && state) {
    try {
      status = await applyWorkload(charm, workload.pebble, workload.plan, workload.state, state, decision, integrations, workload.checks);
    } catch (error) {
      // Pebble went away mid-hook (its container restarting): not the hook's to retry, pebble-ready follows.
      if (!(error instanceof PebbleConnectionError)) throw error;
      logger.warn(`Pebble stopped answering during the hook: ${error.message}`);
      status = { status: "waiting", message: WAITING_FOR_PEBBLE_ANSWER };
    }
  }
  status = await kubernetesStep({
    juju, container: charm.container, leader: obs.leader, config: obs.config, status, gated: decision.status.status === "blocked",
    workloadInTrouble: workloadInTrouble(workload, decision.stopServices),
  });
  if (!decision.stopServices && status.status !== "blocked" && status.status !== "waiting") await applyPorts(obs.openedPorts, [{ protocol: "tcp", port: decision.port }]);
  await applyStatus(obs.status, status, obs.leader);
  return { secretKey, status, observation: obs, environment: decision.workload?.env };
}

/** Migrations, layer and replan; returns the unit's status (a failed migration or a silent app is not active). */
async function applyWorkload(
  charm: Charm, pebble: PebbleClient, plan: import("./pebble/layer.ts").Plan, stored: WorkloadState | undefined, state: WorkloadState,
  decision: Plan<Service>, integrations: IntegrationsResult, checks: CheckInfo[],
): Promise<DesiredStatus> {
  let status: DesiredStatus = decision.status;
  if (decision.stopServices) {
    await stopAllServices(pebble, plan);
    state.migration = { status: "PENDING" };
    state.servicesStopped = true;
  } else if (decision.workload) {
    const { layer, migration, gunicorn: gunicornConfig, files } = decision.workload;
    // Written once per container: they live as long as the state file that holds their digest.
    const filesDigest = files ? sha256(JSON.stringify(files)) : undefined;
    if (files && state.workloadFilesDigest !== filesDigest) {
      await applyWorkloadFiles(pebble, files);
      state.workloadFilesDigest = filesDigest;
    }
    let webserver: GunicornOutcome = { applied: false };
    if (gunicornConfig) {
      // Only a changed file or command (worker class) is checked, written and reloaded: an unchanged
      // config sends no SIGHUP.
      const digest = sha256(`${gunicornConfig.content}\u0000${gunicornConfig.checkCommand.join(" ")}`);
      if (state.gunicornConfigDigest !== digest) {
        webserver = await applyGunicornConfig(pebble, gunicornConfig, { env: decision.workload.env, appDir: charm.framework.appDir, service: charm.framework.serviceName });
        if (webserver.applied) state.gunicornConfigDigest = digest;
      }
    }
    const webserverProblem = statusAfterApply({ ...webserver, restarted: true, port: decision.port });
    if (webserverProblem.status !== "active") status = webserverProblem;
    if (migration && status.status === "active") {
      logger.info(`running the database migration: ${migration.command.join(" ")}`);
      const result = await exec(pebble, { command: migration.command, environment: migration.environment, workingDir: migration.workingDir, user: migration.user, group: migration.group });
      const ok = result.exitCode === 0;
      state.migration = { status: ok ? "COMPLETED" : "FAILED", fingerprint: integrations.migrationFingerprint };
      if (!ok) {
        logger.error(`the database migration exited with code ${result.exitCode}:\n${commandOutputExcerpt([result.stderr, result.stdout].filter(Boolean).join("\n"))}`);
        status = { status: "blocked", message: migration.failureMessage };
      }
    }
    if (status.status === "active") {
      // Pebble restarts failed services itself; only services the charm stopped need a replan to come back.
      const applied = await applyLayer(pebble, plan, { services: layer.services, checks: layer.checks, logTargets: layer.logTargets }, state.servicesStopped === true);
      delete state.servicesStopped;
      const check = checks.find((c) => c.name === healthCheckName(charm.framework.serviceName));
      status = statusAfterApply({
        restarted: applied.replanned, port: decision.port,
        ...(applied.startFailure ? { startFailure: applied.startFailure } : {}),
        ...(check ? { check: { name: check.name, status: check.status === "down" ? "down" : "up" } } : {}),
      });
      status = await nameFailingApp(pebble, charm.framework.serviceName, check, decision.port, status);
    }
  }
  await saveWorkloadState(pebble, charm.framework.stateDir, stored, state);
  return status;
}

/** The workload state to keep: what the container already holds, or a fresh capture of the rock's plan. */
function currentWorkloadState(workload: Extract<Observation["workload"], { reachable: true }>): WorkloadState {
  if (workload.state) return structuredClone(workload.state);
  return { version: 1, originalServices: workload.plan.services, appDirFiles: workload.appDirFiles ?? [], migration: { status: "PENDING" } };
}

/** paas-charm re-runs migrations when database/redis/s3/... data changes: new data means pending again. */
function migrationStatus(state: WorkloadState, integrations: IntegrationsResult): WorkloadState["migration"]["status"] {
  if (state.migration.status === "COMPLETED" && state.migration.fingerprint !== integrations.migrationFingerprint) return "PENDING";
  return state.migration.status;
}

function unitAddress(obs: Observation): { unitAddress?: string } {
  for (const relation of obs.relations) {
    const address = relation.localUnitData["ingress-address"];
    if (address) return { unitAddress: address };
  }
  return {};
}

async function rotateSecretKeyAction(charm: Charm): Promise<void> {
  if (!(await charm.juju.isLeader())) {
    await actionFail("only leader unit can rotate secret key");
    return;
  }
  const before = await reconcile(charm);
  if (!before.secretKey) {
    await actionFail("charm is still initializing");
    return;
  }
  const info = await secretInfoGet({ label: SECRET_KEY_LABEL }, charm.juju.context.modelUuid);
  const value = generateSecretKey();
  await rotateSecretKey(info.id, value);
  await reconcile(charm, value);
  await actionSet({ status: "success" });
}

/**
 * Django's create-superuser (paas-charm-spec.md §6.4): `manage.py createsuperuser --noinput` in the app dir
 * with the app's environment and a generated password, which is the action's one result.
 */
async function createSuperuserAction(charm: Charm): Promise<void> {
  const params = await actionGet();
  const username = params.username;
  const email = params.email;
  if (typeof username !== "string" || !username || typeof email !== "string" || !email) {
    await actionFail("create-superuser needs the parameters username and email");
    return;
  }
  const { observation, environment, status } = await reconcile(charm);
  // paas-charm fails the action here but goes on; an unready app has no database to create a user in.
  if (!observation.workload.reachable || !environment || status.status !== "active") {
    await actionFail("app container is not ready");
    return;
  }
  const password = randomBytes(16).toString("base64url");
  registerSecret(password);
  const result = await exec(observation.workload.pebble, {
    command: ["python3", "manage.py", "createsuperuser", "--noinput"],
    environment: { ...environment, DJANGO_SUPERUSER_PASSWORD: password, DJANGO_SUPERUSER_USERNAME: username, DJANGO_SUPERUSER_EMAIL: email },
    workingDir: charm.framework.appDir,
    splitStderr: false,
  });
  if (result.exitCode !== 0) {
    await actionFail(result.stdout.trim() || `manage.py createsuperuser exited with code ${result.exitCode}`);
    return;
  }
  await actionSet({ password });
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

function readCharmFile(juju: Juju, name: string): string {
  try {
    return readFileSync(join(juju.context.charmDir, name), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return "";
    throw error;
  }
}
