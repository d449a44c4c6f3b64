// The planner: from one hook's observations to everything the charm should do — the secret key, the
// status (paas-charm's gates, docs/paas-charm-contract.md §1.5), and when every gate passes, the layer, env, Gunicorn config, files
// for the app and migration to apply. Pure: the random key generator is the only effect, and it is injectable.
import { configProblemMessage } from "./config.ts";
import { buildEnv, serviceUrl } from "./env.ts";
import { GEVENT_CHECK_COMMAND, checkConfigCommand, geventMissingMessage, renderGunicornConfig, webserverOptions, workerClassCommand } from "./gunicorn.ts";
import { buildLayer, type ServiceDef } from "./layer.ts";
import { migrationExec } from "./migrations.ts";
import { decideSecretKey, generateSecretKey } from "./secretKey.ts";
import { readinessGate } from "./status.ts";
import type { GunicornPlan, PlanInput, WorkloadDecision } from "./types.ts";

export function decideWorkload<S extends ServiceDef>(input: PlanInput<S>, generate: () => string = generateSecretKey): WorkloadDecision<S> {
  const fw = input.framework;
  const config = input.resolved;
  const webserver = fw.gunicornConfigPath ? webserverOptions(input.config) : undefined;
  const reasons = [
    ...config.reasons,
    ...(webserver?.reasons ?? []),
    // Each integration's reason already starts with its name.
    ...(input.integrations.problems ?? []).map((problem) => problem.reason),
  ];
  const secretKey = decideSecretKey({
    leader: input.leader,
    ...(input.secretKeyContent ? { secretContent: input.secretKeyContent } : {}),
    ...(input.legacySecretKey ? { legacyPeerValue: input.legacySecretKey } : {}),
  }, generate);

  const workload = input.workload;
  const rockServices = workload.reachable ? workload.rockServices : {};
  const mainService = rockServices[fw.serviceName];
  const workerClass = fw.name === "flask" || fw.name === "django"
    ? workerClassCommand(fw.name, mainService?.command, input.config["webserver-worker-class"])
    : { requiresGevent: false };
  const integrations = input.integrations;
  const workloadProblem = !mainService
    ? `the app-image has no Pebble service "${fw.serviceName}": deploy a rock built with the ${fw.name}-framework extension`
    : "blocked" in workerClass ? workerClass.blocked : undefined;

  const gate = readinessGate({
    framework: fw.name,
    configProblem: configProblemMessage({ missing: config.missing, invalid: [...config.invalid, ...(webserver?.invalid ?? [])] }),
    relationDataProblem: integrations.blocked,
    workloadReachable: workload.reachable,
    secretKeyReady: secretKey.key !== undefined,
    missingIntegrations: integrations.missing,
    oauthGate: integrations.oauthGate,
    readyIntegrations: integrations.ready,
    oauthScopeError: integrations.oauth?.scopeError,
    workloadProblem,
  });
  const base = { reasons, secretKey, port: config.port };
  if (gate) return { ...base, ...gate };
  if (!workload.reachable || "blocked" in workerClass) throw new Error("readinessGate let an unreachable workload or an invalid worker class through");

  const jsonLogs = input.paasConfig.loggingFormat === "json";
  const env = buildEnv({
    framework: fw, config, appName: input.appName, modelName: input.modelName,
    baseUrl: integrations.ingressUrl ?? serviceUrl(input.appName, input.modelName, config.port),
    secretKey: secretKey.key, jujuProxy: input.jujuProxy,
    ...(integrations.proxy ? { relationProxy: integrations.proxy } : {}),
    peerUnits: input.peerUnits, integrationEnv: integrations.env, jsonLogs,
  });
  const layer = buildLayer({
    rockServices: workload.rockServices, serviceName: fw.serviceName, env, unitNumber: input.unitNumber, port: config.port,
    ...(input.paasConfig.healthCheckPath !== undefined ? { healthCheckPath: input.paasConfig.healthCheckPath } : {}),
    ...(workerClass.command !== undefined ? { command: workerClass.command } : {}),
    ...(integrations.logTargets ? { logTargets: integrations.logTargets } : {}),
    ...(workload.logTargets ? { currentLogTargets: workload.logTargets } : {}),
  });
  let gunicorn: GunicornPlan | undefined;
  if (fw.gunicornConfigPath && webserver && (fw.name === "flask" || fw.name === "django")) {
    gunicorn = {
      path: fw.gunicornConfigPath,
      content: renderGunicornConfig({ port: config.port, appDir: fw.appDir, settings: webserver.settings, tracing: integrations.ready.includes("tracing"), jsonLogs }),
      checkCommand: checkConfigCommand(workerClass.command ?? mainService?.command ?? ""),
      ...(workerClass.requiresGevent ? { geventCheck: { command: GEVENT_CHECK_COMMAND, failureMessage: geventMissingMessage(fw.name) } } : {}),
    };
  }
  const files = jsonLogs ? fw.jsonLogs?.files() : undefined;
  const migration = migrationExec(fw.appDir, workload.appDirFiles, workload.migrationStatus, env);
  return {
    ...base,
    status: { status: "active", message: "" },
    stopServices: false,
    workload: { layer, env, ...(gunicorn ? { gunicorn } : {}), ...(files ? { files } : {}), ...(migration ? { migration } : {}) },
  };
}
