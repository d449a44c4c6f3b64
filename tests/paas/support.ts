// Builders for planner inputs: a leader unit of `<framework>-k8s` in model `test-model` with the key
// `test` already in its Juju secret, a reachable workload running the rock's services, no relations.
import { FRAMEWORKS, resolveConfig, type ConfigSecrets, type FrameworkName, type OptionDecl, type PlanInput, type ServiceDef } from "../../src/paas/index.ts";

export interface TestService extends ServiceDef {
  user?: string;
  "working-dir"?: string;
  after?: string[];
}

/** The main service of each framework's rock (docs/paas-charm-contract.md §4.1). */
export const ROCK_SERVICES: Record<FrameworkName, Record<string, TestService>> = {
  flask: {
    flask: { override: "replace", startup: "enabled", command: "/bin/python3 -m gunicorn -c /flask/gunicorn.conf.py app:app -k [ sync ]", after: ["statsd-exporter"], user: "_daemon_" },
    "statsd-exporter": { override: "merge", startup: "enabled", command: "/bin/statsd_exporter --statsd.mapping-config=/statsd-mapping.conf --statsd.listen-udp=localhost:9125 --statsd.listen-tcp=localhost:9125", user: "_daemon_" },
  },
  django: {
    django: { override: "replace", startup: "enabled", command: "/bin/python3 -m gunicorn -c /django/gunicorn.conf.py django_app.wsgi:application -k [ sync ]", after: ["statsd-exporter"], user: "_daemon_" },
  },
  fastapi: { fastapi: { override: "replace", startup: "enabled", command: "/bin/python3 -m uvicorn app:app", user: "_daemon_", "working-dir": "/app" } },
  go: { go: { override: "replace", startup: "enabled", command: "/usr/local/bin/go-k8s", user: "_daemon_", "working-dir": "/app" } },
  expressjs: { expressjs: { override: "replace", startup: "enabled", command: "npm start", user: "_daemon_", "working-dir": "/app" } },
  "spring-boot": { "spring-boot": { override: "replace", startup: "enabled", command: 'bash -c "java -jar *.jar"' } },
};

/** The OAuth options charmcraft adds for an `oidc` endpoint, with their defaults (§2.1). */
export function oidcOptions(redirectPath = "/callback"): Record<string, OptionDecl> {
  return {
    "oidc-redirect-path": { type: "string", default: redirectPath },
    "oidc-scopes": { type: "string", default: "openid profile email" },
  };
}

/** Config values as Juju reports them: the defaults of the declarations, then what is set. */
export function configOf(declarations: Record<string, OptionDecl>, set: PlanInput["config"] = {}): PlanInput["config"] {
  const values: Record<string, string | number | boolean> = {};
  for (const [name, decl] of Object.entries(declarations)) if (decl.default !== undefined) values[name] = decl.default;
  return { ...values, ...set };
}

/** A plan's input as the charm assembles it: the config is resolved from these declarations and secrets. */
export type TestPlanInput = Omit<PlanInput<TestService>, "resolved"> & { declarations: Record<string, OptionDecl>; configSecrets: ConfigSecrets };

export function planInput(framework: FrameworkName, overrides: Partial<TestPlanInput> = {}): PlanInput<TestService> {
  const { declarations = {}, configSecrets = {}, ...rest } = overrides;
  const input = {
    framework: FRAMEWORKS[framework],
    paasConfig: { framework, scrapeConfigs: [] },
    config: configOf(declarations),
    appName: `${framework}-k8s`,
    modelName: "test-model",
    unitNumber: 0,
    leader: true,
    peerUnits: [],
    secretKeyContent: { value: "test" },
    jujuProxy: {},
    integrations: { env: [], missing: [], ready: [] },
    workload: { reachable: true, rockServices: ROCK_SERVICES[framework], appDirFiles: [], migrationStatus: "PENDING" },
    ...rest,
  } satisfies Omit<PlanInput<TestService>, "resolved">;
  return { ...input, resolved: resolveConfig({ framework: input.framework, paasConfig: input.paasConfig, config: input.config, declarations, secrets: configSecrets }) };
}

/** Twelve POSTGRESQL_DB_* variables as the integrations module produces them for a test relation. */
export const POSTGRESQL_ENV: Record<string, string> = {
  POSTGRESQL_DB_CONNECT_STRING: "postgresql://test-username:test-password@test-postgresql:5432/test-database",
  POSTGRESQL_DB_SCHEME: "postgresql",
  POSTGRESQL_DB_NETLOC: "test-username:test-password@test-postgresql:5432",
  POSTGRESQL_DB_PATH: "/test-database",
  POSTGRESQL_DB_PARAMS: "",
  POSTGRESQL_DB_QUERY: "",
  POSTGRESQL_DB_FRAGMENT: "",
  POSTGRESQL_DB_USERNAME: "test-username",
  POSTGRESQL_DB_PASSWORD: "test-password",
  POSTGRESQL_DB_HOSTNAME: "test-postgresql",
  POSTGRESQL_DB_PORT: "5432",
  POSTGRESQL_DB_NAME: "test-database",
};
