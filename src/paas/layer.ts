// The charm's Pebble layer (paas-charm-spec.md §4.2): built from the rock's own services, captured once per
// container, so removing a variable removes it from the app. The main service gets the full environment
// (`override: replace`), `-worker` services get it too, `-scheduler` services only on unit 0, and a
// readiness check on the app's HTTP port tells the charm (and Kubernetes) whether the app answers.

/** The fields of a Pebble service the planner touches; everything else of the rock's is kept as is. */
export interface ServiceDef {
  override: "merge" | "replace";
  command?: string;
  startup?: "enabled" | "disabled";
  environment?: Record<string, string>;
}

export interface CheckDef {
  override: "merge" | "replace";
  level: "alive" | "ready";
  period: string;
  timeout: string;
  threshold: number;
  http: { url: string };
}

export interface LayerDef<S extends ServiceDef> {
  services: Record<string, S>;
  checks: Record<string, CheckDef>;
}

export interface LayerInput<S extends ServiceDef> {
  rockServices: Record<string, S>;
  serviceName: string;
  env: Record<string, string>;
  unitNumber: number;
  port: number;
  healthCheckPath: string;
  /** A rewritten command for the main service (Gunicorn worker class). */
  command?: string;
}

export function healthCheckName(serviceName: string): string {
  return `${serviceName}-ready`;
}

export function buildLayer<S extends ServiceDef>(input: LayerInput<S>): LayerDef<S> {
  const main = input.rockServices[input.serviceName];
  if (!main) {
    const found = Object.keys(input.rockServices).sort().join(", ") || "none";
    throw new Error(`the workload's Pebble plan has no service "${input.serviceName}" (found: ${found}): is the app-image resource a rock built with the framework's rockcraft extension?`);
  }
  const services: Record<string, S> = {};
  for (const [name, service] of Object.entries(input.rockServices)) {
    const lower = name.toLowerCase();
    if (name === input.serviceName) {
      services[name] = { ...service, override: "replace", environment: { ...input.env }, ...(input.command ? { command: input.command } : {}) };
    } else if (lower.endsWith("-worker")) {
      services[name] = { ...service, override: "replace", environment: { ...input.env } };
    } else if (lower.endsWith("-scheduler")) {
      services[name] = input.unitNumber === 0
        ? { ...service, override: "replace", environment: { ...input.env } }
        : { ...service, override: "replace", startup: "disabled" };
    }
  }
  const checks = {
    [healthCheckName(input.serviceName)]: {
      override: "replace" as const, level: "ready" as const, period: "10s", timeout: "3s", threshold: 3,
      http: { url: `http://localhost:${input.port}${input.healthCheckPath}` },
    },
  };
  return { services, checks };
}
