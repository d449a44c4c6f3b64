// The six frameworks' constants (paas-charm-spec.md §1.2) and their option models (§2.2), including the
// names charms built for paas-charm 1.12 use (§2.1), so a charm from either generation works unchanged.
export type FrameworkName = "flask" | "django" | "fastapi" | "go" | "expressjs" | "spring-boot";
export const FRAMEWORK_NAMES: readonly FrameworkName[] = ["flask", "django", "fastapi", "go", "expressjs", "spring-boot"];

export type OptionKind = "string" | "nonEmptyString" | "bool" | "positiveInt" | "enum" | "urlScheme" | "hostList";

/** One framework setting: the config options it may come from (first set wins) and the variables it sets. */
export interface FrameworkField {
  field: string;
  /** Config option names, in precedence order (2.0 name first, then 1.12's). */
  options: string[];
  kind: OptionKind;
  values?: readonly string[];
  default?: string | number | boolean;
  /** Variables set from the value; several where 1.12 and 2.0 name it differently. */
  env: string[];
  /** paas-config.yaml key that overrides it when present (`port`). */
  paasConfigKey?: "port";
}

export interface Framework {
  name: FrameworkName;
  serviceName: string;
  appDir: string;
  /** Where the charm keeps its state file in the workload container. */
  stateDir: string;
  defaultPort: number;
  defaultMetricsPort: number;
  defaultMetricsPath: string;
  /** Prefix of user-defined option variables (§2.5). */
  configPrefix: string;
  /** Prefix of framework-level variables such as METRICS_PORT (§3.1 step 3). */
  frameworkPrefix: string;
  /** Option prefixes that are never user-defined (§2.4). */
  reservedPrefixes: string[];
  /** The secret key options: plain value, then Juju secret ids; 2.0 names first. */
  secretKeyOptions: string[];
  secretKeyIdOptions: string[];
  /** Where an operator-provided secret key goes (Spring Boot's quirk: SECRET_KEY). */
  secretKeyEnv: string[];
  /** The Python charm's peer databag key for the generated key. */
  legacySecretKeyField: string;
  fields: FrameworkField[];
  /** Gunicorn frameworks render gunicorn.conf.py. */
  gunicornConfigPath?: string;
}

const port = (env: string[], options: string[], defaultPort: number): FrameworkField =>
  ({ field: "port", options, kind: "positiveInt", default: defaultPort, env, paasConfigKey: "port" });

function framework(name: FrameworkName, spec: Omit<Framework, "name" | "reservedPrefixes" | "legacySecretKeyField" | "stateDir"> & { stateDir?: string }): Framework {
  return {
    name,
    stateDir: spec.stateDir ?? `/tmp/${name}/state`,
    reservedPrefixes: [`${name}-`, "webserver-", "app-"],
    legacySecretKeyField: `${name}_secret_key`,
    ...spec,
  };
}

