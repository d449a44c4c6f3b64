// paas-config.yaml, shipped in the charm (paas-charm-spec.md §2.3), plus this project's keys: `framework`
// (required), which names the framework the charm runs, and `health-check-path`, which turns the
// workload check into an HTTP request. An unusable file is a packaging mistake: the error says what to
// fix, and the charm fails the hook (Juju retries once the charm is refreshed).
import { parse } from "yaml";
import { FRAMEWORK_NAMES, isFrameworkName, type FrameworkName } from "./frameworks/index.ts";

export interface ScrapeJob {
  jobName: string;
  metricsPath: string;
  staticConfigs: Array<{ targets: string[]; labels?: Record<string, string> }>;
}

export interface PaasConfig {
  framework: FrameworkName;
  /** Present only when the file sets them: the framework defaults apply otherwise. */
  port?: number;
  metricsPort?: number;
  metricsPath?: string;
  scrapeConfigs: ScrapeJob[];
  /** Path the workload check requests over HTTP; absent: the check only connects to the port. */
  healthCheckPath?: string;
}

export class PaasConfigError extends Error {
  override name = "PaasConfigError";
}

const KNOWN = new Set(["framework", "port", "metrics-port", "metrics_port", "metrics-path", "metrics_path", "framework_logging_format", "prometheus", "health-check-path"]);

export function parsePaasConfig(text: string): PaasConfig {
  let raw: unknown;
  try {
    raw = text.trim() ? parse(text) : {};
  } catch (error) {
    throw new PaasConfigError(`Invalid YAML in paas-config.yaml: ${(error as Error).message}`);
  }
  if (raw === null || raw === undefined) raw = {};
  if (typeof raw !== "object" || Array.isArray(raw)) throw new PaasConfigError("Invalid paas-config.yaml: the file must be a mapping");
  const file = raw as Record<string, unknown>;
  const unknown = Object.keys(file).filter((key) => !KNOWN.has(key));
  if (unknown.length) throw new PaasConfigError(`Invalid paas-config.yaml: unknown keys ${unknown.sort().join(", ")}`);

  const framework = file.framework;
  if (!isFrameworkName(framework)) {
    throw new PaasConfigError(`Invalid paas-config.yaml: framework must be one of ${FRAMEWORK_NAMES.join(", ")} (got ${JSON.stringify(framework ?? null)})`);
  }
  checkLoggingFormat(file.framework_logging_format, framework);
  const config: PaasConfig = { framework, scrapeConfigs: scrapeConfigs(file.prometheus) };
  const portValue = optionalPort(file.port, "port");
  if (portValue !== undefined) config.port = portValue;
  const metricsPort = optionalPort(file["metrics-port"] ?? file.metrics_port, "metrics-port");
  if (metricsPort !== undefined) config.metricsPort = metricsPort;
  const metricsPath = optionalString(file["metrics-path"] ?? file.metrics_path, "metrics-path");
  if (metricsPath !== undefined) config.metricsPath = metricsPath;
  const healthCheckPath = optionalString(file["health-check-path"], "health-check-path");
  if (healthCheckPath !== undefined) {
    if (!healthCheckPath.startsWith("/")) throw new PaasConfigError("Invalid paas-config.yaml: health-check-path must start with /");
    config.healthCheckPath = healthCheckPath;
  }
  return config;
}

function optionalPort(value: unknown, key: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > 65535) {
    throw new PaasConfigError(`Invalid paas-config.yaml: ${key} must be an integer from 1 to 65535`);
  }
  return value;
}

function optionalString(value: unknown, key: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw new PaasConfigError(`Invalid paas-config.yaml: ${key} must be a string`);
  return value;
}

/** Only `none`: paas-charm's JSON server logs (Flask, Django, FastAPI) are not implemented by this charm. */
function checkLoggingFormat(value: unknown, framework: FrameworkName): void {
  if (value === undefined || value === null || value === "none") return;
  if (value !== "json") throw new PaasConfigError("Invalid paas-config.yaml: framework_logging_format must be none or json");
  const supportedByPaasCharm = ["django", "fastapi", "flask"].includes(framework);
  throw new PaasConfigError(supportedByPaasCharm
    ? "Invalid paas-config.yaml: framework_logging_format json is not supported by this charm yet: remove the key or set it to none"
    : `Invalid paas-config.yaml: framework_logging_format json is not supported for the ${framework} framework (only django, fastapi, flask)`);
}

function scrapeConfigs(prometheus: unknown): ScrapeJob[] {
  if (prometheus === undefined || prometheus === null) return [];
  const list = (prometheus as { scrape_configs?: unknown }).scrape_configs;
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw new PaasConfigError("Invalid paas-config.yaml: prometheus.scrape_configs must be a list");
  const jobs = list.map((entry, index): ScrapeJob => {
    const job = entry as Record<string, unknown>;
    if (typeof job?.job_name !== "string" || !job.job_name) throw new PaasConfigError(`Invalid paas-config.yaml: prometheus.scrape_configs[${index}].job_name is required`);
    if (!Array.isArray(job.static_configs)) throw new PaasConfigError(`Invalid paas-config.yaml: prometheus.scrape_configs[${index}].static_configs is required`);
    const staticConfigs = job.static_configs.map((sc: unknown) => {
      const s = sc as { targets?: unknown; labels?: unknown };
      if (!Array.isArray(s?.targets) || !s.targets.every((t) => typeof t === "string")) {
        throw new PaasConfigError(`Invalid paas-config.yaml: prometheus.scrape_configs[${index}].static_configs[].targets must be a list of strings`);
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
