// Go (docs/paas-charm-contract.md §1.2, §2.2): the binary reads its port from the env. paas-charm 1.12 exported the
// framework variables under APP_ (APP_PORT, APP_METRICS_*), 2.0 without a prefix: both are set, so apps
// written for either keep working.
import { metricsEnv, tmpStateDir, type Framework } from "./framework.ts";

export const go: Framework = {
  name: "go",
  serviceName: "go",
  baseDir: "/app",
  appDir: "/app",
  stateDir: tmpStateDir("go"),
  defaultPort: 8080,
  defaultMetricsPort: 8080,
  defaultMetricsPath: "/metrics",
  userPrefix: "APP_",
  frameworkPrefix: "",
  portOptions: ["port", "app-port"],
  portField: "port",
  metricsOptions: true,
  secretKey: { field: "app_secret_key", options: ["app-secret-key"], idOptions: ["app-secret-key-id"], env: ["APP_SECRET_KEY"] },
  legacySecretKeyField: "go_secret_key",
  fields: [],
  env: ({ port, metricsPort, metricsPath }) => ({
    PORT: String(port),
    APP_PORT: String(port),
    ...metricsEnv("", metricsPort, metricsPath),
    ...metricsEnv("APP_", metricsPort, metricsPath),
  }),
};
