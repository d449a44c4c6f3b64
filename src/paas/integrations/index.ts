// The registry: which endpoints are wired to which integration, and the two entry points the
// charm calls each hook — secretIdsToRead (step 1), then evaluateIntegrations (step 2). Sections (§) are
// docs/paas-charm-contract.md's.
import { sha256Hex, type Databag } from "./databag.ts";
import { DATABASE_INTERFACES, databaseIntegration } from "./database.ts";
import { HTTP_PROXY_BLOCKED, evaluateHttpProxy, httpProxySecretIds } from "./httpProxy.ts";
import { evaluateGrafanaDashboard } from "./grafana.ts";
import { evaluateIngress } from "./ingress.ts";
import { evaluateLogging, type LokiTarget } from "./logging.ts";
import { INGRESS_REQUIRED, MULTIPLE_OAUTH, OAUTH_NAME, clientCreated, evaluateOAuth, oauthSecretIds } from "./oauth.ts";
import { openfgaIntegration } from "./openfga.ts";
import { envProblem, isSecretUri, oversizedMessage } from "./providerData.ts";
import { evaluateMetricsEndpoint } from "./prometheus.ts";
import { rabbitmqIntegration } from "./rabbitmq.ts";
import { redisIntegration } from "./redis.ts";
import { s3Integration } from "./s3.ts";
import { readSaml, samlCertificatePem, samlIntegration } from "./saml.ts";
import { smtpIntegration } from "./smtp.ts";
import { tracingIntegration } from "./tracing.ts";
import { invalid, type EndpointDecl, type EvalContext, type Integration, type IntegrationContext, type Outcome, type RelationView, type SecretContents } from "./types.ts";
import { valkeyIntegration } from "./valkey.ts";

export type { EndpointDecl, Framework, IntegrationContext, ObservabilityContext, RelationView, ScrapeConfig, SecretContents } from "./types.ts";
export { disabledTargets, type LokiTarget } from "./logging.ts";

export interface RelationWrite {
  relationId: number;
  /** Keys to set on our app bag (`""` deletes); only present for the leader. */
  app?: Databag;
  /** Keys to set on our unit bag (`""` deletes). */
  unit?: Databag;
}

export interface IntegrationsResult {
  /** Env fragments, in paas-charm's merge order: OpenFGA, RabbitMQ, Redis, Valkey, S3, each DB, SAML, SMTP, Tracing, OAuth. */
  env: Array<Record<string, string>>;
  /** Required integrations without usable data, in paas-charm's order and names (`missing integrations: …`). */
  missing: string[];
  /** The first invalid-data status message (`Invalid <name> relation data.`, or the http-proxy one). */
  blocked?: string;
  /** Every related integration that is not usable yet or is invalid, with why; safe to log (no secret values). */
  problems: Array<{ integration: string; reason: string }>;
  /** Names of integrations with usable data (Django checks for a database among them). */
  ready: string[];
  /** The ingress URL; absent without ingress (the base URL then falls back to the service URL). */
  ingressUrl?: string;
  /** Proxies from the http-proxy relation; absent means use JUJU_CHARM_HTTP(S)_PROXY. */
  proxy?: { http: string; https: string };
  /** The single OAuth endpoint, when the metadata declares exactly one. */
  oauth?: { endpoint: string; related: boolean; clientReady: boolean; remoteApp?: string; scopeError?: string };
  /** The OAuth readiness gate message, checked after `missing` (§1.5 gates 5-6). */
  oauthGate?: string;
  /** Spring Boot only: the SAML signing certificate to write to /app/saml.cert. */
  samlCertificatePem?: string;
  /** Changes whenever data of a "re-run migrations" integration (§1.4 R+M) changes; compare with the last run's. */
  migrationFingerprint: string;
  /** Requirer data to publish, only keys that differ from the current bags. */
  writes: RelationWrite[];
  /** Pebble log targets for the Loki units of the logging relations, by unit name. */
  logTargets: Record<string, LokiTarget>;
}

/** The COS endpoints, by paas-charm's names (§8.6). */
const METRICS_ENDPOINT = { name: "metrics-endpoint", interface: "prometheus_scrape", role: "provides" } as const;
const GRAFANA_DASHBOARD = { name: "grafana-dashboard", interface: "grafana_dashboard", role: "provides" } as const;
const LOGGING = { name: "logging", interface: "loki_push_api", role: "requires" } as const;

