// Pebble layers as TypeScript data: types, a serializer that emits only the fields Pebble knows
// (its decoder rejects unknown keys), a parser for the combined plan, and a pure comparison that
// tells whether adding a layer would change anything (so a no-op event skips addLayer + replan).
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";

export type Override = "merge" | "replace";
export type Startup = "enabled" | "disabled";
export type ServiceAction = "restart" | "shutdown" | "failure-shutdown" | "success-shutdown" | "ignore";

/** Who a service or an exec check runs as (by name or id; Pebble's default is its own user). */
export interface RunAs {
  user?: string;
  userId?: number;
  group?: string;
  groupId?: number;
}

/** A service entry. Durations are Go duration strings ("500ms", "1m30s"); see `goDuration`. */
export interface Service extends RunAs {
  override: Override;
  command?: string;
  summary?: string;
  description?: string;
  startup?: Startup;
  environment?: Record<string, string>;
  workingDir?: string;
  after?: string[];
  before?: string[];
  requires?: string[];
  onSuccess?: ServiceAction;
  onFailure?: ServiceAction;
  onCheckFailure?: Record<string, ServiceAction>;
  backoffDelay?: string;
  backoffFactor?: number;
  backoffLimit?: string;
  killDelay?: string;
}

export interface HttpCheck {
  url: string;
  headers?: Record<string, string>;
}

export interface TcpCheck {
  port: number;
  host?: string;
}

export interface ExecCheck extends RunAs {
  command: string;
  serviceContext?: string;
  environment?: Record<string, string>;
  workingDir?: string;
}

/** A check entry: exactly one of http, tcp, exec once layers are combined. */
export interface Check {
  override: Override;
  level?: "alive" | "ready";
  startup?: Startup;
  period?: string;
  timeout?: string;
  threshold?: number;
  http?: HttpCheck;
  tcp?: TcpCheck;
  exec?: ExecCheck;
}

export interface LogTarget {
  override: Override;
  type?: "loki" | "opentelemetry" | "syslog";
  location?: string;
  services?: string[];
  labels?: Record<string, string>;
}

export interface Layer {
  summary?: string;
  description?: string;
  services?: Record<string, Service>;
  checks?: Record<string, Check>;
  logTargets?: Record<string, LogTarget>;
}

/** The combined plan as `getPlan` returns it (extension sections such as `workloads` are not modelled). */
export interface PebblePlan {
  services: Record<string, Service>;
  checks: Record<string, Check>;
  logTargets: Record<string, LogTarget>;
}

// --- field tables: the single source of the wire names, kinds and Pebble's defaults -----------------

type Kind = "string" | "integer" | "number" | "duration" | "map" | "list" | { object: Spec };
interface Field {
  wire: string;
  kind: Kind;
  /** Pebble's value when the field is unset, so "unset" and "set to the default" compare equal. */
  default?: string | number;
}
type Spec = Record<string, Field>;

const f = (wire: string, kind: Kind, defaultValue?: string | number): Field =>
  defaultValue === undefined ? { wire, kind } : { wire, kind, default: defaultValue };

/** RunAs on the wire. */
const identityFields: Spec = {
  user: f("user", "string"),
  userId: f("user-id", "integer"),
  group: f("group", "string"),
  groupId: f("group-id", "integer"),
};

const serviceSpec: Spec = {
  override: f("override", "string"),
  command: f("command", "string"),
  summary: f("summary", "string"),
  description: f("description", "string"),
  startup: f("startup", "string", "disabled"),
  environment: f("environment", "map"),
  ...identityFields,
  workingDir: f("working-dir", "string"),
  after: f("after", "list"),
  before: f("before", "list"),
  requires: f("requires", "list"),
  onSuccess: f("on-success", "string", "restart"),
  onFailure: f("on-failure", "string", "restart"),
  onCheckFailure: f("on-check-failure", "map"),
  backoffDelay: f("backoff-delay", "duration", "500ms"),
  backoffFactor: f("backoff-factor", "number", 2),
  backoffLimit: f("backoff-limit", "duration", "30s"),
  killDelay: f("kill-delay", "duration", "5s"),
};

