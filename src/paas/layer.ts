// The charm's Pebble layer (docs/paas-charm-contract.md §4.2, §8.4), built from the rock's own services as
// captured before the charm's first layer, so a variable the charm stops setting disappears from the
// app. The main service gets the full env (`override: replace`) and possibly a rewritten command;
// `-worker` services get the env on every unit, `-scheduler` services only on unit 0 and are disabled
// elsewhere; every other rock service is left alone. Added by this charm: a ready-level check on the app
// port, so the unit is not Active while the app does not answer (docs/compatibility.md), and the Loki
// log targets of the logging relation (§8.6), with the ones no longer related switched off.
import { disabledTargets, type LokiTarget } from "./integrations/logging.ts";

/** The label the charm adds its layer under (combined with the rock's). */
export const LAYER_LABEL = "charm";

/** The fields of a Pebble service the planner touches; every other field of the rock's is kept. */
export interface ServiceDef {
  override: "merge" | "replace";
  command?: string;
  startup?: "enabled" | "disabled";
  environment?: Record<string, string>;
}

export interface ReadyCheck {
  override: "replace";
  level: "ready";
  period: string;
  timeout: string;
  threshold: number;
  http?: { url: string };
  tcp?: { port: number };
}

export interface LayerDef<S extends ServiceDef> {
  services: Record<string, S>;
  checks: Record<string, ReadyCheck>;
  logTargets: Record<string, LokiTarget>;
}

/** A log target as the current plan holds it. */
export interface PlannedLogTarget {
  type?: string;
  location?: string;
  services?: readonly string[];
}

export interface LayerInput<S extends ServiceDef> {
  rockServices: Readonly<Record<string, S>>;
  serviceName: string;
  env: Readonly<Record<string, string>>;
  unitNumber: number;
  port: number;
  /** With a path the check makes an HTTP request (2xx expected); without, it only connects to the port. */
  healthCheckPath?: string;
  /** A rewritten command for the main service (Gunicorn worker class, §8.2). */
  command?: string;
  /** Loki targets to forward every service's output to. */
  logTargets?: Readonly<Record<string, LokiTarget>>;
  /** The plan's log targets: those not wanted any more are switched off. */
  currentLogTargets?: Readonly<Record<string, PlannedLogTarget>>;
}

export function healthCheckName(serviceName: string): string {
  return `${serviceName}-ready`;
}

export class MissingServiceError extends Error {
  override name = "MissingServiceError";
}

export function buildLayer<S extends ServiceDef>(input: LayerInput<S>): LayerDef<S> {
  if (!Object.hasOwn(input.rockServices, input.serviceName)) {
    const found = Object.keys(input.rockServices).sort().join(", ") || "none";
    throw new MissingServiceError(`the workload's Pebble plan has no service "${input.serviceName}" (found: ${found}): deploy an app-image rock built with the framework's rockcraft extension`);
  }
  const services: Record<string, S> = {};
  for (const [name, service] of Object.entries(input.rockServices)) {
    const lower = name.toLowerCase();
    if (name === input.serviceName) {
      services[name] = { ...service, override: "replace", environment: { ...input.env }, ...(input.command !== undefined ? { command: input.command } : {}) };
    } else if (lower.endsWith("-worker")) {
      services[name] = { ...service, override: "replace", environment: { ...input.env } };
    } else if (lower.endsWith("-scheduler")) {
      // One scheduler per app: the unit numbered 0 (not the leader, which can move), as paas-charm.
      services[name] = input.unitNumber === 0
        ? { ...service, override: "replace", environment: { ...input.env } }
        : { ...service, override: "replace", startup: "disabled" };
    }
  }
  const wanted = input.logTargets ?? {};
  return {
    services,
    checks: { [healthCheckName(input.serviceName)]: readyCheck(input.port, input.healthCheckPath) },
    logTargets: { ...disabledTargets(input.currentLogTargets ?? {}, wanted), ...structuredClone(wanted) },
  };
}

function readyCheck(port: number, path: string | undefined): ReadyCheck {
  const timing = { override: "replace", level: "ready", period: "10s", timeout: "3s", threshold: 3 } as const;
  return path === undefined ? { ...timing, tcp: { port } } : { ...timing, http: { url: `http://localhost:${port}${path}` } };
}
