// metrics-endpoint (prometheus_scrape v0, provider side, prometheus_k8s.v0.prometheus_scrape
// MetricsEndpointProvider): the leader publishes the scrape jobs, their metadata and alert rules in the
// app bag; every unit publishes the address Prometheus scrapes it at (docs/paas-charm-contract.md §8.6).
import { pyJsonDumps, type Databag, type JsonValue } from "./databag.ts";
import { podFqdn } from "./ingress.ts";
import { frameworkDisplayName, jujuTopology, topologySelector } from "./topology.ts";
import type { IntegrationContext, ObservabilityContext, ScrapeConfig } from "./types.ts";

/** `@scheduler:PORT` targets the unit that runs the `-scheduler` services: unit 0 (§8.4). */
export function schedulerTarget(target: string, ctx: IntegrationContext): string {
  const match = /^@scheduler:(\d+)$/.exec(target);
  return match ? `${ctx.appName}-0.${ctx.appName}-endpoints.${ctx.modelName}.svc.cluster.local:${match[1]}` : target;
}

/** The library's sanitising keeps its default job's key order (metrics_path, static_configs) first. */
function customJob(job: ScrapeConfig, ctx: IntegrationContext): JsonValue {
  return {
    metrics_path: job.metricsPath,
    static_configs: job.staticConfigs.map((config) => ({
      targets: config.targets.map((target) => schedulerTarget(target, ctx)),
      ...(config.labels ? { labels: { ...config.labels } } : {}),
    })),
    job_name: job.jobName,
  };
}

/** The framework job (no job_name: Prometheus names it), then paas-config.yaml's jobs. */
export function scrapeJobs(obs: ObservabilityContext, ctx: IntegrationContext): JsonValue[] {
  return [
    { metrics_path: obs.metricsPath || "/metrics", static_configs: [{ targets: [`*:${obs.metricsPort}`] }] },
    ...obs.scrapeConfigs.map((job) => customJob(job, ctx)),
  ];
}

/** One rule of our own per framework: the app's scrape target is down (paas-charm ships it for Flask/Django). */
export function alertRules(obs: ObservabilityContext, ctx: IntegrationContext): JsonValue {
  const topology = jujuTopology(ctx, obs);
  const name = frameworkDisplayName(ctx.framework).replaceAll(" ", "");
  return {
    groups: [{
      name: `${topology.model}_${topology.model_uuid}_${topology.application}_${ctx.framework}_alerts`,
      rules: [{
        alert: `${name}TargetMissing`,
        expr: `up{${topologySelector(topology)}} == 0`,
        for: "2m",
        labels: {
          severity: "critical",
          juju_model: topology.model, juju_model_uuid: topology.model_uuid, juju_application: topology.application, juju_charm: topology.charm_name,
        },
        annotations: {
          summary: `${frameworkDisplayName(ctx.framework)} target of {{ $labels.juju_application }} is missing`,
          description: "Prometheus has not scraped {{ $labels.instance }} for 2 minutes: the app or its metrics endpoint is down.",
        },
      }],
    }],
  };
}

export function evaluateMetricsEndpoint(obs: ObservabilityContext, ctx: IntegrationContext): { app?: Databag; unit: Databag } {
  const unit: Databag = { prometheus_scrape_unit_address: ctx.unitHost || podFqdn(ctx), prometheus_scrape_unit_name: ctx.unitName };
  if (!ctx.leader) return { unit };
  return {
    app: {
      scrape_metadata: pyJsonDumps(jujuTopology(ctx, obs)),
      scrape_jobs: pyJsonDumps(scrapeJobs(obs, ctx)),
      alert_rules: pyJsonDumps(alertRules(obs, ctx)),
    },
    unit,
  };
}
