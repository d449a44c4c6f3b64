// FastAPI (docs/paas-charm-contract.md §1.2, §2.2, §8.3): Uvicorn is configured entirely through its env variables.
import { uvicornJsonLogEnv, uvicornJsonLogFiles } from "../jsonLogs.ts";
import { metricsEnv, settingsEnv, tmpStateDir, type Framework, type FrameworkField } from "./framework.ts";

const fields: FrameworkField[] = [
  { field: "uvicorn_host", options: ["webserver-host"], type: { kind: "nonEmptyString" }, default: "0.0.0.0", env: ["UVICORN_HOST"] },
  { field: "web_concurrency", options: ["webserver-workers"], type: { kind: "positiveInt" }, default: 1, env: ["WEB_CONCURRENCY"] },
  {
    field: "uvicorn_log_level", options: ["webserver-log-level"],
    type: { kind: "enum", values: ["critical", "error", "warning", "info", "debug", "trace"] }, default: "info", env: ["UVICORN_LOG_LEVEL"],
  },
];

export const fastapi: Framework = {
  name: "fastapi",
  serviceName: "fastapi",
  baseDir: "/app",
  appDir: "/app",
  stateDir: tmpStateDir("fastapi"),
  defaultPort: 8000,
  // paas-charm's code default (its docs say 9464; the example charm sets 9464 in paas-config.yaml).
  defaultMetricsPort: 8000,
  defaultMetricsPath: "/metrics",
  userPrefix: "APP_",
  frameworkPrefix: "",
  portOptions: ["webserver-port"],
  portField: "uvicorn_port",
  metricsOptions: true,
  secretKey: { field: "app_secret_key", options: ["app-secret-key"], idOptions: ["app-secret-key-id"], env: ["APP_SECRET_KEY"] },
  legacySecretKeyField: "fastapi_secret_key",
  fields,
  env: ({ settings, port, metricsPort, metricsPath }) => ({
    UVICORN_PORT: String(port),
    ...settingsEnv(fields, settings),
    ...metricsEnv("", metricsPort, metricsPath),
  }),
  jsonLogs: { files: uvicornJsonLogFiles, env: uvicornJsonLogEnv },
};