const checkSpec: Spec = {
  override: f("override", "string"),
  level: f("level", "string"),
  startup: f("startup", "string", "enabled"),
  period: f("period", "duration", "10s"),
  timeout: f("timeout", "duration", "3s"),
  threshold: f("threshold", "integer", 3),
  http: f("http", { object: { url: f("url", "string"), headers: f("headers", "map") } }),
  tcp: f("tcp", { object: { port: f("port", "integer"), host: f("host", "string") } }),
  exec: f("exec", {
    object: {
      command: f("command", "string"),
      serviceContext: f("service-context", "string"),
      environment: f("environment", "map"),
      ...identityFields,
      workingDir: f("working-dir", "string"),
    },
  }),
};

const logTargetSpec: Spec = {
  override: f("override", "string"),
  type: f("type", "string"),
  location: f("location", "string"),
  services: f("services", "list"),
  labels: f("labels", "map"),
};

const sections = [
  { name: "services", wire: "services", spec: serviceSpec },
  { name: "checks", wire: "checks", spec: checkSpec },
  { name: "logTargets", wire: "log-targets", spec: logTargetSpec },
] as const;

type Entries = Record<string, Record<string, unknown>>;

// --- durations ---------------------------------------------------------------------------------------

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, "µs": 1e-3, "μs": 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const DURATION = /^[-+]?(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$/;
const DURATION_PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g;

/** Milliseconds as a Go duration string with millisecond precision, e.g. 1500 → "1.500s" (as ops formats them). */
export function goDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`cannot express ${ms} ms as a Go duration`);
  return `${(ms / 1000).toFixed(3)}s`;
}

/** Parses a Go duration string ("1m30s", "500ms", "0") into milliseconds; throws on anything Go would reject. */
export function parseGoDuration(text: string): number {
  if (text === "0" || text === "+0" || text === "-0") return 0;
  if (!DURATION.test(text)) throw new RangeError(`invalid Go duration ${JSON.stringify(text)} (use e.g. "500ms", "1.5s", "2m")`);
  let ms = 0;
  for (const [, amount, unit] of text.matchAll(DURATION_PART)) ms += Number(amount) * (UNIT_MS[unit!] ?? 0);
  return text.startsWith("-") ? -ms : ms;
}

// --- serializing ---------------------------------------------------------------------------------------

/** The layer as YAML text for `POST /v1/layers`, with only the fields Pebble knows. */
export function serializeLayer(layer: Layer): string {
  const out: Record<string, unknown> = {};
  if (layer.summary !== undefined) out.summary = layer.summary;
  if (layer.description !== undefined) out.description = layer.description;
  for (const section of sections) {
    const entries = layer[section.name] as unknown as Entries | undefined;
    if (!entries || Object.keys(entries).length === 0) continue;
    const wireEntries: Record<string, unknown> = {};
    for (const [name, entry] of Object.entries(entries)) {
      if (entry.override !== "merge" && entry.override !== "replace") {
        throw new Error(`layer ${section.wire}.${name} needs override "merge" or "replace"`);
      }
      wireEntries[name] = toWire(entry, section.spec, `${section.wire}.${name}`);
    }
    out[section.wire] = wireEntries;
  }
  return stringifyYaml(out);
}

function toWire(value: Record<string, unknown>, spec: Spec, where: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(spec)) {
    const v = value[key];
    if (v === undefined) continue;
    const at = `${where}.${field.wire}`;
    if (typeof field.kind === "object") {
      out[field.wire] = toWire(v as Record<string, unknown>, field.kind.object, at);
    } else if (field.kind === "duration") {
      parseGoDuration(String(v)); // reject bad durations here, not as an opaque 400 from Pebble
      out[field.wire] = String(v);
    } else if (field.kind === "integer" && !Number.isInteger(v)) {
      throw new Error(`layer field ${at} must be an integer, got ${JSON.stringify(v)}`);
    } else {
      out[field.wire] = field.kind === "map" ? { ...(v as object) } : field.kind === "list" ? [...(v as unknown[])] : v;
    }
  }
  return out;
}

// --- parsing the plan ------------------------------------------------------------------------------------

/** Parses the YAML text of `GET /v1/plan?format=yaml` into camelCase data; unknown fields are dropped. */
export function parsePlan(yamlText: string): PebblePlan {
  const doc = (parseYaml(yamlText) ?? {}) as Record<string, unknown>;
  const plan: PebblePlan = { services: {}, checks: {}, logTargets: {} };
  for (const section of sections) {
    const entries = (doc[section.wire] ?? {}) as Entries;
    const parsed: Entries = {};
    for (const [name, entry] of Object.entries(entries)) parsed[name] = fromWire(entry ?? {}, section.spec);
    (plan as unknown as Record<string, Entries>)[section.name] = parsed;
  }
  return plan;
}