interface Wired {
  integration: Integration;
  endpoint: EndpointDecl;
}

const BY_NAME: Array<[string, string, Integration]> = [
  ["openfga", "openfga", openfgaIntegration],
  ["rabbitmq", "rabbitmq", rabbitmqIntegration],
  ["redis", "redis", redisIntegration],
  ["valkey", "valkey_client", valkeyIntegration],
  ["s3", "s3", s3Integration],
];
const AFTER_DATABASES: Array<[string, string, Integration]> = [
  ["saml", "saml", samlIntegration],
  ["smtp", "smtp", smtpIntegration],
  ["tracing", "tracing", tracingIntegration],
];
/** §1.7: databases (metadata order) first, then these. */
const MISSING_ORDER = ["rabbitmq", "redis", "s3", "openfga", "saml", "tracing", "smtp"];
/** Integrations paas-charm never reports as missing. */
const NEVER_MISSING = new Set(["valkey"]);

function requires(endpoints: EndpointDecl[]): EndpointDecl[] {
  return endpoints.filter((endpoint) => endpoint?.role === "requires");
}

function findEndpoint(endpoints: EndpointDecl[], name: string, iface: string): EndpointDecl | undefined {
  return declared(endpoints, { name, interface: iface, role: "requires" });
}

/** Integrations in env merge order (without OAuth, which has its own endpoint rules). */
function wire(endpoints: EndpointDecl[]): Wired[] {
  const wired: Wired[] = [];
  const byName = (table: Array<[string, string, Integration]>): void => {
    for (const [name, iface, integration] of table) {
      const endpoint = findEndpoint(endpoints, name, iface);
      if (endpoint) wired.push({ integration, endpoint });
    }
  };
  byName(BY_NAME);
  for (const endpoint of requires(endpoints)) {
    const kind = DATABASE_INTERFACES[endpoint.interface];
    // paas-charm keys database requirers by kind, so the endpoint must carry the kind's name.
    if (kind !== undefined && endpoint.name === kind) wired.push({ integration: databaseIntegration(kind), endpoint });
  }
  byName(AFTER_DATABASES);
  return wired;
}

function declared(endpoints: EndpointDecl[], wanted: { name: string; interface: string; role: EndpointDecl["role"] }): EndpointDecl | undefined {
  return endpoints.find((endpoint) => endpoint?.name === wanted.name && endpoint.interface === wanted.interface && endpoint.role === wanted.role);
}

function oauthEndpoints(endpoints: EndpointDecl[]): EndpointDecl[] {
  return requires(endpoints).filter((endpoint) => endpoint.interface === "oauth");
}

function cleanBag(value: unknown): Databag {
  if (typeof value !== "object" || value === null) return {};
  const bag: Databag = {};
  for (const [key, item] of Object.entries(value)) if (typeof item === "string") bag[key] = item;
  return bag;
}

/** Secret contents reduced to their string fields; unreadable secrets stay undefined. */
function cleanSecrets(secrets: SecretContents): SecretContents {
  const clean: SecretContents = {};
  if (typeof secrets !== "object" || secrets === null) return clean;
  for (const [id, content] of Object.entries(secrets)) clean[id] = typeof content === "object" && content !== null ? cleanBag(content) : undefined;
  return clean;
}

/** Relation views as plain string bags whatever the caller passed, ordered by id. */
function cleanRelations(relations: RelationView[]): RelationView[] {
  const clean: RelationView[] = [];
  for (const relation of Array.isArray(relations) ? relations : []) {
    if (typeof relation !== "object" || relation === null || typeof relation.endpoint !== "string") continue;
    const units: Record<string, Databag> = {};
    if (typeof relation.remoteUnitsData === "object" && relation.remoteUnitsData !== null) {
      for (const [unit, bag] of Object.entries(relation.remoteUnitsData)) units[unit] = cleanBag(bag);
    }
    clean.push({
      id: Number.isFinite(relation.id) ? relation.id : -1,
      endpoint: relation.endpoint,
      interface: typeof relation.interface === "string" ? relation.interface : "",
      ...(typeof relation.remoteApp === "string" ? { remoteApp: relation.remoteApp } : {}),
      remoteAppData: cleanBag(relation.remoteAppData),
      remoteUnitsData: units,
      localAppData: cleanBag(relation.localAppData),
      localUnitData: cleanBag(relation.localUnitData),
    });
  }
  return clean.sort((a, b) => a.id - b.id);
}

