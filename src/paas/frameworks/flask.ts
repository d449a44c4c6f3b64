// Flask (docs/paas-charm-contract.md §1.2, §2.2): Gunicorn on 8000, statsd metrics on 9102, everything under FLASK_.
import { metricsEnv, settingsEnv, tmpStateDir, type Framework, type FrameworkField } from "./framework.ts";

const fields: FrameworkField[] = [
  { field: "env", options: ["flask-env"], type: { kind: "nonEmptyString" }, env: ["FLASK_ENV"] },
  { field: "debug", options: ["flask-debug"], type: { kind: "bool" }, env: ["FLASK_DEBUG"] },
  { field: "permanent_session_lifetime", options: ["flask-permanent-session-lifetime"], type: { kind: "positiveInt" }, env: ["FLASK_PERMANENT_SESSION_LIFETIME"] },
  { field: "application_root", options: ["flask-application-root"], type: { kind: "nonEmptyString" }, env: ["FLASK_APPLICATION_ROOT"] },
  { field: "session_cookie_secure", options: ["flask-session-cookie-secure"], type: { kind: "bool" }, env: ["FLASK_SESSION_COOKIE_SECURE"] },
  { field: "preferred_url_scheme", options: ["flask-preferred-url-scheme"], type: { kind: "urlScheme" }, env: ["FLASK_PREFERRED_URL_SCHEME"] },
];

export const flask: Framework = {
  name: "flask",
  serviceName: "flask",
  baseDir: "/flask",
  appDir: "/flask/app",
  stateDir: tmpStateDir("flask"),
  defaultPort: 8000,
  defaultMetricsPort: 9102,
  defaultMetricsPath: "/metrics",
  userPrefix: "FLASK_",
  frameworkPrefix: "FLASK_",
  // Gunicorn's bind line carries the port; only paas-config.yaml's `port` changes it.
  portOptions: [],
  metricsOptions: false,
  secretKey: {
    field: "secret_key",
    options: ["app-secret-key", "flask-secret-key"],
    idOptions: ["app-secret-key-id", "flask-secret-key-id"],
    env: ["FLASK_SECRET_KEY"],
  },
  legacySecretKeyField: "flask_secret_key",
  fields,
  gunicornConfigPath: "/flask/gunicorn.conf.py",
  env: ({ settings, metricsPort, metricsPath }) => ({ ...settingsEnv(fields, settings), ...metricsEnv("FLASK_", metricsPort, metricsPath) }),
};
