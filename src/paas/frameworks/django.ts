// Django (docs/paas-charm-contract.md §1.2, §2.2): like Flask under DJANGO_, plus ALLOWED_HOSTS, which always
// includes the host of the base URL so the app answers on its own address.
import { metricsEnv, settingsEnv, tmpStateDir, type Framework, type FrameworkField } from "./framework.ts";

const fields: FrameworkField[] = [
  { field: "debug", options: ["django-debug"], type: { kind: "bool" }, env: ["DJANGO_DEBUG"] },
  { field: "allowed_hosts", options: ["django-allowed-hosts"], type: { kind: "hostList" }, default: "", env: ["DJANGO_ALLOWED_HOSTS"] },
];

export const django: Framework = {
  name: "django",
  serviceName: "django",
  baseDir: "/django",
  appDir: "/django/app",
  stateDir: tmpStateDir("django"),
  defaultPort: 8000,
  defaultMetricsPort: 9102,
  defaultMetricsPath: "/metrics",
  userPrefix: "DJANGO_",
  frameworkPrefix: "DJANGO_",
  portOptions: [],
  metricsOptions: false,
  secretKey: {
    field: "secret_key",
    options: ["app-secret-key", "django-secret-key"],
    idOptions: ["app-secret-key-id", "django-secret-key-id"],
    env: ["DJANGO_SECRET_KEY"],
  },
  legacySecretKeyField: "django_secret_key",
  fields,
  gunicornConfigPath: "/django/gunicorn.conf.py",
  env: ({ settings, metricsPort, metricsPath, baseUrl }) => {
    const hosts = withHost(settings.allowed_hosts as string[] | undefined ?? [], baseUrlHost(baseUrl));
    return {
      ...settingsEnv(fields.filter((field) => field.field !== "allowed_hosts"), settings),
      DJANGO_ALLOWED_HOSTS: pythonJsonList(hosts),
      ...metricsEnv("DJANGO_", metricsPort, metricsPath),
    };
  },
};

function withHost(hosts: string[], host: string | undefined): string[] {
  return host && !hosts.includes(host) ? [...hosts, host] : hosts;
}

/** The base URL's host name as Python's urlparse gives it (lower-cased, no port), if it has one. */
function baseUrlHost(baseUrl: string): string | undefined {
  const match = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#]*)/.exec(baseUrl);
  const host = match?.[1]?.replace(/^\[|\]$/g, "").toLowerCase();
  return host || undefined;
}

/** Python's json.dumps of a list of strings (`", "` between items), which Django settings parse. */
function pythonJsonList(items: readonly string[]): string {
  return `[${items.map((item) => JSON.stringify(item)).join(", ")}]`;
}
