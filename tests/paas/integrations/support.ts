// Shared test data: the reference fixtures as RelationViews, the Flask example charm's endpoints, a context.
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { evaluateIntegrations, type EndpointDecl, type IntegrationContext, type IntegrationsResult, type RelationView, type SecretContents } from "../../../src/paas/integrations/index.ts";

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), "fixtures");

interface Fixture {
  endpoint: string;
  interface: string;
  remote_app: string;
  requirer: { app: Record<string, string>; units: Record<string, Record<string, string>> };
  provider: { app: Record<string, string>; units: Record<string, Record<string, string>> };
  secrets?: Record<string, Record<string, string>>;
  env?: Record<string, string>;
}

export function fixture(name: string): Fixture {
  return JSON.parse(readFileSync(path.join(FIXTURES, `${name}.json`), "utf8")) as Fixture;
}

/** The fixture as this unit sees it: a non-leader cannot read its own app bag. */
export function relationFrom(name: string, options: { id?: number; leader?: boolean; unit?: string } = {}): { relation: RelationView; secrets: SecretContents; expectedEnv: Record<string, string> | undefined } {
  const data = fixture(name);
  const leader = options.leader ?? true;
  return {
    relation: {
      id: options.id ?? 7,
      endpoint: data.endpoint,
      interface: data.interface,
      remoteApp: data.remote_app,
      remoteAppData: data.provider.app,
      remoteUnitsData: data.provider.units,
      localAppData: leader ? data.requirer.app : {},
      localUnitData: data.requirer.units[options.unit ?? "flask-k8s/0"] ?? {},
    },
    secrets: data.secrets ?? {},
    expectedEnv: data.env,
  };
}

/** A relation that has just been created: nothing published on either side. */
export function emptyRelation(endpoint: string, iface: string, id = 3, remoteApp = "provider"): RelationView {
  return { id, endpoint, interface: iface, remoteApp, remoteAppData: {}, remoteUnitsData: { [`${remoteApp}/0`]: {} }, localAppData: {}, localUnitData: {} };
}

const optional = (name: string, iface: string): EndpointDecl => ({ name, interface: iface, role: "requires", optional: true, limit: 1 });

/** paas-charm's Flask example charm: ingress required (no `optional`), every other integration optional. */
export const FLASK_ENDPOINTS: EndpointDecl[] = [
  { name: "ingress", interface: "ingress", role: "requires", optional: false, limit: 1 },
  optional("postgresql", "postgresql_client"),
  optional("mysql", "mysql_client"),
  optional("mongodb", "mongodb_client"),
  optional("redis", "redis"),
  optional("valkey", "valkey_client"),
  optional("s3", "s3"),
  optional("saml", "saml"),
  optional("rabbitmq", "rabbitmq"),
  optional("tracing", "tracing"),
  optional("smtp", "smtp"),
  optional("openfga", "openfga"),
  optional("oidc", "oauth"),
  optional("http-proxy", "http_proxy"),
  { name: "secret-storage", interface: "secret-storage", role: "peer", optional: false },
];

export function required(endpoints: EndpointDecl[], ...names: string[]): EndpointDecl[] {
  return endpoints.map((endpoint) => (names.includes(endpoint.name) ? { ...endpoint, optional: false } : endpoint));
}

export function context(overrides: Partial<IntegrationContext> = {}): IntegrationContext {
  return {
    appName: "flask-k8s",
    modelName: "testing",
    unitName: "flask-k8s/0",
    leader: true,
    framework: "flask",
    config: {},
    port: 8000,
    ...overrides,
  };
}

/** Every env fragment merged, later fragments winning, as the env assembly does. */
export function mergedEnv(result: IntegrationsResult): Record<string, string> {
  return Object.assign({}, ...result.env) as Record<string, string>;
}

/** Evaluate relations against the Flask endpoints. */
export function evaluate(relations: RelationView[], secrets: SecretContents = {}, ctx: Partial<IntegrationContext> = {}, endpoints = FLASK_ENDPOINTS): IntegrationsResult {
  return evaluateIntegrations(endpoints, relations, secrets, context(ctx));
}

/** Only the variables whose name starts with one of the prefixes. */
export function pick(env: Record<string, string>, ...prefixes: string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter(([key]) => prefixes.some((prefix) => key.startsWith(prefix))));
}