function fromWire(value: Record<string, unknown>, spec: Spec): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(spec)) {
    const v = value[field.wire];
    if (v === undefined || v === null) continue;
    out[key] = typeof field.kind === "object" ? fromWire(v as Record<string, unknown>, field.kind.object) : coerce(field.kind, v);
  }
  return out;
}

/** YAML reads an unquoted `true` or `8080` as non-strings; Pebble's fields are typed, so follow the field. */
function coerce(kind: Exclude<Kind, { object: Spec }>, value: unknown): unknown {
  switch (kind) {
    case "string":
    case "duration":
      return String(value);
    case "integer":
    case "number":
      return Number(value);
    case "map":
      return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
    case "list":
      return (value as unknown[]).map(String);
  }
}

// --- comparing -------------------------------------------------------------------------------------------

/**
 * What adding `desired` would change in `plan`, as field paths such as `services.web.environment.PORT`
 * (names only: values may be secrets). Empty means the layer is already in effect, so the caller can
 * skip addLayer and replan. `replace` entries must match exactly (unset equals Pebble's default);
 * `merge` entries only need their own fields present. Top-level summary/description are ignored:
 * the plan does not carry them.
 */
export function diffLayer(desired: Layer, plan: PebblePlan): string[] {
  const differences: string[] = [];
  for (const section of sections) {
    const wanted = (desired[section.name] ?? {}) as unknown as Entries;
    const current = plan[section.name] as unknown as Entries;
    for (const [name, entry] of Object.entries(wanted)) {
      const where = `${section.wire}.${name}`;
      const existing = current[name];
      if (!existing) differences.push(where);
      else differences.push(...diffFields(entry, existing, section.spec, entry.override === "merge", where));
    }
  }
  return differences;
}

/**
 * `diffLayer` for one service: the fields in which `current` (the plan's entry, maybe absent) differs
 * from `desired`; `["(missing)"]` when the plan has no such service. Empty means nothing to do.
 */
export function diffService(desired: Service, current: Service | undefined): string[] {
  if (!current) return ["(missing)"];
  return diffFields({ ...desired }, { ...current }, serviceSpec, desired.override === "merge", "");
}

function diffFields(
  desired: Record<string, unknown>,
  current: Record<string, unknown>,
  spec: Spec,
  merge: boolean,
  where: string,
): string[] {
  const differences: string[] = [];
  for (const [key, field] of Object.entries(spec)) {
    if (key === "override") continue; // how an entry combines, not what it configures
    const at = where ? `${where}.${field.wire}` : field.wire;
    const want = desired[key];
    const have = current[key];
    if (merge && want === undefined) continue;
    const kind = field.kind;
    if (typeof kind === "object") {
      if (want === undefined && have === undefined) continue;
      if (want === undefined || have === undefined) differences.push(at);
      else differences.push(...diffFields(want as Record<string, unknown>, have as Record<string, unknown>, kind.object, merge, at));
    } else if (kind === "map") {
      differences.push(...diffMaps((want ?? {}) as Record<string, unknown>, (have ?? {}) as Record<string, unknown>, merge, at));
    } else if (kind === "list") {
      const w = (want ?? []) as unknown[];
      const h = (have ?? []) as unknown[];
      // Merging appends lists, so a merge entry is in effect once each of its items is present.
      const same = merge ? w.every((item) => h.includes(item)) : w.length === h.length && w.every((item, i) => item === h[i]);
      if (!same) differences.push(at);
    } else if (!sameScalar(kind, want ?? field.default, have ?? field.default)) {
      differences.push(at);
    }
  }
  return differences;
}

function diffMaps(want: Record<string, unknown>, have: Record<string, unknown>, merge: boolean, at: string): string[] {
  const keys = new Set([...Object.keys(want), ...(merge ? [] : Object.keys(have))]);
  const same = (a: unknown, b: unknown) => (a === undefined || b === undefined ? a === b : String(a) === String(b));
  return [...keys].filter((key) => !same(want[key], have[key])).sort().map((key) => `${at}.${key}`);
}

function sameScalar(kind: Kind, a: unknown, b: unknown): boolean {
  if (a === undefined || b === undefined || a === "" || b === "") return (a ?? "") === (b ?? "");
  if (kind === "duration") return parseGoDuration(String(a)) === parseGoDuration(String(b));
  if (kind === "integer" || kind === "number") return Number(a) === Number(b);
  return a === b;
}
