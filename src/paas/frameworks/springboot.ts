// Spring Boot (docs/paas-charm-contract.md §1.2, §2.2, §3.5): settings are Spring properties passed as env
// variables; metrics are the actuator's Prometheus endpoint, so METRICS_* are replaced by management.*.
import { settingsEnv, type Framework, type FrameworkField } from "./framework.ts";

const fields: FrameworkField[] = [
  { field: "app_profiles", options: ["app-profiles"], type: { kind: "nonEmptyString" }, env: ["APP_PROFILES", "spring.profiles.active"] },
];

export const springBoot: Framework = {
  name: "spring-boot",
  serviceName: "spring-boot",
  baseDir: "/app",
  appDir: "/app",
  stateDir: "/app/state",
  defaultPort: 8080,
  defaultMetricsPort: 8080,
  defaultMetricsPath: "/actuator/prometheus",
  userPrefix: "APP_",
  frameworkPrefix: "",
  portOptions: ["app-port"],
  portField: "server_port",
  metricsOptions: true,
  // paas-charm puts the operator's key only in SECRET_KEY; it goes to APP_SECRET_KEY as well, as for
  // every other framework (docs/compatibility.md).
  secretKey: { field: "secret_key", options: ["app-secret-key"], idOptions: ["app-secret-key-id"], env: ["SECRET_KEY", "APP_SECRET_KEY"] },
  legacySecretKeyField: "spring-boot_secret_key",
  fields,
  env: ({ settings, port, metricsPort, metricsPath }) => ({
    SERVER_PORT: String(port),
    ...settingsEnv(fields, settings),
    ...actuatorEnv(metricsPort, metricsPath),
    // Ingress strips the path prefix; Spring must build URLs from the forwarded headers.
    "server.forward-headers-strategy": "framework",
  }),
};

/** The actuator serves Prometheus metrics at `<base-path>/<mapping>` on the management port. */
function actuatorEnv(metricsPort: number, metricsPath: string): Record<string, string> {
  const env: Record<string, string> = { "management.endpoints.web.exposure.include": "prometheus" };
  const segments = metricsPath.split("/").filter(Boolean);
  const last = segments.pop();
  if (last === undefined) return env;
  env["management.server.port"] = String(metricsPort);
  env["management.endpoints.web.base-path"] = `/${segments.join("/")}`;
  env["management.endpoints.web.path-mapping.prometheus"] = last;
  return env;
}
