// The charm's two settings files. paas-config.yaml is paas-charm's own (paas-charm 1.12.3
// `paas_charm/paas_config.py`: port, metrics port and path, framework_logging_format, prometheus scrape
// configs; unknown keys rejected), so a charm's file stays loadable by paas-charm. runtime.yaml is this
// project's: `framework` (which of the six the charm runs) and `health-check-path` (the workload check asks
// that path over HTTP). Earlier releases read both of this project's keys from paas-config.yaml; they are
// still accepted there. An unusable file is Blocked naming the key, never a hook error: retrying the hook
// cannot fix a file packed into the charm.
import { parse } from "yaml";
import { FRAMEWORK_NAMES, isFrameworkName, type FrameworkName } from "./frameworks/index.ts";

export interface ScrapeJob {
  jobName: string;
  metricsPath: string;
  staticConfigs: Array<{ targets: string[]; labels?: Record<string, string> }>;
}

/** Structured server logs (paas-charm's `LoggingFormat`); `json` only for the Gunicorn and Uvicorn frameworks. */
export type LoggingFormat = "none" | "json";
export const FRAMEWORKS_WITH_JSON_LOGS: readonly FrameworkName[] = ["django", "fastapi", "flask"];

export interface PaasConfig {
  framework: FrameworkName;
  /** Present only when the file sets them: the framework defaults apply otherwise. */
  port?: number;
  metricsPort?: number;
  metricsPath?: string;
  scrapeConfigs: ScrapeJob[];
  /** Set only to `json`: the default (`none`) leaves the server's own log format. */
  loggingFormat?: "json";
  /** Path the workload check requests over HTTP; absent: the check only connects to the port. */
  healthCheckPath?: string;
}

export class PaasConfigError extends Error {
  override name = "PaasConfigError";
}

export const RUNTIME_FILE = "runtime.yaml";
export const PAAS_CONFIG_FILE = "paas-config.yaml";

const RUNTIME_KEYS = new Set(["framework", "health-check-path"]);
const PAAS_CHARM_KEYS = new Set(["port", "metrics-port", "metrics_port", "metrics-path", "metrics_path", "framework_logging_format", "prometheus"]);

/** Both files' text ("" for a missing file) to the charm's settings; throws PaasConfigError naming the file and key. */
export function parseCharmSettings(files: { runtime: string; paasConfig: string }): PaasConfig {
  const runtime = mapping(files.runtime, RUNTIME_FILE);
  const paas = mapping(files.paasConfig, PAAS_CONFIG_FILE);
  rejectUnknown(runtime, RUNTIME_KEYS, RUNTIME_FILE);
  rejectUnknown(paas, new Set([...PAAS_CHARM_KEYS, ...RUNTIME_KEYS]), PAAS_CONFIG_FILE);
  for (const key of RUNTIME_KEYS) {
    if (runtime[key] !== undefined && paas[key] !== undefined && runtime[key] !== paas[key]) {
      throw new PaasConfigError(`Invalid ${PAAS_CONFIG_FILE}: ${key} differs from ${RUNTIME_FILE}'s; keep it in ${RUNTIME_FILE} only`);
    }
  }
  // paas-config.yaml's value when that (older) place sets the key, else runtime.yaml's, with the file it
  // came from; a key set nowhere is reported against runtime.yaml, where it belongs.
  const paasConfigElseRuntime = (key: string): [unknown, string] => (paas[key] === undefined ? [runtime[key], RUNTIME_FILE] : [paas[key], PAAS_CONFIG_FILE]);

  const [framework, frameworkFile] = paasConfigElseRuntime("framework");
  if (!isFrameworkName(framework)) {
    throw new PaasConfigError(`Invalid ${frameworkFile}: framework must be one of ${FRAMEWORK_NAMES.join(", ")} (got ${JSON.stringify(framework ?? null)})`);
  }
  const config: PaasConfig = { framework, scrapeConfigs: scrapeConfigs(paas.prometheus) };
  if (loggingFormat(paas.framework_logging_format, framework) === "json") config.loggingFormat = "json";
  const portValue = optionalPort(paas.port, "port");
  if (portValue !== undefined) config.port = portValue;
  const metricsPort = optionalPort(paas["metrics-port"] ?? paas.metrics_port, "metrics-port");
  if (metricsPort !== undefined) config.metricsPort = metricsPort;
  const metricsPath = optionalString(paas["metrics-path"] ?? paas.metrics_path, "metrics-path", PAAS_CONFIG_FILE);
  if (metricsPath !== undefined) config.metricsPath = metricsPath;
  const [healthCheck, healthCheckFile] = paasConfigElseRuntime("health-check-path");
  const healthCheckPath = optionalString(healthCheck, "health-check-path", healthCheckFile);
  if (healthCheckPath !== undefined) {
    if (!healthCheckPath.startsWith("/")) throw new PaasConfigError(`Invalid ${healthCheckFile}: health-check-path must start with /`);
    config.healthCheckPath = healthCheckPath;
  }
  return config;
}

