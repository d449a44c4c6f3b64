// The data shapes shared by every integration module and the registry (index.ts).
import type { Databag } from "./databag.ts";

export type Framework = "flask" | "django" | "fastapi" | "go" | "expressjs" | "spring-boot";

/** One endpoint from the charm's metadata. */
export interface EndpointDecl {
  name: string;
  interface: string;
  role: "requires" | "provides" | "peer";
  /** Juju's default is false: an endpoint without `optional: true` is required. */
  optional: boolean;
  limit?: number;
}

/** One relation as observed in this hook. */
export interface RelationView {
  id: number;
  endpoint: string;
  interface: string;
  remoteApp?: string;
  remoteAppData: Databag;
  remoteUnitsData: Record<string, Databag>;
  /** `{}` when this unit is not the leader (Juju does not let it read its own app bag). */
  localAppData: Databag;
  localUnitData: Databag;
}

/** Secret contents by the id found in provider data; `undefined` when it could not be read. */
export type SecretContents = Record<string, Record<string, string> | undefined>;

export interface IntegrationContext {
  appName: string;
  modelName: string;
  unitName: string;
  leader: boolean;
  framework: Framework;
  /** Charm config (option name -> value), used for the OAuth options `<endpoint>-*`. */
  config: Record<string, unknown>;
  /** Base URL without ingress; defaults to `http://<app>.<model>:<port>`. An ingress URL always wins. */
  baseUrl?: string;
  /** The relation's bind address (ingress `ip`); left out when unknown or not an IP. */
  unitAddress?: string;
  /** The unit's FQDN (ingress `host`); defaults to the Kubernetes pod FQDN. */
  unitHost?: string;
  port: number;
  /** Whether the workload port is already open (ingress `is_port_open`). */
  portOpen?: boolean;
  /** What metrics-endpoint, grafana-dashboard and logging publish; without it they publish nothing. */
  observability?: ObservabilityContext;
}

/** A `paas-config.yaml` `prometheus.scrape_configs` entry. */
export interface ScrapeConfig {
  jobName: string;
  metricsPath: string;
  staticConfigs: ReadonlyArray<{ targets: readonly string[]; labels?: Readonly<Record<string, string>> }>;
}

export interface ObservabilityContext {
  modelUuid: string;
  /** The charm's name from its metadata (`charm_name` of the Juju topology). */
  charmName: string;
  metricsPort: number;
  metricsPath: string;
  scrapeConfigs: readonly ScrapeConfig[];
}

/** Context passed to an integration: the resolved base URL is known by then. */
export interface EvalContext extends IntegrationContext {
  baseUrl: string;
}

/** What one integration concluded from one relation. */
export type Outcome =
  | { state: "ready"; env: Record<string, string>; app?: Databag; unit?: Databag }
  | { state: "waiting"; reason: string; app?: Databag; unit?: Databag }
  | { state: "invalid"; message: string; reason: string; app?: Databag; unit?: Databag };

export interface Integration {
  /** The name used in `missing integrations:` and in `Invalid <name> relation data.` */
  name: string;
  /** docs/paas-charm-contract.md §1.4 "R+M": a change of this integration's data re-runs the migrations. */
  rerunsMigrations: boolean;
  secretIds(relation: RelationView): string[];
  evaluate(relation: RelationView, secrets: SecretContents, ctx: EvalContext): Outcome;
  /** Environment when there is no usable data (only Spring Boot tracing sets any). */
  absentEnv?(ctx: EvalContext): Record<string, string>;
}

export function invalid(name: string, reason: string, message = `Invalid ${name} relation data.`): Outcome {
  return { state: "invalid", message, reason };
}

export function waiting(reason: string): Outcome {
  return { state: "waiting", reason };
}

/** Reads a secret's content; distinguishes "no such field" from "secret not readable yet". */
export function secretContent(secrets: SecretContents, id: string): Record<string, string> | undefined {
  const content = Object.hasOwn(secrets, id) ? secrets[id] : undefined;
  return content !== null && typeof content === "object" ? content : undefined;
}
