// The planner: from everything observed, what the unit should look like (status, layer, migration,
// gunicorn config) — paas-charm's readiness gates in their order (§1.5, §7), then the desired workload.
import type { IntegrationsResult } from "./integrations/index.ts";
import type { Framework } from "./frameworks.ts";
import { buildEnv, serviceUrl } from "./env.ts";
import { invalidGunicornOptions, renderGunicornConfig, workerClassCommand } from "./gunicorn.ts";
import { buildLayer, type LayerDef, type ServiceDef } from "./layer.ts";
import { DAEMON_USER, migrationCommand, migrationFailureMessage } from "./migrations.ts";
import { configProblemMessage, resolveConfig, type ConfigValue, type OptionDecl } from "./options.ts";
import type { PaasConfig } from "./paasConfig.ts";

export type MigrationStatus = "PENDING" | "COMPLETED" | "FAILED";

export interface ReconcileInput<S extends ServiceDef> {
  framework: Framework;
  paasConfig: PaasConfig;
  config: Record<string, ConfigValue>;
  declarations: Record<string, OptionDecl>;
  configSecrets: Record<string, Record<string, string> | undefined>;
  appName: string;
  modelName: string;
  unitNumber: number;
  /** Other units of the app (peer relation). */
  peerUnits: string[];
  secretKey: string | undefined;
  integrations: IntegrationsResult;
  /** The model's proxy settings (JUJU_CHARM_*_PROXY), used unless the http-proxy relation gives proxies. */
  jujuProxy: { http?: string | undefined; https?: string | undefined; noProxy?: string | undefined };
  /** How many `requires` endpoints use the oauth interface (paas-charm supports one). */
  oauthEndpoints: number;
  workload:
    | { reachable: false }
    | { reachable: true; rockServices: Record<string, S>; appDirFiles: readonly string[]; migrationStatus: MigrationStatus };
}

export interface Status {
  status: "active" | "blocked" | "maintenance" | "waiting";
  message: string;
}

export interface MigrationPlan {
  command: string[];
  environment: Record<string, string>;
  workingDir: string;
  user: string;
  group: string;
  failureMessage: string;
}

export interface ReconcileDecision<S extends ServiceDef> {
  status: Status;
  /** Why, for the log, without values (e.g. which options are invalid and how). */
  reasons: string[];
  /** Missing required integrations: stop every service and make migrations pending again. */
  stopServices: boolean;
  port: number;
  /** Set when the workload should run: the layer to hold, and what to do before (re)starting it. */
  workload?: {
    layer: LayerDef<S>;
    env: Record<string, string>;
    migration?: MigrationPlan;
    gunicornConfig?: { path: string; content: string };
  };
}

const DATABASES = ["postgresql", "mysql", "mongodb"];

export function planReconcile<S extends ServiceDef>(input: ReconcileInput<S>): ReconcileDecision<S> {
  const fw = input.framework;
  const config = resolveConfig({ framework: fw, paasConfig: input.paasConfig, config: input.config, declarations: input.declarations, secrets: input.configSecrets });
  const reasons = [...config.reasons, ...input.integrations.problems.map((p) => `${p.integration}: ${p.reason}`)];
  const decide = (status: Status["status"], message: string, stopServices = false): ReconcileDecision<S> =>
    ({ status: { status, message }, reasons, stopServices, port: config.port });

  if (fw.gunicornConfigPath) {
    for (const option of invalidGunicornOptions(input.config)) {
      config.invalid.push(option);
      reasons.push(`${option}: must be an integer greater than 0`);
    }
    config.invalid.sort();
  }
  const configProblem = configProblemMessage(config);
  if (configProblem) return decide("blocked", configProblem);
  if (input.integrations.blocked) return decide("blocked", input.integrations.blocked);
  if (!input.workload.reachable) return decide("waiting", "Waiting for pebble ready");
  if (!input.secretKey) return decide("waiting", "Waiting for peer integration");
  if (input.integrations.missing.length) return decide("blocked", `missing integrations: ${input.integrations.missing.join(", ")}`, true);
  if (input.integrations.oauthGate) return decide("blocked", input.integrations.oauthGate);
  if (input.oauthEndpoints > 1) return decide("blocked", "Multiple OAuth relations are not supported at the moment");
  if (fw.name === "django" && !input.integrations.ready.some((name) => DATABASES.includes(name))) {
    return decide("blocked", "Django requires a database integration to work");
  }
  if (input.integrations.oauth?.scopeError) return decide("blocked", input.integrations.oauth.scopeError);

  const rockCommand = input.workload.rockServices[fw.serviceName]?.command;
  const workerClass = fw.gunicornConfigPath ? workerClassCommand(fw, rockCommand, input.config["webserver-worker-class"]) : {};
  if ("blocked" in workerClass) return decide("blocked", workerClass.blocked);

  const baseUrl = input.integrations.ingressUrl ?? serviceUrl(input.appName, input.modelName, config.port);
  const proxy = input.integrations.proxy
    ? { http: input.integrations.proxy.http, https: input.integrations.proxy.https, noProxy: input.jujuProxy.noProxy }
    : input.jujuProxy;
  const env = buildEnv({
    framework: fw, config, appName: input.appName, modelName: input.modelName, baseUrl, secretKey: input.secretKey,
    proxy, peerUnits: input.peerUnits, integrationEnv: input.integrations.env,
  });
  const layer = buildLayer({
    rockServices: input.workload.rockServices, serviceName: fw.serviceName, env, unitNumber: input.unitNumber,
    port: config.port, healthCheckPath: input.paasConfig.healthCheckPath, ...(workerClass.command ? { command: workerClass.command } : {}),
  });
  const command = migrationCommand(fw.appDir, input.workload.appDirFiles);
  const migration = command && input.workload.migrationStatus !== "COMPLETED"
    ? { command, environment: env, workingDir: fw.appDir, user: DAEMON_USER, group: DAEMON_USER, failureMessage: migrationFailureMessage(command) }
    : undefined;
  const gunicornConfig = fw.gunicornConfigPath ? { path: fw.gunicornConfigPath, content: renderGunicornConfig(fw, config.port, input.config) } : undefined;
  return {
    ...decide("active", ""),
    workload: { layer, env, ...(migration ? { migration } : {}), ...(gunicornConfig ? { gunicornConfig } : {}) },
  };
}
