// The app's environment, assembled in paas-charm's order (paas-charm-spec.md §3.1; later writes win):
// user options, framework settings, metrics, base URL, secret key, proxies, peer FQDNs, integrations.
import type { Framework } from "./frameworks.ts";
import type { ResolvedConfig } from "./options.ts";

export interface EnvInput {
  framework: Framework;
  config: ResolvedConfig;
  appName: string;
  modelName: string;
  /** The ingress URL, or the in-cluster service URL. */
  baseUrl: string;
  /** The shared generated key (Juju secret). */
  secretKey: string | undefined;
  proxy: { http?: string | undefined; https?: string | undefined; noProxy?: string | undefined };
  /** Other units of the app in the peer relation. */
  peerUnits: string[];
  /** Integration fragments in merge order (src/paas/integrations). */
  integrationEnv: Array<Record<string, string>>;
}

export function buildEnv(input: EnvInput): Record<string, string> {
  const { framework: fw, config } = input;
  const env: Record<string, string> = { ...config.userEnv };

  for (const field of fw.fields) {
    const value = config.fields[field.field];
    if (value === undefined) continue;
    const text = Array.isArray(value) ? pythonJsonList(withBaseUrlHost(value, input.baseUrl)) : envValue(value);
    for (const name of field.env) env[name] = text;
  }
  if (config.secretKey !== undefined) for (const name of fw.secretKeyEnv) env[name] = config.secretKey;

  if (fw.name === "spring-boot") {
    Object.assign(env, springBootMetrics(config.metricsPort, config.metricsPath));
    env["server.forward-headers-strategy"] = "framework";
  } else {
    env[`${fw.frameworkPrefix}METRICS_PORT`] = String(config.metricsPort);
    env[`${fw.frameworkPrefix}METRICS_PATH`] = config.metricsPath || "/metrics";
    // paas-charm 1.12 gave Go its settings under APP_ (APP_PORT, APP_METRICS_*); 2.0 dropped the prefix.
    if (fw.name === "go") {
      env.APP_METRICS_PORT = env.METRICS_PORT!;
      env.APP_METRICS_PATH = env.METRICS_PATH!;
    }
  }

  env[`${fw.configPrefix}BASE_URL`] = input.baseUrl;
  const secretKeyName = `${fw.configPrefix}SECRET_KEY`;
  if (input.secretKey !== undefined && env[secretKeyName] === undefined) env[secretKeyName] = input.secretKey;

  for (const [name, value] of [["http_proxy", input.proxy.http], ["https_proxy", input.proxy.https], ["no_proxy", input.proxy.noProxy]] as const) {
    if (!value) continue;
    env[name] = value;
    env[name.toUpperCase()] = value;
  }

  const fqdns = [...input.peerUnits].sort().map((unit) => `${input.appName}-${unit.split("/")[1]}.${input.appName}-endpoints.${input.modelName}.svc.cluster.local`);
  if (fqdns.length) env[`${fw.configPrefix}PEER_FQDNS`] = fqdns.join(",");

  for (const fragment of input.integrationEnv) Object.assign(env, fragment);
  return env;
}

/** The in-cluster URL of the app's Kubernetes Service, used while there is no ingress. */
export function serviceUrl(appName: string, modelName: string, port: number): string {
  return `http://${appName}.${modelName}:${port}`;
}

function envValue(value: string | number | boolean): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** Django's ALLOWED_HOSTS also lets the base URL's host in (paas-charm appends it). */
function withBaseUrlHost(hosts: string[], baseUrl: string): string[] {
  let host: string;
  try {
    host = new URL(baseUrl).hostname;
  } catch {
    return hosts;
  }
  return host && !hosts.includes(host) ? [...hosts, host] : hosts;
}

/** Python's json.dumps of a list of strings (", " separator), which the reference's apps parse. */
function pythonJsonList(items: string[]): string {
  return `[${items.map((item) => JSON.stringify(item)).join(", ")}]`;
}

/** Spring Boot's actuator settings for the metrics endpoint (§3.5). */
function springBootMetrics(metricsPort: number, metricsPath: string): Record<string, string> {
  const env: Record<string, string> = { "management.endpoints.web.exposure.include": "prometheus" };
  const segments = metricsPath.split("/").filter(Boolean);
  if (segments.length === 0) return env;
  env["management.server.port"] = String(metricsPort);
  env["management.endpoints.web.base-path"] = `/${segments.slice(0, -1).join("/")}`;
  env["management.endpoints.web.path-mapping.prometheus"] = segments.at(-1)!;
  return env;
}