function mapping(text: string, file: string): Record<string, unknown> {
  let raw: unknown;
  try {
    raw = text.trim() ? parse(text) : {};
  } catch (error) {
    throw new PaasConfigError(`Invalid YAML in ${file}: ${(error as Error).message.split("\n")[0]}`);
  }
  if (raw === null || raw === undefined) return {};
  if (typeof raw !== "object" || Array.isArray(raw)) throw new PaasConfigError(`Invalid ${file}: the file must be a mapping`);
  return raw as Record<string, unknown>;
}

function rejectUnknown(file: Record<string, unknown>, known: ReadonlySet<string>, name: string): void {
  const unknown = Object.keys(file).filter((key) => !known.has(key));
  if (unknown.length) throw new PaasConfigError(`Invalid ${name}: unknown keys ${unknown.sort().join(", ")}`);
}

function optionalPort(value: unknown, key: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > 65535) {
    throw new PaasConfigError(`Invalid ${PAAS_CONFIG_FILE}: ${key} must be an integer from 1 to 65535`);
  }
  return value;
}

function optionalString(value: unknown, key: string, file: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw new PaasConfigError(`Invalid ${file}: ${key} must be a string`);
  return value;
}

/** paas-charm accepts `json` for Django, FastAPI and Flask only (its FRAMEWORKS_SUPPORTING_LOGGING_FORMAT). */
function loggingFormat(value: unknown, framework: FrameworkName): LoggingFormat {
  if (value === undefined || value === null || value === "none") return "none";
  if (value !== "json") throw new PaasConfigError(`Invalid ${PAAS_CONFIG_FILE}: framework_logging_format must be none or json`);
  if (!FRAMEWORKS_WITH_JSON_LOGS.includes(framework)) {
    throw new PaasConfigError(`Invalid ${PAAS_CONFIG_FILE}: framework_logging_format json is not supported for the ${framework} framework (only ${FRAMEWORKS_WITH_JSON_LOGS.join(", ")})`);
  }
  return "json";
}

function scrapeConfigs(prometheus: unknown): ScrapeJob[] {
  if (prometheus === undefined || prometheus === null) return [];
  const list = (prometheus as { scrape_configs?: unknown }).scrape_configs;
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw new PaasConfigError(`Invalid ${PAAS_CONFIG_FILE}: prometheus.scrape_configs must be a list`);
  const jobs = list.map((entry, index): ScrapeJob => {
    const job = entry as Record<string, unknown>;
    if (typeof job?.job_name !== "string" || !job.job_name) throw new PaasConfigError(`Invalid ${PAAS_CONFIG_FILE}: prometheus.scrape_configs[${index}].job_name is required`);
    if (!Array.isArray(job.static_configs)) throw new PaasConfigError(`Invalid ${PAAS_CONFIG_FILE}: prometheus.scrape_configs[${index}].static_configs is required`);
    const staticConfigs = job.static_configs.map((sc: unknown) => {
      const s = sc as { targets?: unknown; labels?: unknown };
      if (!Array.isArray(s?.targets) || !s.targets.every((t) => typeof t === "string")) {
        throw new PaasConfigError(`Invalid ${PAAS_CONFIG_FILE}: prometheus.scrape_configs[${index}].static_configs[].targets must be a list of strings`);
      }
      for (const target of s.targets as string[]) checkSchedulerTarget(target);
      return { targets: s.targets as string[], ...(s.labels && typeof s.labels === "object" ? { labels: s.labels as Record<string, string> } : {}) };
    });
    return { jobName: job.job_name, metricsPath: typeof job.metrics_path === "string" ? job.metrics_path : "/metrics", staticConfigs };
  });
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const job of jobs) (seen.has(job.jobName) ? duplicates : seen).add(job.jobName);
  if (duplicates.size) {
    throw new PaasConfigError(`Duplicate job_name values found in prometheus.scrape_configs: ${[...duplicates].sort().join(", ")}. Each job must have a unique name.`);
  }
  return jobs;
}

function checkSchedulerTarget(target: string): void {
  if (!target.startsWith("@scheduler")) return;
  const match = /^@scheduler:(.*)$/.exec(target);
  if (!match) throw new PaasConfigError(`Invalid @scheduler format '${target}': must include port (@scheduler:PORT)`);
  if (!/^\d+$/.test(match[1]!)) throw new PaasConfigError(`Invalid @scheduler format '${target}': port must be numeric`);
}
