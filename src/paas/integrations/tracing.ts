// tracing v2 (tempo_coordinator_k8s.v0.tracing TracingEndpointRequirer, protocols ["otlp_http"]).
import { isRecord, parseJson, pyJsonDumps } from "./databag.ts";
import { normaliseUrl } from "./pyUrl.ts";
import { invalid, waiting, type Integration } from "./types.ts";

export const REQUESTED_RECEIVERS = pyJsonDumps(["otlp_http"]);

export const tracingIntegration: Integration = {
  name: "tracing",
  rerunsMigrations: false,
  secretIds: () => [],
  evaluate(relation, _secrets, ctx) {
    const app = ctx.leader ? { receivers: REQUESTED_RECEIVERS } : undefined;
    const withWrites = <T extends object>(outcome: T): T => (app ? { ...outcome, app } : outcome);

    const raw = relation.remoteAppData.receivers;
    if (raw === undefined || raw === "") return withWrites(waiting("tracing: waiting for the provider to publish receivers"));
    const parsed = parseJson(raw);
    if (!parsed.ok || !Array.isArray(parsed.value)) return withWrites(invalid("tracing", "tracing: receivers is not a JSON list"));
    const receiver = parsed.value.find((entry) => isRecord(entry) && isRecord(entry.protocol) && entry.protocol.name === "otlp_http");
    if (receiver === undefined) return withWrites(waiting("tracing: the provider offers no otlp_http receiver"));
    const url = isRecord(receiver) && typeof receiver.url === "string" ? normaliseUrl(receiver.url) : undefined;
    if (url === undefined) return withWrites(invalid("tracing", "tracing: the otlp_http receiver URL is not valid"));
    return withWrites({ state: "ready" as const, env: { OTEL_SERVICE_NAME: ctx.appName, OTEL_EXPORTER_OTLP_ENDPOINT: url } });
  },
  absentEnv(ctx): Record<string, string> {
    // Spring Boot's OpenTelemetry starter exports by default; switch it off without a collector.
    return ctx.framework === "spring-boot"
      ? { OTEL_TRACES_EXPORTER: "none", OTEL_METRICS_EXPORTER: "none", OTEL_LOGS_EXPORTER: "none" }
      : {};
  },
};
