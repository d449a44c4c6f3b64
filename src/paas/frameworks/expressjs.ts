// ExpressJS (docs/paas-charm-contract.md §1.2, §2.2): `npm start` with NODE_ENV and PORT; metrics on 9464.
import { metricsEnv, settingsEnv, type Framework, type FrameworkField } from "./framework.ts";

const fields: FrameworkField[] = [
  { field: "node_env", options: ["node-env"], type: { kind: "nonEmptyString" }, default: "production", env: ["NODE_ENV"] },
];

export const expressjs: Framework = {
  name: "expressjs",
  serviceName: "expressjs",
  baseDir: "/app",
  appDir: "/app",
  stateDir: "/app/state",
  defaultPort: 8080,
  defaultMetricsPort: 9464,
  defaultMetricsPath: "/metrics",
  userPrefix: "APP_",
  frameworkPrefix: "",
  portOptions: ["port", "app-port"],
  portField: "port",
  metricsOptions: true,
  secretKey: { field: "app_secret_key", options: ["app-secret-key"], idOptions: ["app-secret-key-id"], env: ["APP_SECRET_KEY"] },
  legacySecretKeyField: "expressjs_secret_key",
  fields,
  env: ({ settings, port, metricsPort, metricsPath }) => ({
    ...settingsEnv(fields, settings),
    PORT: String(port),
    ...metricsEnv("", metricsPort, metricsPath),
  }),
};
