// What the planner knows about one framework (docs/paas-charm-contract.md §1.2, §2.2): constants, the options its
// settings come from (paas-charm 2.0's names first, then 1.12's), and the environment those settings give
// the app. Each framework module fills this in; nothing here knows which framework it is.
import type { WorkloadFiles } from "../types.ts";

export type FrameworkName = "flask" | "django" | "fastapi" | "go" | "expressjs" | "spring-boot";

/** A charm config value as Juju reports it. */
export type ConfigValue = string | number | boolean;

/** A validated framework setting; host lists stay lists until the env is rendered. */
export type SettingValue = string | number | boolean | string[];

export type OptionKind =
  | { kind: "bool" }
  | { kind: "positiveInt" }
  | { kind: "nonEmptyString" }
  | { kind: "string" }
  | { kind: "enum"; values: readonly string[] }
  /** HTTP or HTTPS in any case; upper-cased (Flask's preferred URL scheme). */
  | { kind: "urlScheme" }
  /** Comma-separated hosts: trimmed, empty items dropped. */
  | { kind: "hostList" };

/** One framework setting read from config options. */
export interface FrameworkField {
  /** paas-charm's model field name: a user option with this name (dashes as underscores) is dropped (§2.5 step 2). */
  field: string;
  /** Options it may come from, in precedence order; an option set in the config wins over later ones. */
  options: readonly string[];
  type: OptionKind;
  /** Used when none of the options has a value; unset settings are left out of the env. */
  default?: ConfigValue;
  /** The variables the setting is exported as (several where 1.12 and 2.0 name it differently). */
  env: readonly string[];
}

/** Everything the framework's env contribution may depend on (§3.1 steps 2-3). */
export interface FrameworkEnvInput {
  settings: Readonly<Record<string, SettingValue>>;
  port: number;
  metricsPort: number;
  metricsPath: string;
  baseUrl: string;
}

export interface Framework {
  name: FrameworkName;
  /** The Pebble service the rock's extension defines. */
  serviceName: string;
  baseDir: string;
  /** Working directory of migrations; where the app's files are. */
  appDir: string;
  /** Where the charm keeps its workload-lifetime state in the container. */
  stateDir: string;
  defaultPort: number;
  defaultMetricsPort: number;
  defaultMetricsPath: string;
  /** Prefix of user-defined option variables, BASE_URL, SECRET_KEY and PEER_FQDNS (§3.1 `P`). */
  userPrefix: string;
  /** Prefix of framework setting variables and METRICS_* (§3.1 `F`). */
  frameworkPrefix: string;
  /** Options the app port may come from after paas-config.yaml's `port` (2.0 name first). */
  portOptions: readonly string[];
  /** paas-charm's field name for the port, dropped from user options. */
  portField?: string;
  /** Whether `metrics-port`/`metrics-path` options are read (1.12's FastAPI, Go, ExpressJS, Spring Boot). */
  metricsOptions: boolean;
  /** The operator's secret key (§6.2): plain options, Juju secret id options, and where the value goes. */
  secretKey: { field: string; options: readonly string[]; idOptions: readonly string[]; env: readonly string[] };
  /** The Python charm's peer app databag key for the generated key (§6.1), adopted on refresh. */
  legacySecretKeyField: string;
  fields: readonly FrameworkField[];
  /** Flask and Django run Gunicorn with a charm-rendered config file at this path (§8.1). */
  gunicornConfigPath?: string;
  /** The framework's variables: settings, port, metrics (and whatever else the framework adds). */
  env(input: FrameworkEnvInput): Record<string, string>;
  /**
   * What `framework_logging_format: json` needs besides a Gunicorn config (FastAPI): files the app reads,
   * and the variables naming them, added last to the app's environment.
   */
  jsonLogs?: { files(): WorkloadFiles; env(appEnv: Readonly<Record<string, string>>): Record<string, string> };
}

/** Option name prefixes that never reach the app as user-defined variables (§2.4). */
export function reservedPrefixes(fw: Framework): string[] {
  return [`${fw.name}-`, "webserver-", "app-"];
}

/** Every option the framework reads itself, so it is never also a user-defined variable. */
export function frameworkOptions(fw: Framework): Set<string> {
  const names = new Set<string>([...fw.portOptions, ...fw.secretKey.options, ...fw.secretKey.idOptions]);
  if (fw.metricsOptions) for (const name of ["metrics-port", "metrics-path"]) names.add(name);
  for (const field of fw.fields) for (const option of field.options) names.add(option);
  return names;
}

/** paas-charm's model field names: a user option equal to one (dashes as underscores) is dropped. */
export function frameworkFieldNames(fw: Framework): Set<string> {
  const names = new Set<string>([fw.secretKey.field, ...fw.fields.map((field) => field.field)]);
  if (fw.portField) names.add(fw.portField);
  if (fw.metricsOptions) for (const name of ["metrics_port", "metrics_path"]) names.add(name);
  return names;
}

/** Strings verbatim, everything else JSON (paas-charm's env encoding). */
export function envValue(value: SettingValue): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** §3.1 step 2: each set setting under each of its variable names. */
export function settingsEnv(fields: readonly FrameworkField[], settings: Readonly<Record<string, SettingValue>>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const field of fields) {
    const value = settings[field.field];
    if (value === undefined) continue;
    for (const name of field.env) env[name] = envValue(value);
  }
  return env;
}

/** §3.1 step 3: `<F>METRICS_PORT` and `<F>METRICS_PATH` (an empty path means `/metrics`). */
export function metricsEnv(prefix: string, port: number, path: string): Record<string, string> {
  return { [`${prefix}METRICS_PORT`]: String(port), [`${prefix}METRICS_PATH`]: path || "/metrics" };
}

/** Names the framework's state lives under in the workload container (§1.2). */
export function tmpStateDir(name: FrameworkName): string {
  return `/tmp/${name}/state`;
}