function relationsOf(relations: RelationView[], endpoint: string): RelationView[] {
  return relations.filter((relation) => relation.endpoint === endpoint);
}

/** Step 1: the Juju secrets named in provider data that evaluateIntegrations needs. */
/**
 * Whether the charm publishes data in its own unit databag on this endpoint (ingress's host and ip, the
 * scrape address, the database libraries' secret lists): only there is that bag worth reading.
 */
export function publishesUnitData(endpoint: EndpointDecl): boolean {
  return endpoint.interface === "ingress" || endpoint.interface === "prometheus_scrape" || DATABASE_INTERFACES[endpoint.interface] !== undefined;
}

/** Whether the charm uses what the other side publishes on this endpoint: the two observability endpoints only publish. */
export function readsRemoteData(endpoint: EndpointDecl): boolean {
  const publishOnly = [METRICS_ENDPOINT, GRAFANA_DASHBOARD].some((decl) => decl.role === endpoint.role && decl.interface === endpoint.interface);
  return !publishOnly;
}

export function secretIdsToRead(endpoints: EndpointDecl[], relations: RelationView[]): string[] {
  const decls = Array.isArray(endpoints) ? endpoints : [];
  const clean = cleanRelations(relations);
  const ids = new Set<string>();
  for (const { integration, endpoint } of wire(decls)) {
    const relation = relationsOf(clean, endpoint.name)[0];
    if (relation) for (const id of integration.secretIds(relation)) ids.add(id);
  }
  const oauth = oauthEndpoints(decls);
  if (oauth.length === 1) {
    const relation = relationsOf(clean, oauth[0]!.name)[0];
    if (relation) for (const id of oauthSecretIds(relation)) ids.add(id);
  }
  const proxy = findEndpoint(decls, "http-proxy", "http_proxy");
  const proxyRelation = proxy ? relationsOf(clean, proxy.name)[0] : undefined;
  if (proxyRelation) for (const id of httpProxySecretIds(proxyRelation)) ids.add(id);
  // An id that is not a secret URI makes secret-get fail; evaluateIntegrations reports it as invalid data.
  return [...ids].filter(isSecretUri);
}

/** Only the keys whose value differs from the bag's current content. */
function changedKeys(desired: Databag | undefined, current: Databag): Databag | undefined {
  if (desired === undefined) return undefined;
  const changes: Databag = {};
  for (const [key, value] of Object.entries(desired)) {
    const now = Object.hasOwn(current, key) ? current[key] : undefined;
    const differs = value === "" ? now !== undefined && now !== "" : now !== value;
    if (differs) changes[key] = value;
  }
  return Object.keys(changes).length > 0 ? changes : undefined;
}

/**
 * Runs one integration; a defect in it becomes that integration's invalid-data status, never a crash.
 * Provider data is checked on both sides: every secret it names must be a secret URI, and the env it
 * yields must reach the app's process intact (no control characters, no value too long for execve).
 */
function safely(name: string, secretIds: () => string[], run: () => Outcome): Outcome {
  let outcome: Outcome;
  try {
    if (!secretIds().every(isSecretUri)) return invalid(name, `${name}: the provider names a secret by something that is not a Juju secret URI`);
    outcome = run();
  } catch {
    return invalid(name, `${name}: the relation data could not be interpreted`);
  }
  if (outcome.state !== "ready") return outcome;
  const problem = envProblem(outcome.env);
  if (!problem) return outcome;
  const unusable = invalid(name, `${name}: ${problem.reason}`, problem.oversized ? oversizedMessage(name, problem.variable) : undefined);
  return { ...unusable, ...(outcome.app ? { app: outcome.app } : {}), ...(outcome.unit ? { unit: outcome.unit } : {}) };
}

