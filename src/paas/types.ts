// The planner's input and output: everything observed this hook, as plain data, and everything the
// charm must do about it. `plan()` (plan.ts) turns one into the other.
import type { ResolvedConfig } from "./config.ts";
import type { ProxySettings } from "./env.ts";
import type { ConfigValue, Framework } from "./frameworks/index.ts";
import type { LokiTarget } from "./integrations/logging.ts";
import type { LayerDef, PlannedLogTarget, ServiceDef } from "./layer.ts";
import type { MigrationExec, MigrationStatus } from "./migrations.ts";
import type { PaasConfig } from "./paasConfig.ts";
import type { SecretKeyDecision } from "./secretKey.ts";
import type { UnitStatus } from "./status.ts";

/** What the integrations module concluded (structurally the `IntegrationsResult` of src/paas/integrations). */
export interface IntegrationFacts {
  /** Env fragments in paas-charm's merge order (docs/paas-charm-contract.md §3.1 step 8). */
  env: ReadonlyArray<Readonly<Record<string, string>>>;
  /** Required integrations without usable data, in §1.7 order. */
  missing: readonly string[];
  /** Invalid relation data: the Blocked message. */
  blocked?: string;
  /** Why integrations are not usable, for the log (no values). */
  problems?: ReadonlyArray<{ integration: string; reason: string }>;
  /** Integrations with usable data. */
  ready: readonly string[];
  ingressUrl?: string;
  /** Proxies from the http-proxy relation. */
  proxy?: { http: string; https: string };
  /** OAuth gate message (client not created, no ingress, several OAuth endpoints). */
  oauthGate?: string;
  oauth?: { scopeError?: string };
  /** Loki log targets from the logging relation. */
  logTargets?: Readonly<Record<string, LokiTarget>>;
}

export type WorkloadFacts<S extends ServiceDef> =
  | { reachable: false }
  | {
    reachable: true;
    /** The rock's services as captured before the charm's first layer. */
    rockServices: Readonly<Record<string, S>>;
    /** Names of the files in the framework's app dir. */
    appDirFiles: readonly string[];
    /** PENDING when never run or when migration-relevant integration data changed since. */
    migrationStatus: MigrationStatus;
    /** The log targets of the current plan. */
    logTargets?: Readonly<Record<string, PlannedLogTarget>>;
  };

export interface PlanInput<S extends ServiceDef = ServiceDef> {
  framework: Framework;
  paasConfig: PaasConfig;
  config: Readonly<Record<string, ConfigValue>>;
  /** `config` resolved against the charm's declarations and secrets: once per event, by the caller. */
  resolved: ResolvedConfig;
  appName: string;
  modelName: string;
  unitNumber: number;
  leader: boolean;
  /** The other units of the app in the peer relation (`app/1`). */
  peerUnits: readonly string[];
  /** The `app-secret-key` Juju secret's content (undefined: no such secret yet). */
  secretKeyContent?: Readonly<Record<string, string>>;
  /** The Python charm's key from the peer app databag, adopted when there is no secret yet. */
  legacySecretKey?: string;
  /** JUJU_CHARM_HTTP_PROXY, JUJU_CHARM_HTTPS_PROXY, JUJU_CHARM_NO_PROXY. */
  jujuProxy: ProxySettings;
  integrations: IntegrationFacts;
  workload: WorkloadFacts<S>;
}

/** Gunicorn's config file and the commands that validate the workload before it restarts (§8.1-8.2). */
export interface GunicornPlan {
  path: string;
  content: string;
  /** Exec with the app env as `_daemon_` in the app dir; non-zero blocks with WEBSERVER_CHECK_FAILED. */
  checkCommand: string[];
  /** Exec first when gevent workers are requested; non-zero blocks with `geventMissing`. */
  geventCheck?: { command: readonly string[]; failureMessage: string };
}

/** A directory the charm writes for the app, owned by the workload user (its parents stay root's). */
export interface WorkloadFiles {
  dir: string;
  files: ReadonlyArray<{ name: string; content: string }>;
}

export interface WorkloadPlan<S extends ServiceDef> {
  /** Added under the `charm` label with combine. */
  layer: LayerDef<S>;
  env: Record<string, string>;
  gunicorn?: GunicornPlan;
  /** Files the app reads (FastAPI's JSON log config), written before the migration and the replan. */
  files?: WorkloadFiles;
  /** Run before replan; absent when there is no migration or it has completed. */
  migration?: MigrationExec;
}

export interface WorkloadDecision<S extends ServiceDef = ServiceDef> {
  /**
   * The status of the first failing gate; when every gate passes, Active — applying may still change it
   * (statusAfterApply in status.ts: webserver check, migration, the app's ready check).
   */
  status: UnitStatus;
  /** Why the unit is not active, one line per problem, for the log; never a value. */
  reasons: string[];
  /** The generated key, and what the leader must write to its Juju secret. */
  secretKey: SecretKeyDecision;
  /** The app port: opened and published to ingress once the workload runs. */
  port: number;
  /** Stop every service and mark migrations PENDING (missing required integrations). */
  stopServices: boolean;
  /** Present when every gate passed: what the workload should look like. */
  workload?: WorkloadPlan<S>;
}
