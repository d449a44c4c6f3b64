// logging (loki_push_api, requirer side, loki_k8s.v1.loki_push_api LogForwarder): each Loki unit publishes
// `endpoint = {"url": <push URL>}` in its unit bag; the workload's Pebble forwards every service's output
// to each URL through one `loki` log target per Loki unit, named after it, labelled with the topology.
// Targets of Loki units that went away are switched off (`services: [-all]`), as the library does.
import { field, isRecord, parseJson, pyJsonDumps, unitsInOrder, type Databag } from "./databag.ts";
import { jujuTopology } from "./topology.ts";
import type { IntegrationContext, ObservabilityContext, RelationView } from "./types.ts";

export interface LokiTarget {
  override: "replace";
  type: "loki";
  location: string;
  services: string[];
  labels?: Record<string, string>;
}

export interface LoggingOutcome {
  /** Log targets to forward to, by Loki unit name. */
  targets: Record<string, LokiTarget>;
  /** Why some Loki units give no target, one line each (no values). */
  problems: string[];
  /** Every Loki unit that published something published garbage. */
  invalid: boolean;
  app?: Databag;
}

function pushUrl(bag: Databag): { url: string } | { problem: "missing" | "invalid" } {
  const raw = field(bag, "endpoint");
  if (raw === undefined) return { problem: "missing" };
  const parsed = parseJson(raw);
  const url = parsed.ok && isRecord(parsed.value) ? parsed.value.url : undefined;
  if (typeof url !== "string" || !URL.canParse(url)) return { problem: "invalid" };
  const protocol = new URL(url).protocol;
  return protocol === "http:" || protocol === "https:" ? { url } : { problem: "invalid" };
}

export function evaluateLogging(relations: RelationView[], obs: ObservabilityContext, ctx: IntegrationContext): LoggingOutcome {
  const topology = jujuTopology(ctx, obs);
  const labels = {
    product: "Juju", charm: topology.charm_name, juju_model: topology.model, juju_model_uuid: topology.model_uuid,
    juju_application: topology.application, juju_unit: topology.unit,
  };
  const targets: Record<string, LokiTarget> = {};
  const problems: string[] = [];
  let published = 0;
  let invalid = 0;
  for (const relation of relations) {
    for (const [unit, bag] of unitsInOrder(relation.remoteUnitsData)) {
      const read = pushUrl(bag);
      if ("url" in read) {
        published++;
        targets[unit] = { override: "replace", type: "loki", location: read.url, services: ["all"], labels: { ...labels } };
      } else if (read.problem === "invalid") {
        published++;
        invalid++;
        problems.push(`logging: ${unit} published an endpoint that is not JSON with an http(s) url`);
      } else problems.push(`logging: waiting for ${unit} to publish its push endpoint`);
    }
  }
  if (relations.length > 0 && relations.every((relation) => Object.keys(relation.remoteUnitsData).length === 0)) {
    problems.push("logging: waiting for a Loki unit to join");
  }
  return {
    targets,
    problems,
    invalid: invalid > 0 && invalid === published,
    ...(ctx.leader ? { app: { metadata: pyJsonDumps(topology), alert_rules: "{}" } } : {}),
  };
}

/** Targets the plan forwards to that are no longer wanted: switched off in place (Pebble cannot delete). */
export function disabledTargets(
  current: Readonly<Record<string, { type?: string; location?: string; services?: readonly string[] }>>,
  wanted: Readonly<Record<string, LokiTarget>>,
): Record<string, LokiTarget> {
  const disabled: Record<string, LokiTarget> = {};
  for (const [name, target] of Object.entries(current)) {
    if (Object.hasOwn(wanted, name) || target.type !== "loki" || target.services?.includes("-all")) continue;
    disabled[name] = { override: "replace", type: "loki", location: target.location ?? "(removed)", services: ["-all"] };
  }
  return disabled;
}