export const FRAMEWORKS: Record<FrameworkName, Framework> = {
  flask: framework("flask", {
    serviceName: "flask", appDir: "/flask/app", defaultPort: 8000, defaultMetricsPort: 9102, defaultMetricsPath: "/metrics",
    configPrefix: "FLASK_", frameworkPrefix: "FLASK_",
    secretKeyOptions: ["app-secret-key", "flask-secret-key"], secretKeyIdOptions: ["app-secret-key-id", "flask-secret-key-id"],
    secretKeyEnv: ["FLASK_SECRET_KEY"], gunicornConfigPath: "/flask/gunicorn.conf.py",
    fields: [
      { field: "env", options: ["flask-env"], kind: "nonEmptyString", env: ["FLASK_ENV"] },
      { field: "debug", options: ["flask-debug"], kind: "bool", env: ["FLASK_DEBUG"] },
      { field: "permanent_session_lifetime", options: ["flask-permanent-session-lifetime"], kind: "positiveInt", env: ["FLASK_PERMANENT_SESSION_LIFETIME"] },
      { field: "application_root", options: ["flask-application-root"], kind: "nonEmptyString", env: ["FLASK_APPLICATION_ROOT"] },
      { field: "session_cookie_secure", options: ["flask-session-cookie-secure"], kind: "bool", env: ["FLASK_SESSION_COOKIE_SECURE"] },
      { field: "preferred_url_scheme", options: ["flask-preferred-url-scheme"], kind: "urlScheme", env: ["FLASK_PREFERRED_URL_SCHEME"] },
    ],
  }),
  django: framework("django", {
    serviceName: "django", appDir: "/django/app", defaultPort: 8000, defaultMetricsPort: 9102, defaultMetricsPath: "/metrics",
    configPrefix: "DJANGO_", frameworkPrefix: "DJANGO_",
    secretKeyOptions: ["app-secret-key", "django-secret-key"], secretKeyIdOptions: ["app-secret-key-id", "django-secret-key-id"],
    secretKeyEnv: ["DJANGO_SECRET_KEY"], gunicornConfigPath: "/django/gunicorn.conf.py",
    fields: [
      { field: "debug", options: ["django-debug"], kind: "bool", env: ["DJANGO_DEBUG"] },
      { field: "allowed_hosts", options: ["django-allowed-hosts"], kind: "hostList", default: "", env: ["DJANGO_ALLOWED_HOSTS"] },
    ],
  }),
  fastapi: framework("fastapi", {
    serviceName: "fastapi", appDir: "/app", defaultPort: 8000, defaultMetricsPort: 8000, defaultMetricsPath: "/metrics",
    configPrefix: "APP_", frameworkPrefix: "",
    secretKeyOptions: ["app-secret-key"], secretKeyIdOptions: ["app-secret-key-id"], secretKeyEnv: ["APP_SECRET_KEY"],
    fields: [
      port(["UVICORN_PORT"], ["webserver-port"], 8000),
      { field: "uvicorn_host", options: ["webserver-host"], kind: "nonEmptyString", default: "0.0.0.0", env: ["UVICORN_HOST"] },
      { field: "web_concurrency", options: ["webserver-workers"], kind: "positiveInt", default: 1, env: ["WEB_CONCURRENCY"] },
      { field: "uvicorn_log_level", options: ["webserver-log-level"], kind: "enum", values: ["critical", "error", "warning", "info", "debug", "trace"], default: "info", env: ["UVICORN_LOG_LEVEL"] },
    ],
  }),
  go: framework("go", {
    serviceName: "go", appDir: "/app", defaultPort: 8080, defaultMetricsPort: 8080, defaultMetricsPath: "/metrics",
    configPrefix: "APP_", frameworkPrefix: "",
    secretKeyOptions: ["app-secret-key"], secretKeyIdOptions: ["app-secret-key-id"], secretKeyEnv: ["APP_SECRET_KEY"],
    // 1.12 named the port APP_PORT (option app-port), 2.0 PORT (option port): both are set.
    fields: [port(["PORT", "APP_PORT"], ["port", "app-port"], 8080)],
  }),
  expressjs: framework("expressjs", {
    serviceName: "expressjs", appDir: "/app", stateDir: "/app/state", defaultPort: 8080, defaultMetricsPort: 9464, defaultMetricsPath: "/metrics",
    configPrefix: "APP_", frameworkPrefix: "",
    secretKeyOptions: ["app-secret-key"], secretKeyIdOptions: ["app-secret-key-id"], secretKeyEnv: ["APP_SECRET_KEY"],
    fields: [
      { field: "node_env", options: ["node-env"], kind: "nonEmptyString", default: "production", env: ["NODE_ENV"] },
      port(["PORT"], ["port", "app-port"], 8080),
    ],
  }),
  "spring-boot": framework("spring-boot", {
    serviceName: "spring-boot", appDir: "/app", stateDir: "/app/state", defaultPort: 8080, defaultMetricsPort: 8080, defaultMetricsPath: "/actuator/prometheus",
    configPrefix: "APP_", frameworkPrefix: "",
    secretKeyOptions: ["app-secret-key"], secretKeyIdOptions: ["app-secret-key-id"], secretKeyEnv: ["SECRET_KEY"],
    fields: [
      port(["SERVER_PORT"], ["app-port", "port"], 8080),
      { field: "app_profiles", options: ["app-profiles"], kind: "nonEmptyString", env: ["APP_PROFILES", "spring.profiles.active"] },
    ],
  }),
};

/** Options that are the framework's even without a reserved prefix (ports and metrics of either generation). */
export function frameworkOptionNames(fw: Framework): Set<string> {
  const names = new Set<string>(["metrics-port", "metrics-path"]);
  for (const field of fw.fields) for (const option of field.options) names.add(option);
  for (const option of [...fw.secretKeyOptions, ...fw.secretKeyIdOptions]) names.add(option);
  return names;
}

/** §2.4 plus the framework's own unprefixed options: everything else reaches the app as `<prefix><NAME>`. */
export function isUserDefinedOption(fw: Framework, option: string): boolean {
  if (fw.reservedPrefixes.some((prefix) => option.startsWith(prefix))) return false;
  if (frameworkOptionNames(fw).has(option)) return false;
  // paas-charm drops keys equal to a framework field name (e.g. `port`, `node-env` → node_env).
  return !fw.fields.some((field) => field.field === option.replaceAll("-", "_"));
}
