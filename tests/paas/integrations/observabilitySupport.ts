// The COS endpoints of a paas-charm charm (docs/paas-charm-contract.md §8.6), a context that carries what they publish, and a Loki
// provider's relation as LokiPushApiProvider writes it.
import type { EndpointDecl, IntegrationContext, ObservabilityContext, RelationView } from "../../../src/paas/integrations/index.ts";
import { FLASK_ENDPOINTS, context } from "./support.ts";

export const OBSERVABILITY: ObservabilityContext = {
  modelUuid: "c2e9f4d5-dcb3-4870-8509-330eb9745ee8", charmName: "flask-k8s", metricsPort: 9102, metricsPath: "/metrics", scrapeConfigs: [],
};

export const COS_ENDPOINTS: EndpointDecl[] = [
  ...FLASK_ENDPOINTS,
  { name: "metrics-endpoint", interface: "prometheus_scrape", role: "provides", optional: false },
  { name: "grafana-dashboard", interface: "grafana_dashboard", role: "provides", optional: false },
  { name: "logging", interface: "loki_push_api", role: "requires", optional: false },
];

export function cosContext(overrides: Partial<IntegrationContext> = {}, observability: Partial<ObservabilityContext> = {}): IntegrationContext {
  return context({ observability: { ...OBSERVABILITY, ...observability }, ...overrides });
}

export function cosRelation(endpoint: string, iface: string, remoteUnitsData: Record<string, Record<string, string>> = { "provider/0": {} }, id = 20): RelationView {
  return { id, endpoint, interface: iface, remoteApp: "provider", remoteAppData: {}, remoteUnitsData, localAppData: {}, localUnitData: {} };
}

export function lokiUnits(...urls: Array<string | undefined>): Record<string, Record<string, string>> {
  return Object.fromEntries(urls.map((url, index): [string, Record<string, string>] => [`loki/${index}`, url === undefined ? {} : { endpoint: JSON.stringify({ url }) }]));
}
