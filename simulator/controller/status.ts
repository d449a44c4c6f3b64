// `juju status --format json` of a simulated model, in Juju 3.6's shape (the fields jubilant's
// statustypes parse strictly: model{name,type,controller,cloud,version}, machines, applications with
// charm, charm-name, charm-rev, charm-origin, exposed, application-status, units).
import type { Application, Model, RelationEnd, StatusRecord, Unit } from "../model.ts";
import { CONTROLLER_NAME, JUJU_VERSION } from "./home.ts";
import type { AppInfo, ModelRuntime } from "./modelRuntime.ts";
import type { IntegrationRow } from "./protocol.ts";

interface StatusInfoJson { current: string; message?: string; since: string; version?: string }

/** Juju's order of severity when it derives an application's status from its units. */
const SEVERITY: Record<string, number> = { error: 100, blocked: 90, maintenance: 80, waiting: 70, active: 60, terminated: 50, unknown: 40 };

/** Juju's timestamp format in status output: "22 Nov 2026 10:04:05Z". */
export function jujuTime(iso: string): string {
  const date = new Date(iso);
  const month = date.toLocaleString("en-US", { month: "short", timeZone: "UTC" });
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${pad(date.getUTCDate())} ${month} ${date.getUTCFullYear()} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}Z`;
}

export function modelStatus(runtime: ModelRuntime): Record<string, unknown> {
  const model = runtime.sim.model();
  const applications: Record<string, unknown> = {};
  for (const app of Object.values(model.applications).sort((a, b) => a.name.localeCompare(b.name))) {
    const info = runtime.apps.get(app.name);
    if (info) applications[app.name] = applicationStatus(runtime, model, app, info);
  }
  return {
    model: {
      name: model.name,
      type: "caas",
      controller: CONTROLLER_NAME,
      cloud: "microk8s",
      region: "localhost",
      version: JUJU_VERSION,
      "model-status": { current: "available", since: jujuTime(runtime.createdAt) },
      sla: "unsupported",
    },
    machines: {},
    applications,
    storage: {},
    controller: { timestamp: jujuTime(new Date().toISOString()).split(" ")[3] },
  };
}

function applicationStatus(runtime: ModelRuntime, model: Model, app: Application, info: AppInfo): Record<string, unknown> {
  const units = Object.values(model.units).filter((u) => u.app === app.name).sort((a, b) => unitNumber(a) - unitNumber(b));
  const unitStatuses = Object.fromEntries(units.map((unit) => [unit.name, unitStatus(runtime, unit)]));
  const leader = units.find((u) => u.leader);
  const version = info.workloadVersion ?? leader?.workloadVersion ?? units.find((u) => u.workloadVersion)?.workloadVersion ?? "";
  const result: Record<string, unknown> = {
    charm: info.origin === "local" ? `local:${info.charmName}-${info.revision}` : info.charmName,
    "charm-origin": info.origin,
    "charm-name": info.charmName,
    "charm-rev": info.revision,
    ...(info.channel ? { "charm-channel": info.channel } : {}),
    scale: units.length,
    "provider-id": providerId(runtime, app.name),
    address: info.serviceAddress,
    exposed: info.exposed,
    "application-status": applicationStatusInfo(runtime, app, units),
    relations: relationsOf(model, app.name),
    units: unitStatuses,
    version,
    "endpoint-bindings": endpointBindings(app),
    base: info.base,
  };
  if (Object.keys(result.relations as object).length === 0) delete result.relations;
  if (units.length === 0) delete result.units;
  return result;
}

/** Every endpoint (and the default, "") bound to the one space a Kubernetes model has. */
export function endpointBindings(app: Application): Record<string, string> {
  return Object.fromEntries(["", ...Object.keys(app.charm.endpoints), ...app.charm.extraBindings].sort().map((e) => [e, "alpha"]));
}

/** The leader's `status-set --application`, or else the most severe unit status, as Juju derives it. */
function applicationStatusInfo(runtime: ModelRuntime, app: Application, units: Unit[]): StatusInfoJson {
  if (app.status.status !== "unknown") return statusInfo(app.status);
  let worst: StatusInfoJson | undefined;
  for (const unit of units) {
    const candidate = workloadStatus(runtime, unit);
    if (!worst || (SEVERITY[candidate.current] ?? 0) > (SEVERITY[worst.current] ?? 0)) worst = candidate;
  }
  return worst ?? { current: "waiting", message: "waiting for units", since: jujuTime(app.status.since) };
}

function unitStatus(runtime: ModelRuntime, unit: Unit): Record<string, unknown> {
  const ports = [...new Set(Object.values(unit.openedPorts).flat())].sort();
  return {
    "workload-status": workloadStatus(runtime, unit),
    "juju-status": { current: "idle", since: jujuTime(lastHookTime(unit)), version: JUJU_VERSION },
    ...(unit.leader ? { leader: true } : {}),
    ...(ports.length > 0 ? { "open-ports": ports } : {}),
    address: unit.address,
    "provider-id": `${unit.app}-${unitNumber(unit)}`,
  };
}

function workloadStatus(runtime: ModelRuntime, unit: Unit): StatusInfoJson {
  const failure = runtime.failures.get(unit.name);
  if (failure) return { current: "error", message: `hook failed: "${failure.hook}"`, since: jujuTime(failure.since) };
  return statusInfo(unit.status);
}

function statusInfo(record: StatusRecord): StatusInfoJson {
  return { current: record.status, ...(record.message ? { message: record.message } : {}), since: jujuTime(record.since) };
}

function relationsOf(model: Model, app: string): Record<string, Array<Record<string, string>>> {
  const relations: Record<string, Array<Record<string, string>>> = {};
  for (const relation of Object.values(model.relations)) {
    if (relation.broken) continue;
    const local = relation.ends.find((e) => e.app === app);
    if (!local) continue;
    const remote = relation.ends.find((e) => e !== local) ?? local;
    (relations[local.endpoint] ??= []).push({ "related-application": remote.app, interface: relation.interface, scope: "global" });
  }
  return relations;
}

/** Juju's relation rows: the providing end, the requiring end (the same `app:endpoint` twice for a peer relation). */
export function modelIntegrations(runtime: ModelRuntime): IntegrationRow[] {
  const model = runtime.sim.model();
  const rows: IntegrationRow[] = [];
  for (const relation of Object.values(model.relations)) {
    if (relation.broken) continue;
    const name = (end: RelationEnd) => `${end.app}:${end.endpoint}`;
    const role = (end: RelationEnd) => model.applications[end.app]?.charm.endpoints[end.endpoint]?.role;
    const provider = relation.ends.find((end) => role(end) !== "requires") ?? relation.ends[0]!;
    const requirer = relation.ends.find((end) => end !== provider) ?? provider;
    rows.push({ provider: name(provider), requirer: name(requirer), interface: relation.interface, type: provider.app === requirer.app ? "peer" : "regular" });
  }
  return rows;
}

function lastHookTime(unit: Unit): string {
  return unit.logs.at(-1)?.timestamp ?? unit.status.since;
}

function unitNumber(unit: Unit): number {
  return Number(unit.name.slice(unit.name.lastIndexOf("/") + 1));
}

function providerId(runtime: ModelRuntime, app: string): string {
  return `${runtime.uuid.slice(0, 8)}-${app}`;
}
