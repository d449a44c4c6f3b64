// paas-config.yaml (§2.3) with this charm's `framework` (required) and `health-check-path` keys.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parsePaasConfig, PaasConfigError } from "../../src/paas/index.ts";

describe("parsePaasConfig", () => {
  const valid: Array<[string, string, ReturnType<typeof parsePaasConfig>]> = [
    ["framework only", "framework: flask\n", { framework: "flask", scrapeConfigs: [] }],
    ["ports and metrics, dashed keys", "framework: go\nport: 8081\nmetrics-port: 8082\nmetrics-path: /alternative_metrics\n", { framework: "go", port: 8081, metricsPort: 8082, metricsPath: "/alternative_metrics", scrapeConfigs: [] }],
    ["underscored metrics keys", "framework: fastapi\nmetrics_port: 9464\nmetrics_path: ''\n", { framework: "fastapi", metricsPort: 9464, metricsPath: "", scrapeConfigs: [] }],
    ["logging none", "framework: django\nframework_logging_format: none\n", { framework: "django", scrapeConfigs: [] }],
    ["health check path", "framework: expressjs\nhealth-check-path: /healthz\n", { framework: "expressjs", healthCheckPath: "/healthz", scrapeConfigs: [] }],
    [
      "scrape configs",
      "framework: flask\nprometheus:\n  scrape_configs:\n    - job_name: celery\n      static_configs:\n        - targets: ['@scheduler:9808']\n          labels: {app: celery}\n    - job_name: other\n      metrics_path: /m\n      static_configs:\n        - targets: ['*:8001']\n",
      {
        framework: "flask", scrapeConfigs: [
          { jobName: "celery", metricsPath: "/metrics", staticConfigs: [{ targets: ["@scheduler:9808"], labels: { app: "celery" } }] },
          { jobName: "other", metricsPath: "/m", staticConfigs: [{ targets: ["*:8001"] }] },
        ],
      },
    ],
  ];
  for (const [name, text, expected] of valid) it(name, () => assert.deepEqual(parsePaasConfig(text), expected));

  const invalid: Array<[string, string, string]> = [
    ["empty file: framework is required", "", "Invalid paas-config.yaml: framework must be one of flask, django, fastapi, go, expressjs, spring-boot (got null)"],
    ["unknown framework", "framework: rails\n", `Invalid paas-config.yaml: framework must be one of flask, django, fastapi, go, expressjs, spring-boot (got "rails")`],
    ["not a mapping", "- framework\n", "Invalid paas-config.yaml: the file must be a mapping"],
    ["unknown keys", "framework: go\nzeta: 1\nalpha: 2\n", "Invalid paas-config.yaml: unknown keys alpha, zeta"],
    ["port out of range", "framework: go\nport: 0\n", "Invalid paas-config.yaml: port must be an integer from 1 to 65535"],
    ["metrics port not a number", "framework: go\nmetrics-port: abc\n", "Invalid paas-config.yaml: metrics-port must be an integer from 1 to 65535"],
    ["json logging for go", "framework: go\nframework_logging_format: json\n", "Invalid paas-config.yaml: framework_logging_format json is not supported for the go framework (only django, fastapi, flask)"],
    ["json logging not implemented", "framework: flask\nframework_logging_format: json\n", "Invalid paas-config.yaml: framework_logging_format json is not supported by this charm yet: remove the key or set it to none"],
    ["health check path must be absolute", "framework: go\nhealth-check-path: healthz\n", "Invalid paas-config.yaml: health-check-path must start with /"],
    ["duplicate jobs", "framework: go\nprometheus:\n  scrape_configs:\n    - {job_name: b, static_configs: [{targets: ['*:1']}]}\n    - {job_name: a, static_configs: [{targets: ['*:1']}]}\n    - {job_name: b, static_configs: [{targets: ['*:1']}]}\n    - {job_name: a, static_configs: [{targets: ['*:1']}]}\n", "Duplicate job_name values found in prometheus.scrape_configs: a, b. Each job must have a unique name."],
    ["scheduler without port", "framework: go\nprometheus:\n  scrape_configs:\n    - {job_name: a, static_configs: [{targets: ['@scheduler']}]}\n", "Invalid @scheduler format '@scheduler': must include port (@scheduler:PORT)"],
    ["scheduler port not numeric", "framework: go\nprometheus:\n  scrape_configs:\n    - {job_name: a, static_configs: [{targets: ['@scheduler:x']}]}\n", "Invalid @scheduler format '@scheduler:x': port must be numeric"],
  ];
  for (const [name, text, message] of invalid) {
    it(name, () => assert.throws(() => parsePaasConfig(text), (error: unknown) => error instanceof PaasConfigError && error.message === message));
  }

  it("broken YAML names the file", () => assert.throws(() => parsePaasConfig("framework: [flask\n"), /^PaasConfigError: Invalid YAML in paas-config.yaml: /));
});