/** Step 2: everything the charm needs from its integrations, computed from plain data. */
export function evaluateIntegrations(
  endpoints: EndpointDecl[],
  relations: RelationView[],
  secrets: SecretContents,
  ctx: IntegrationContext,
): IntegrationsResult {
  const decls = Array.isArray(endpoints) ? endpoints : [];
  const secretMap = cleanSecrets(secrets);
  const clean = cleanRelations(relations);
  const result: IntegrationsResult = { env: [], missing: [], problems: [], ready: [], migrationFingerprint: "", writes: [], logTargets: {} };
  const writes = new Map<number, RelationWrite>();
  const addWrites = (relation: RelationView, app: Databag | undefined, unit: Databag | undefined): void => {
    const appChanges = ctx.leader ? changedKeys(app, relation.localAppData) : undefined;
    const unitChanges = changedKeys(unit, relation.localUnitData);
    if (!appChanges && !unitChanges) return;
    const entry = writes.get(relation.id) ?? { relationId: relation.id };
    if (appChanges) entry.app = { ...entry.app, ...appChanges };
    if (unitChanges) entry.unit = { ...entry.unit, ...unitChanges };
    writes.set(relation.id, entry);
  };
  const problem = (integration: string, reason: string): void => {
    result.problems.push({ integration, reason });
  };

  // Ingress first: its URL is the base URL every other integration sees.
  const ingressEndpoint = findEndpoint(decls, "ingress", "ingress");
  const ingressRelation = ingressEndpoint ? relationsOf(clean, ingressEndpoint.name)[0] : undefined;
  if (ingressRelation) {
    const ingress = evaluateIngress(ingressRelation, ctx);
    if (ingress.url !== undefined) result.ingressUrl = ingress.url;
    else if (ingress.reason) problem("ingress", ingress.reason);
    addWrites(ingressRelation, ingress.app, ingress.unit);
  }
  const evalCtx: EvalContext = {
    ...ctx,
    baseUrl: result.ingressUrl ?? ctx.baseUrl ?? `http://${ctx.appName}.${ctx.modelName}:${ctx.port}`,
  };

  const usable = new Set<string>();
  const migrationInputs: Array<[string, Record<string, string>]> = [];
  const record = (name: string, relations: RelationView[], outcome: Outcome | undefined, absentEnv: Record<string, string>): void => {
    if (outcome === undefined || outcome.state !== "ready") {
      if (Object.keys(absentEnv).length > 0) result.env.push(absentEnv);
      if (outcome?.state === "waiting") problem(name, outcome.reason);
      if (outcome?.state === "invalid") {
        problem(name, outcome.reason);
        result.blocked ??= outcome.message;
      }
    } else {
      result.env.push(outcome.env);
      usable.add(name);
    }
    if (outcome && relations[0]) addWrites(relations[0], outcome.app, outcome.unit);
  };

  const wired = wire(decls);
  for (const { integration, endpoint } of wired) {
    const related = relationsOf(clean, endpoint.name);
    const absentEnv = integration.absentEnv?.(evalCtx) ?? {};
    if (related.length === 0) {
      record(integration.name, related, undefined, absentEnv);
      continue;
    }
    let outcome = safely(integration.name, () => integration.secretIds(related[0]!), () => integration.evaluate(related[0]!, secretMap, evalCtx));
    if (integration.name === "valkey" && related.length > 1) {
      outcome = { state: "invalid", message: "Invalid valkey relation data.", reason: "valkey: more than one valkey relation is not supported" };
    }
    record(integration.name, related, outcome, absentEnv);
    if (outcome.state === "ready" && integration.rerunsMigrations) migrationInputs.push([integration.name, outcome.env]);
    if (outcome.state === "ready" && integration.name === "saml" && ctx.framework === "spring-boot") {
      const saml = readSaml(related[0]!.remoteAppData);
      if (!("problem" in saml)) result.samlCertificatePem = samlCertificatePem(saml.signingCertificate);
    }
  }

  // An integration the charm does not even declare is as absent as one declared but not related.
  const wiredIntegrations = new Set(wired.map((w) => w.integration));
  for (const [, , integration] of [...BY_NAME, ...AFTER_DATABASES]) {
    const absentEnv = wiredIntegrations.has(integration) ? {} : integration.absentEnv?.(evalCtx) ?? {};
    if (Object.keys(absentEnv).length > 0) result.env.push(absentEnv);
  }

  const oauthDecls = oauthEndpoints(decls);
  const oauthDecl = oauthDecls.length === 1 ? oauthDecls[0] : undefined;
  if (oauthDecls.length > 1) result.oauthGate = MULTIPLE_OAUTH;
  if (oauthDecl) {
    const relation = relationsOf(clean, oauthDecl.name)[0];
    const outcome = relation ? safely(OAUTH_NAME, () => oauthSecretIds(relation), () => evaluateOAuth(oauthDecl.name, relation, secretMap, evalCtx)) : undefined;
    record(OAUTH_NAME, relation ? [relation] : [], outcome, {});
    const clientReady = relation ? clientCreated(relation) : false;
    const scopeError = outcome && "scopeError" in outcome && typeof outcome.scopeError === "string" ? outcome.scopeError : undefined;
    result.oauth = {
      endpoint: oauthDecl.name,
      related: relation !== undefined,
      clientReady,
      ...(relation?.remoteApp ? { remoteApp: relation.remoteApp } : {}),
      ...(scopeError ? { scopeError } : {}),
    };
    if (relation && !clientReady) result.oauthGate = `Please check ${relation.remoteApp ?? oauthDecl.name} charm!`;
    else if (relation && result.ingressUrl === undefined) result.oauthGate = INGRESS_REQUIRED;
  }

  const proxyDecl = findEndpoint(decls, "http-proxy", "http_proxy");
  const proxyRelation = proxyDecl ? relationsOf(clean, proxyDecl.name)[0] : undefined;
  if (proxyRelation) {
    let proxy: ReturnType<typeof evaluateHttpProxy>;
    try {
      proxy = evaluateHttpProxy(proxyRelation, secretMap, ctx);
    } catch {
      proxy = { blocked: HTTP_PROXY_BLOCKED, reason: "http-proxy: the relation data could not be interpreted" };
    }
    const unusable = proxy.proxy ? envProblem({ HTTP_PROXY: proxy.proxy.http, HTTPS_PROXY: proxy.proxy.https }) : undefined;
    if (unusable) proxy = { blocked: HTTP_PROXY_BLOCKED, reason: `http-proxy: ${unusable.reason}`, ...(proxy.app ? { app: proxy.app } : {}) };
    if (proxy.proxy) {
      result.proxy = proxy.proxy;
      usable.add("http-proxy");
    }
    if (proxy.blocked) {
      problem("http-proxy", proxy.reason ?? "http-proxy: not usable");
      result.blocked ??= proxy.blocked;
    }
    addWrites(proxyRelation, proxy.app, undefined);
  }

  // Observability: the two provider endpoints publish to every related app; logging feeds the layer.
  const observability = ctx.observability;
  if (observability) {
    // Every related app gets the same data: computed once (the dashboard is compressed JSON).
    const metrics = declared(decls, METRICS_ENDPOINT);
    const metricsRelations = metrics ? relationsOf(clean, metrics.name) : [];
    if (metricsRelations.length > 0) {
      const published = evaluateMetricsEndpoint(observability, ctx);
      for (const relation of metricsRelations) addWrites(relation, published.app, published.unit);
    }
    const grafana = declared(decls, GRAFANA_DASHBOARD);
    const grafanaRelations = grafana ? relationsOf(clean, grafana.name) : [];
    if (grafanaRelations.length > 0) {
      const dashboards = evaluateGrafanaDashboard(observability, ctx).app;
      for (const relation of grafanaRelations) addWrites(relation, dashboards, undefined);
    }
    const logging = declared(decls, LOGGING);
    const loggingRelations = logging ? relationsOf(clean, logging.name) : [];
    if (loggingRelations.length > 0) {
      const outcome = evaluateLogging(loggingRelations, observability, ctx);
      result.logTargets = outcome.targets;
      for (const reason of outcome.problems) problem("logging", reason);
      if (outcome.invalid) result.blocked ??= "Invalid logging relation data.";
      if (Object.keys(outcome.targets).length > 0) usable.add("logging");
      for (const relation of loggingRelations) addWrites(relation, outcome.app, undefined);
    }
  }

  const required = (decl: EndpointDecl | undefined, name: string): void => {
    if (decl && decl.optional !== true && !usable.has(name) && !NEVER_MISSING.has(name)) result.missing.push(name);
  };
  for (const { integration, endpoint } of wired) if (DATABASE_INTERFACES[endpoint.interface] !== undefined) required(endpoint, integration.name);
  for (const name of MISSING_ORDER) required(wired.find((entry) => entry.integration.name === name)?.endpoint, name);
  required(oauthDecl, OAUTH_NAME);

  result.ready = [...usable];
  result.migrationFingerprint = sha256Hex(JSON.stringify(migrationInputs.map(([name, env]) => [name, Object.entries(env).sort()])));
  result.writes = [...writes.values()];
  return result;
}
