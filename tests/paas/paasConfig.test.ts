// The charm's settings: paas-config.yaml with exactly paas-charm's keys, runtime.yaml with this project's
// `framework` and `health-check-path` (still accepted in paas-config.yaml, where earlier releases read them).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseCharmSettings, PaasConfigError } from "../../src/paas/index.ts";

const settings = (paasConfig: string, runtime = "framework: go\n") => parseCharmSettings({ runtime, paasConfig });

describe("parseCharmSettings", () => {
  const valid: Array<[string, { runtime: string; paasConfig: string }, ReturnType<typeof parseCharmSettings>]> = [
    ["framework in runtime.yaml, no paas-config.yaml", { runtime: "framework: flask\n", paasConfig: "" }, { framework: "flask", scrapeConfigs: [] }],
    ["the old framework key in paas-config.yaml", { runtime: "", paasConfig: "framework: django\n" }, { framework: "django", scrapeConfigs: [] }],
    ["the same framework in both files", { runtime: "framework: go\n", paasConfig: "framework: go\n" }, { framework: "go", scrapeConfigs: [] }],
    ["ports and metrics, dashed keys", { runtime: "framework: go\n", paasConfig: "port: 8081\nmetrics-port: 8082\nmetrics-path: /alternative_metrics\n" }, { framework: "go", port: 8081, metricsPort: 8082, metricsPath: "/alternative_metrics", scrapeConfigs: [] }],
    ["underscored metrics keys", { runtime: "framework: fastapi\n", paasConfig: "metrics_port: 9464\nmetrics_path: ''\n" }, { framework: "fastapi", metricsPort: 9464, metricsPath: "", scrapeConfigs: [] }],
    ["logging none", { runtime: "framework: django\n", paasConfig: "framework_logging_format: none\n" }, { framework: "django", scrapeConfigs: [] }],
    ["logging null is none", { runtime: "framework: django\n", paasConfig: "framework_logging_format:\n" }, { framework: "django", scrapeConfigs: [] }],
    ["json logging for flask", { runtime: "framework: flask\n", paasConfig: "framework_logging_format: json\n" }, { framework: "flask", loggingFormat: "json", scrapeConfigs: [] }],
    ["json logging for fastapi", { runtime: "framework: fastapi\n", paasConfig: "framework_logging_format: json\n" }, { framework: "fastapi", loggingFormat: "json", scrapeConfigs: [] }],
    ["health check path in runtime.yaml", { runtime: "framework: expressjs\nhealth-check-path: /healthz\n", paasConfig: "" }, { framework: "expressjs", healthCheckPath: "/healthz", scrapeConfigs: [] }],
    ["health check path in paas-config.yaml (old place)", { runtime: "", paasConfig: "framework: expressjs\nhealth-check-path: /healthz\n" }, { framework: "expressjs", healthCheckPath: "/healthz", scrapeConfigs: [] }],
    [
      "scrape configs",
      { runtime: "framework: flask\n", paasConfig: "prometheus:\n  scrape_configs:\n    - job_name: celery\n      static_configs:\n        - targets: ['@scheduler:9808']\n          labels: {app: celery}\n    - job_name: other\n      metrics_path: /m\n      static_configs:\n        - targets: ['*:8001']\n" },
      {
        framework: "flask", scrapeConfigs: [
          { jobName: "celery", metricsPath: "/metrics", staticConfigs: [{ targets: ["@scheduler:9808"], labels: { app: "celery" } }] },
          { jobName: "other", metricsPath: "/m", staticConfigs: [{ targets: ["*:8001"] }] },
        ],
      },
    ],
  ];
  for (const [name, files, expected] of valid) it(name, () => assert.deepEqual(parseCharmSettings(files), expected));

  const invalid: Array<[string, { runtime: string; paasConfig: string }, string]> = [
    ["no framework anywhere", { runtime: "", paasConfig: "" }, "Invalid runtime.yaml: framework must be one of flask, django, fastapi, go, expressjs, spring-boot (got null)"],
    ["unknown framework", { runtime: "framework: rails\n", paasConfig: "" }, `Invalid runtime.yaml: framework must be one of flask, django, fastapi, go, expressjs, spring-boot (got "rails")`],
    ["frameworks that differ", { runtime: "framework: go\n", paasConfig: "framework: flask\n" }, "Invalid paas-config.yaml: framework differs from runtime.yaml's; keep it in runtime.yaml only"],
    ["not a mapping", { runtime: "framework: go\n", paasConfig: "- framework\n" }, "Invalid paas-config.yaml: the file must be a mapping"],
    ["runtime.yaml not a mapping", { runtime: "go\n", paasConfig: "" }, "Invalid runtime.yaml: the file must be a mapping"],
    ["unknown keys", { runtime: "framework: go\n", paasConfig: "zeta: 1\nalpha: 2\n" }, "Invalid paas-config.yaml: unknown keys alpha, zeta"],
    ["paas-charm's keys are not runtime.yaml's", { runtime: "framework: go\nport: 8080\n", paasConfig: "" }, "Invalid runtime.yaml: unknown keys port"],
    ["port out of range", { runtime: "framework: go\n", paasConfig: "port: 0\n" }, "Invalid paas-config.yaml: port must be an integer from 1 to 65535"],
    ["metrics port not a number", { runtime: "framework: go\n", paasConfig: "metrics-port: abc\n" }, "Invalid paas-config.yaml: metrics-port must be an integer from 1 to 65535"],
    ["json logging for go", { runtime: "framework: go\n", paasConfig: "framework_logging_format: json\n" }, "Invalid paas-config.yaml: framework_logging_format json is not supported for the go framework (only django, fastapi, flask)"],
    ["json logging for spring-boot", { runtime: "framework: spring-boot\n", paasConfig: "framework_logging_format: json\n" }, "Invalid paas-config.yaml: framework_logging_format json is not supported for the spring-boot framework (only django, fastapi, flask)"],
    ["unknown logging format", { runtime: "framework: flask\n", paasConfig: "framework_logging_format: xml\n" }, "Invalid paas-config.yaml: framework_logging_format must be none or json"],
    ["health check path must be absolute", { runtime: "framework: go\nhealth-check-path: healthz\n", paasConfig: "" }, "Invalid runtime.yaml: health-check-path must start with /"],
    ["duplicate jobs", { runtime: "framework: go\n", paasConfig: "prometheus:\n  scrape_configs:\n    - {job_name: b, static_configs: [{targets: ['*:1']}]}\n    - {job_name: a, static_configs: [{targets: ['*:1']}]}\n    - {job_name: b, static_configs: [{targets: ['*:1']}]}\n    - {job_name: a, static_configs: [{targets: ['*:1']}]}\n" }, "Duplicate job_name values found in prometheus.scrape_configs: a, b. Each job must have a unique name."],
    ["scheduler without port", { runtime: "framework: go\n", paasConfig: "prometheus:\n  scrape_configs:\n    - {job_name: a, static_configs: [{targets: ['@scheduler']}]}\n" }, "Invalid @scheduler format '@scheduler': must include port (@scheduler:PORT)"],
    ["scheduler port not numeric", { runtime: "framework: go\n", paasConfig: "prometheus:\n  scrape_configs:\n    - {job_name: a, static_configs: [{targets: ['@scheduler:x']}]}\n" }, "Invalid @scheduler format '@scheduler:x': port must be numeric"],
  ];
  for (const [name, files, message] of invalid) {
    it(name, () => assert.throws(() => parseCharmSettings(files), (error: unknown) => error instanceof PaasConfigError && error.message === message));
  }

  it("broken YAML names the file, on one line", () => assert.throws(() => settings("port: [8080\n"), (error: unknown) => error instanceof PaasConfigError && /^Invalid YAML in paas-config.yaml: [^\n]+$/.test(error.message)));
});
