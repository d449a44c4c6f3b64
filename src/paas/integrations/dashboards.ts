// This charm's own Grafana dashboards, one per framework: panels over the metrics each framework's apps
// expose (Gunicorn's statsd metrics for Flask and Django, the usual client-library metrics for the
// others), the scrape target's health, and the app's logs from Loki. `${prometheusds}`, `${lokids}` and
// the `juju_*` variables are filled in by the Grafana charm (it injects the topology dropdowns).
import type { JsonValue } from "./databag.ts";
import { frameworkDisplayName } from "./topology.ts";
import type { Framework } from "./types.ts";

interface PanelSpec {
  title: string;
  /** PromQL with `$sel` standing for the topology matchers; one query per legend entry. */
  queries: Array<{ expr: string; legend: string }>;
  unit?: string;
}

const SELECTOR = 'juju_model=~"$juju_model",juju_model_uuid=~"$juju_model_uuid",juju_application=~"$juju_application",juju_unit=~"$juju_unit"';

function gunicornPanels(prefix: string): PanelSpec[] {
  return [
    { title: "Requests per second", queries: [{ expr: `sum(rate(${prefix}_requests{$sel}[5m]))`, legend: "requests/s" }], unit: "reqps" },
    { title: "Responses by status code", queries: [{ expr: `sum by (status) (rate(${prefix}_response_code{$sel}[5m]))`, legend: "{{status}}" }], unit: "reqps" },
    {
      title: "Error responses (4XX, 5XX)",
      queries: [
        { expr: `sum(rate(${prefix}_response_code{$sel,status=~"4.."}[5m]))`, legend: "4XX" },
        { expr: `sum(rate(${prefix}_response_code{$sel,status=~"5.."}[5m]))`, legend: "5XX" },
      ],
      unit: "reqps",
    },
    {
      title: "Request duration",
      queries: [
        { expr: `sum(rate(${prefix}_request_duration_sum{$sel}[5m])) / sum(rate(${prefix}_request_duration_count{$sel}[5m]))`, legend: "average" },
        { expr: `max(${prefix}_request_duration{$sel,quantile="0.5"})`, legend: "p50" },
        { expr: `max(${prefix}_request_duration{$sel,quantile="0.99"})`, legend: "p99" },
      ],
      unit: "ms",
    },
  ];
}

/** HTTP histogram panels for apps instrumented with a Prometheus client's `http_request_duration_seconds`. */
function httpHistogramPanels(metric: string, statusLabel: string): PanelSpec[] {
  return [
    { title: "Requests per second", queries: [{ expr: `sum(rate(${metric}_count{$sel}[5m]))`, legend: "requests/s" }], unit: "reqps" },
    { title: "Responses by status code", queries: [{ expr: `sum by (${statusLabel}) (rate(${metric}_count{$sel}[5m]))`, legend: `{{${statusLabel}}}` }], unit: "reqps" },
    {
      title: "Request duration",
      queries: [
        { expr: `sum(rate(${metric}_sum{$sel}[5m])) / sum(rate(${metric}_count{$sel}[5m]))`, legend: "average" },
        { expr: `histogram_quantile(0.99, sum by (le) (rate(${metric}_bucket{$sel}[5m])))`, legend: "p99" },
      ],
      unit: "s",
    },
  ];
}

const PROCESS_PANELS: PanelSpec[] = [
  { title: "CPU", queries: [{ expr: "sum by (juju_unit) (rate(process_cpu_seconds_total{$sel}[5m]))", legend: "{{juju_unit}}" }], unit: "percentunit" },
  { title: "Resident memory", queries: [{ expr: "sum by (juju_unit) (process_resident_memory_bytes{$sel})", legend: "{{juju_unit}}" }], unit: "bytes" },
];

