// The app's environment in paas-charm's order (docs/paas-charm-contract.md §3.1; later writes win): user options,
// framework settings and metrics, base URL, secret key, proxies, peer FQDNs, integrations, and last the
// variables of the framework's JSON logs.
import type { Framework } from "./frameworks/index.ts";
import type { ResolvedConfig } from "./config.ts";

/** Proxy settings: Juju's model proxies (JUJU_CHARM_*_PROXY) or the http-proxy relation's. */
export interface ProxySettings {
  http?: string;
  https?: string;
  noProxy?: string;
}

export interface EnvInput {
  framework: Framework;
  config: Pick<ResolvedConfig, "userEnv" | "settings" | "port" | "metricsPort" | "metricsPath" | "operatorSecretKey">;
  appName: string;
  modelName: string;
  baseUrl: string;
  /** The generated key shared by all units. */
  secretKey: string | undefined;
  /** JUJU_CHARM_HTTP_PROXY, JUJU_CHARM_HTTPS_PROXY, JUJU_CHARM_NO_PROXY. */
  jujuProxy: ProxySettings;
  /** Proxies from the http-proxy relation; they replace Juju's http/https (no_proxy stays Juju's). */
  relationProxy?: { http: string; https: string };
  /** Other units of the app (`app/1`), from the peer relation. */
  peerUnits: readonly string[];
  /** Integration fragments in paas-charm's merge order. */
  integrationEnv: ReadonlyArray<Readonly<Record<string, string>>>;
  /** paas-config.yaml `framework_logging_format: json`. */
  jsonLogs?: boolean;
}

export function buildEnv(input: EnvInput): Record<string, string> {
  const { framework: fw, config } = input;
  const env: Record<string, string> = { ...config.userEnv };
  Object.assign(env, fw.env({ settings: config.settings, port: config.port, metricsPort: config.metricsPort, metricsPath: config.metricsPath, baseUrl: input.baseUrl }));
  if (config.operatorSecretKey !== undefined) for (const name of fw.secretKey.env) env[name] = config.operatorSecretKey;
  env[`${fw.userPrefix}BASE_URL`] = input.baseUrl;
  const secretKeyName = `${fw.userPrefix}SECRET_KEY`;
  if (input.secretKey !== undefined && env[secretKeyName] === undefined) env[secretKeyName] = input.secretKey;
  Object.assign(env, proxyEnv(input.jujuProxy, input.relationProxy));
  const fqdns = peerFqdns(input.appName, input.modelName, input.peerUnits);
  if (fqdns.length) env[`${fw.userPrefix}PEER_FQDNS`] = fqdns.join(",");
  for (const fragment of input.integrationEnv) Object.assign(env, fragment);
  if (input.jsonLogs && fw.jsonLogs) Object.assign(env, fw.jsonLogs.env(env));
  return env;
}

/** The in-cluster URL of the app's Kubernetes Service, the base URL while there is no ingress. */
export function serviceUrl(appName: string, modelName: string, port: number): string {
  return `http://${appName}.${modelName}:${port}`;
}

/** Each non-empty proxy setting under its lower- and upper-case name. */
export function proxyEnv(juju: ProxySettings, relation?: { http: string; https: string }): Record<string, string> {
  const env: Record<string, string> = {};
  const values: Array<[string, string | undefined]> = [
    ["http_proxy", relation ? relation.http : juju.http],
    ["https_proxy", relation ? relation.https : juju.https],
    ["no_proxy", juju.noProxy],
  ];
  for (const [name, value] of values) {
    if (!value) continue;
    env[name] = value;
    env[name.toUpperCase()] = value;
  }
  return env;
}

/** `<app>-<n>.<app>-endpoints.<model>.svc.cluster.local` of each unit, sorted by unit name. */
export function peerFqdns(appName: string, modelName: string, units: readonly string[]): string[] {
  return [...units].sort().map((unit) => `${appName}-${unit.slice(unit.lastIndexOf("/") + 1)}.${appName}-endpoints.${modelName}.svc.cluster.local`);
}
