// The unit's status (docs/paas-charm-contract.md §1.5, §7): readiness gates in paas-charm's order — the first that
// fails decides — then what happened while applying (webserver check, migration, the app's own health).
import { WEBSERVER_CHECK_FAILED } from "./gunicorn.ts";

export type StatusName = "active" | "blocked" | "maintenance" | "waiting";

export interface UnitStatus {
  status: StatusName;
  message: string;
}

/** What the gates look at, already reduced to facts and messages. */
export interface GateFacts {
  framework: string;
  /** Invalid or missing options (§2.6 message). */
  configProblem?: string;
  /** Invalid relation data (`Invalid <name> relation data.`, http-proxy). */
  relationDataProblem?: string;
  workloadReachable: boolean;
  secretKeyReady: boolean;
  missingIntegrations: readonly string[];
  /** `Please check <app> charm!`, `Ingress relation is required…` or `Multiple OAuth relations…`. */
  oauthGate?: string;
  /** Names of integrations with usable data (Django needs a database among them). */
  readyIntegrations: readonly string[];
  /** The OAuth scopes lack `openid`. */
  oauthScopeError?: string;
  /** The rock does not fit the charm (no main service, worker class errors). */
  workloadProblem?: string;
}

export interface GateResult {
  status: UnitStatus;
  /** Missing required integrations: stop every service and make migrations pending again (§1.5 gate 4). */
  stopServices: boolean;
}

export const WAITING_FOR_PEBBLE = "Waiting for pebble ready";
export const WAITING_FOR_SECRET_KEY = "Waiting for the leader to create the app secret key";
export const APP_DID_NOT_START = "The app did not start";
export const DJANGO_NEEDS_DATABASE = "Django requires a database integration to work";
const DATABASES = ["postgresql", "mysql", "mongodb"];

/** The first failing gate, or undefined when the workload may be configured and started. */
export function readinessGate(facts: GateFacts): GateResult | undefined {
  const blocked = (message: string, stopServices = false): GateResult => ({ status: { status: "blocked", message }, stopServices });
  const waiting = (message: string): GateResult => ({ status: { status: "waiting", message }, stopServices: false });
  // Building the charm state comes first in paas-charm: config, then relation data.
  if (facts.configProblem) return blocked(facts.configProblem);
  if (facts.relationDataProblem) return blocked(facts.relationDataProblem);
  if (!facts.workloadReachable) return waiting(WAITING_FOR_PEBBLE);
  if (!facts.secretKeyReady) return waiting(WAITING_FOR_SECRET_KEY);
  if (facts.missingIntegrations.length) return blocked(`missing integrations: ${facts.missingIntegrations.join(", ")}`, true);
  if (facts.oauthGate) return blocked(facts.oauthGate);
  if (facts.framework === "django" && !facts.readyIntegrations.some((name) => DATABASES.includes(name))) return blocked(DJANGO_NEEDS_DATABASE);
  if (facts.oauthScopeError) return blocked(facts.oauthScopeError);
  if (facts.workloadProblem) return blocked(facts.workloadProblem);
  return undefined;
}

/** What applying the plan found; absent fields mean the step did not run or passed. */
export interface ApplyOutcome {
  /** gevent was required and `import gevent` failed: the message to block with. */
  geventMissing?: string;
  /** `gunicorn --check-config` failed. */
  webserverCheckFailed?: boolean;
  /** The migration failed: its Blocked message. */
  migrationFailed?: string;
  /** The replan's services did not start: Pebble's reason. */
  startFailure?: string;
  /** The app's ready check as Pebble reports it, read before this hook changed anything. */
  check?: { name: string; status: "up" | "down" };
  /** The services were (re)started this hook: a check result read before says nothing about the new process. */
  restarted: boolean;
  port: number;
}

/** The status after a plan that passed every gate has been applied (§4.3, §5, plus the app's health). */
export function statusAfterApply(outcome: ApplyOutcome): UnitStatus {
  if (outcome.geventMissing) return { status: "blocked", message: outcome.geventMissing };
  if (outcome.webserverCheckFailed) return { status: "blocked", message: WEBSERVER_CHECK_FAILED };
  if (outcome.migrationFailed) return { status: "blocked", message: outcome.migrationFailed };
  // Blocked, not an error: the hook has nothing to retry. The next event that finds the app's check up
  // (update-status runs it) reports active again, once Pebble's restarts succeed or the config is fixed.
  if (outcome.startFailure) return { status: "blocked", message: `${APP_DID_NOT_START}: ${outcome.startFailure}` };
  if (!outcome.restarted && outcome.check?.status === "down") {
    return { status: "waiting", message: `Waiting for the app to answer on port ${outcome.port} (check ${outcome.check.name} is failing)` };
  }
  return { status: "active", message: "" };
}

/** Pebble did not answer during the hook (its container restarting): the next pebble-ready reconciles. */
export const WAITING_FOR_PEBBLE_ANSWER = "Waiting for Pebble";