const FRAMEWORK_PANELS: Record<Framework, PanelSpec[]> = {
  flask: gunicornPanels("flask"),
  django: gunicornPanels("django"),
  fastapi: [...httpHistogramPanels("http_request_duration_seconds", "status"), ...PROCESS_PANELS],
  expressjs: [
    ...httpHistogramPanels("http_request_duration_seconds", "status_code"),
    ...PROCESS_PANELS,
    { title: "Event loop lag", queries: [{ expr: "max by (juju_unit) (nodejs_eventloop_lag_seconds{$sel})", legend: "{{juju_unit}}" }], unit: "s" },
  ],
  go: [
    ...httpHistogramPanels("http_request_duration_seconds", "code"),
    { title: "Goroutines", queries: [{ expr: "sum by (juju_unit) (go_goroutines{$sel})", legend: "{{juju_unit}}" }] },
    { title: "Heap in use", queries: [{ expr: "sum by (juju_unit) (go_memstats_heap_inuse_bytes{$sel})", legend: "{{juju_unit}}" }], unit: "bytes" },
    { title: "GC pause (p75)", queries: [{ expr: 'max by (juju_unit) (go_gc_duration_seconds{$sel,quantile="0.75"})', legend: "{{juju_unit}}" }], unit: "s" },
  ],
  "spring-boot": [
    { title: "Requests per second", queries: [{ expr: "sum(rate(http_server_requests_seconds_count{$sel}[5m]))", legend: "requests/s" }], unit: "reqps" },
    { title: "Responses by status code", queries: [{ expr: "sum by (status) (rate(http_server_requests_seconds_count{$sel}[5m]))", legend: "{{status}}" }], unit: "reqps" },
    { title: "JVM memory used", queries: [{ expr: "sum by (area) (jvm_memory_used_bytes{$sel})", legend: "{{area}}" }], unit: "bytes" },
    { title: "Live threads", queries: [{ expr: "sum by (juju_unit) (jvm_threads_live_threads{$sel})", legend: "{{juju_unit}}" }] },
    { title: "Active Tomcat sessions", queries: [{ expr: "sum(tomcat_sessions_active_current_sessions{$sel})", legend: "sessions" }] },
  ],
};

const PROMETHEUS = { type: "prometheus", uid: "${prometheusds}" };
const LOKI = { type: "loki", uid: "${lokids}" };

function gridPos(index: number): JsonValue {
  return { h: 8, w: 12, x: (index % 2) * 12, y: Math.floor(index / 2) * 8 };
}

function timeseries(panel: PanelSpec, id: number, index: number): JsonValue {
  return {
    id, type: "timeseries", title: panel.title, datasource: PROMETHEUS, gridPos: gridPos(index),
    fieldConfig: { defaults: { unit: panel.unit ?? "short" }, overrides: [] },
    targets: panel.queries.map((query, i) => ({
      refId: String.fromCharCode(65 + i), datasource: PROMETHEUS, expr: query.expr.replaceAll("$sel", () => SELECTOR), legendFormat: query.legend,
    })),
  };
}

/** The dashboard for `framework` as Grafana's JSON model; uid and tags as the library sets them. */
export function frameworkDashboard(framework: Framework, uid: string, charmName: string): JsonValue {
  const specs: PanelSpec[] = [
    { title: "Scrape targets up", queries: [{ expr: "sum(up{$sel})", legend: "up" }] },
    ...FRAMEWORK_PANELS[framework],
  ];
  const panels = specs.map((spec, index) => timeseries(spec, index + 1, index));
  panels.push({
    id: specs.length + 1, type: "logs", title: "Logs", datasource: LOKI,
    gridPos: { h: 10, w: 24, x: 0, y: Math.ceil(specs.length / 2) * 8 },
    options: { showTime: true, wrapLogMessage: true, sortOrder: "Descending" },
    targets: [{ refId: "A", datasource: LOKI, expr: `{${SELECTOR}}` }],
  });
  return {
    uid,
    title: `${frameworkDisplayName(framework)} Operator`,
    tags: [`charm: ${charmName}`],
    editable: true,
    schemaVersion: 39,
    time: { from: "now-1h", to: "now" },
    refresh: "1m",
    templating: { list: [] },
    annotations: { list: [] },
    panels,
  };
}