/** What Pebble says about an app that is not serving. */
export interface FailingAppFacts {
  service: string;
  /** Pebble's state of the app's service. */
  serviceState?: "active" | "inactive" | "backoff" | "error";
  check?: { name: string; status: "up" | "down" | "inactive"; failures: number; threshold: number; lastError?: string };
  port: number;
  /** The service's last log lines, oldest first (already redacted). */
  logLines: readonly string[];
}

const LOG_TAIL_LINES = 3;
const LOG_LINE_CHARS = 160;

/**
 * `; last log lines: a | b | c`, or nothing when the service wrote nothing. Short because it ends a status
 * line; a failed command's fuller excerpt for the log is `commandOutputExcerpt` (src/commandOutput.ts).
 */
export function logTail(lines: readonly string[]): string {
  const tail = lines.map((line) => line.trim()).filter(Boolean).slice(-LOG_TAIL_LINES)
    .map((line) => (line.length > LOG_LINE_CHARS ? `${line.slice(0, LOG_LINE_CHARS - 1)}…` : line));
  return tail.length ? `; last log lines: ${tail.join(" | ")}` : "";
}

/**
 * An app that is failing for good, named (not Waiting forever): its service in Pebble's back-off or error
 * state, or its ready check failing more times than its threshold. Undefined while it may still come up.
 */
export function failingAppStatus(facts: FailingAppFacts): UnitStatus | undefined {
  const tail = logTail(facts.logLines);
  if (facts.serviceState === "backoff") return { status: "blocked", message: `The app keeps exiting: Pebble restarts service "${facts.service}" with back-off${tail}` };
  if (facts.serviceState === "error") return { status: "blocked", message: `The app exited: Pebble's service "${facts.service}" is in error and is not restarted${tail}` };
  const check = facts.check;
  if (check?.status === "down" && check.failures > check.threshold) {
    const why = check.lastError ? `: ${check.lastError}` : "";
    return { status: "blocked", message: `The app does not answer on port ${facts.port}: check ${check.name} failed ${check.failures} times in a row (threshold ${check.threshold})${why}${tail}` };
  }
  return undefined;
}

/** An app that is not serving, named from what Pebble says; `status` as it was when Pebble says nothing more. */
export function namedFailingApp(status: UnitStatus, facts: FailingAppFacts): UnitStatus {
  // A start that failed already carries Pebble's reason; the service's own words make it actionable.
  if (status.message.startsWith(APP_DID_NOT_START)) return { ...status, message: `${status.message}${logTail(facts.logLines)}` };
  return failingAppStatus(facts) ?? status;
}

/** Everything an event found that bears on the unit's status. */
export interface StatusFacts {
  /** The planner's verdict: the first failing gate, or Active when every gate passed. */
  gate: UnitStatus;
  /** Pebble stopped answering during the hook (its container restarting). */
  pebbleGone?: boolean;
  /** What applying the workload found; absent when the gates stopped short of it. */
  applied?: ApplyOutcome;
  /** What Pebble says about the app, read when what was applied left it not serving. */
  failingApp?: FailingAppFacts;
  kubernetes: KubernetesFindings;
}

/** The unit's status after an event: the one place it is decided. */
export function decideStatus(facts: StatusFacts): UnitStatus {
  let status = facts.gate;
  if (facts.pebbleGone) status = { status: "waiting", message: WAITING_FOR_PEBBLE_ANSWER };
  else if (facts.applied) {
    status = statusAfterApply(facts.applied);
    if (status.status !== "active" && facts.failingApp) status = namedFailingApp(status, facts.failingApp);
  }
  // The charm's own Blocked (from its gates) names what to fix first: the pod's state never replaces it.
  return withKubernetesFindings(status, facts.kubernetes, facts.gate.status === "blocked");
}

// How what the Kubernetes API showed changes the unit's status. The charm's own Blocked (bad config,
// missing integrations) names what to fix first and stays; a container that is not serving comes next
// (Pebble cannot see it: it explains an app that does not answer better than the app's check does), then
// any other Blocked, then a refused StatefulSet patch, then a rollout in progress.
export interface KubernetesFindings {
  /** The workload container is not serving (diagnoseContainer). */
  diagnosis?: UnitStatus;
  /** The StatefulSet could not be read or patched: RBAC refused (the app is not trusted). */
  forbidden?: string;
  /** Pods are being replaced for a new template. */
  rolling?: string;
}

/** `gated`: `base` is the charm's own Blocked from its gates (config, integrations), not the workload's state. */
export function withKubernetesFindings(base: UnitStatus, findings: KubernetesFindings, gated = base.status === "blocked"): UnitStatus {
  if (gated) return base;
  if (findings.diagnosis) return findings.diagnosis;
  if (base.status === "blocked") return base;
  if (findings.forbidden) return { status: "blocked", message: findings.forbidden };
  if (findings.rolling) return { status: "maintenance", message: findings.rolling };
  return base;
}
