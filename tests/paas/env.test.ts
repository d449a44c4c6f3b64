// The app's environment per framework: paas-charm's reference outputs (docs/paas-charm-contract.md §3.2), with this
// charm's documented additions (docs/compatibility.md): Go also gets the 1.12 names APP_PORT and
// APP_METRICS_*, and Spring Boot's operator key also reaches APP_SECRET_KEY.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildEnv, FRAMEWORKS, peerFqdns, decideWorkload, proxyEnv, uvicornJsonLogEnv, type FrameworkName, type PlanInput } from "../../src/paas/index.ts";
import { configOf, oidcOptions, planInput, POSTGRESQL_ENV, type TestPlanInput, type TestService } from "./support.ts";

function envOf(input: PlanInput<TestService>): Record<string, string> {
  const result = decideWorkload(input);
  assert.equal(result.status.status, "active", `${result.status.message} ${result.reasons.join("; ")}`);
  return result.workload!.env;
}

const postgresql = { env: [POSTGRESQL_ENV], missing: [], ready: ["postgresql"] };

describe("reference environments (§3.2)", () => {
  const flaskDecls = { ...oidcOptions(), "flask-preferred-url-scheme": { type: "string", default: "HTTPS" } };
  const djangoDecls = { ...oidcOptions(), "django-allowed-hosts": { type: "string" } };
  const springDecls = {
    "oidc-redirect-path": { type: "string", default: "/login/oauth2/code/oidc" },
    "oidc-scopes": { type: "string", default: "openid profile email" },
    "oidc-user-name-attribute": { type: "string", default: "sub" },
    "app-profiles": { type: "string" },
  };
  const springIntegrations = {
    env: [
      POSTGRESQL_ENV,
      {
        "spring.datasource.username": "test-username", "spring.datasource.password": "test-password",
        "spring.datasource.url": "jdbc:postgresql://test-postgresql:5432/spring-boot-k8s", "spring.jpa.hibernate.ddl-auto": "none",
      },
      { OTEL_LOGS_EXPORTER: "none", OTEL_METRICS_EXPORTER: "none", OTEL_TRACES_EXPORTER: "none" },
    ],
    missing: [], ready: ["postgresql"],
  };
  const springExpected = {
    SERVER_PORT: "8080",
    APP_OIDC_REDIRECT_PATH: "/login/oauth2/code/oidc", APP_OIDC_SCOPES: "openid profile email", APP_OIDC_USER_NAME_ATTRIBUTE: "sub",
    "management.endpoints.web.exposure.include": "prometheus", "management.server.port": "8080",
    "management.endpoints.web.base-path": "/actuator", "management.endpoints.web.path-mapping.prometheus": "prometheus",
    APP_BASE_URL: "http://spring-boot-k8s.test-model:8080", APP_SECRET_KEY: "test",
    ...springIntegrations.env[1], ...POSTGRESQL_ENV, ...springIntegrations.env[2],
    "server.forward-headers-strategy": "framework",
  };

  const cases: Array<{ name: string; framework: FrameworkName; input?: Partial<TestPlanInput>; expected: Record<string, string> }> = [
    {
      name: "flask, example charm options, no relations", framework: "flask",
      input: { declarations: flaskDecls, config: configOf(flaskDecls) },
      expected: {
        FLASK_BASE_URL: "http://flask-k8s.test-model:8000", FLASK_METRICS_PATH: "/metrics", FLASK_METRICS_PORT: "9102",
        FLASK_OIDC_REDIRECT_PATH: "/callback", FLASK_OIDC_SCOPES: "openid profile email", FLASK_PREFERRED_URL_SCHEME: "HTTPS",
        FLASK_SECRET_KEY: "test",
      },
    },
    {
      name: "django with PostgreSQL", framework: "django",
      input: { declarations: djangoDecls, config: configOf(djangoDecls), integrations: postgresql },
      expected: {
        DJANGO_SECRET_KEY: "test", DJANGO_ALLOWED_HOSTS: '["django-k8s.test-model"]', DJANGO_METRICS_PORT: "9102", DJANGO_METRICS_PATH: "/metrics",
        DJANGO_OIDC_REDIRECT_PATH: "/callback", DJANGO_OIDC_SCOPES: "openid profile email", DJANGO_BASE_URL: "http://django-k8s.test-model:8000",
        ...POSTGRESQL_ENV,
      },
    },
    {
      name: "fastapi, paas-config port 8000 and metrics-port 9464, a non-optional option", framework: "fastapi",
      input: {
        paasConfig: { framework: "fastapi", port: 8000, metricsPort: 9464, scrapeConfigs: [] },
        declarations: { ...oidcOptions(), "non-optional-string": { type: "string", optional: false } },
        config: { ...configOf(oidcOptions()), "non-optional-string": "non-optional-value" },
      },
      expected: {
        APP_NON_OPTIONAL_STRING: "non-optional-value", UVICORN_PORT: "8000", WEB_CONCURRENCY: "1", UVICORN_LOG_LEVEL: "info",
        UVICORN_HOST: "0.0.0.0", METRICS_PORT: "9464", METRICS_PATH: "/metrics", APP_BASE_URL: "http://fastapi-k8s.test-model:8000",
        APP_SECRET_KEY: "test", APP_OIDC_REDIRECT_PATH: "/callback", APP_OIDC_SCOPES: "openid profile email",
      },
    },
    {
      name: "go, empty metrics-path falls back to /metrics", framework: "go",
      input: {
        paasConfig: { framework: "go", port: 8080, metricsPort: 8080, metricsPath: "", scrapeConfigs: [] },
        declarations: oidcOptions("/auth/openid-connect/callback"), config: configOf(oidcOptions("/auth/openid-connect/callback")),
      },
      expected: {
        PORT: "8080", APP_PORT: "8080", APP_BASE_URL: "http://go-k8s.test-model:8080", METRICS_PORT: "8080", METRICS_PATH: "/metrics",
        APP_METRICS_PORT: "8080", APP_METRICS_PATH: "/metrics",
        APP_SECRET_KEY: "test", APP_OIDC_REDIRECT_PATH: "/auth/openid-connect/callback", APP_OIDC_SCOPES: "openid profile email",
      },
    },
    {
      name: "go with app-secret-key", framework: "go",
      input: { declarations: { "app-secret-key": { type: "string" } }, config: { "app-secret-key": "foobar" } },
      expected: {
        PORT: "8080", APP_PORT: "8080", APP_BASE_URL: "http://go-k8s.test-model:8080", METRICS_PORT: "8080", METRICS_PATH: "/metrics",
        APP_METRICS_PORT: "8080", APP_METRICS_PATH: "/metrics", APP_SECRET_KEY: "foobar",
      },
    },
    {
      name: "expressjs with PostgreSQL", framework: "expressjs",
      input: {
        paasConfig: { framework: "expressjs", port: 8080, metricsPort: 9464, scrapeConfigs: [] },
        declarations: { ...oidcOptions(), "node-env": { type: "string", default: "production" } },
        config: configOf({ ...oidcOptions(), "node-env": { type: "string", default: "production" } }), integrations: postgresql,
      },
      expected: {
        NODE_ENV: "production", PORT: "8080", METRICS_PORT: "9464", METRICS_PATH: "/metrics", APP_BASE_URL: "http://expressjs-k8s.test-model:8080",
        APP_SECRET_KEY: "test", ...POSTGRESQL_ENV, APP_OIDC_REDIRECT_PATH: "/callback", APP_OIDC_SCOPES: "openid profile email",
      },
    },
    {
      name: "spring boot with PostgreSQL, no tracing", framework: "spring-boot",
      input: {
        paasConfig: { framework: "spring-boot", port: 8080, metricsPort: 8080, metricsPath: "/actuator/prometheus", scrapeConfigs: [] },
        declarations: springDecls, config: configOf(springDecls), integrations: springIntegrations,
      },
      expected: springExpected,
    },
    {
      name: "spring boot with app-profiles", framework: "spring-boot",
      input: { declarations: springDecls, config: { ...configOf(springDecls), "app-profiles": "dev,postgresql" }, integrations: springIntegrations },
      expected: { ...springExpected, APP_PROFILES: "dev,postgresql", "spring.profiles.active": "dev,postgresql" },
    },
  ];
  for (const { name, framework, input, expected } of cases) {
    it(name, () => assert.deepEqual(envOf(planInput(framework, input)), expected));
  }
});

describe("framework settings", () => {
  const cases: Array<{ name: string; framework: FrameworkName; config: PlanInput["config"]; ingressUrl?: string; expected: Record<string, string> }> = [
    { name: "django allowed hosts get the base URL host appended", framework: "django", config: { "django-allowed-hosts": "test.local" }, expected: { DJANGO_ALLOWED_HOSTS: '["test.local", "django-k8s.test-model"]' } },
    { name: "django allowed hosts follow the ingress URL", framework: "django", config: {}, ingressUrl: "http://oldjuju.test/", expected: { DJANGO_ALLOWED_HOSTS: '["oldjuju.test"]', DJANGO_BASE_URL: "http://oldjuju.test/" } },
    { name: "django does not repeat the ingress host", framework: "django", config: { "django-allowed-hosts": " oldjuju.test , other.test" }, ingressUrl: "http://oldjuju.test/", expected: { DJANGO_ALLOWED_HOSTS: '["oldjuju.test", "other.test"]' } },
    { name: "flask options, scheme upper-cased, booleans and ints as JSON", framework: "flask", config: { "flask-env": "staging", "flask-debug": true, "flask-permanent-session-lifetime": 3600, "flask-session-cookie-secure": false, "flask-preferred-url-scheme": "http", "flask-application-root": "/app" }, expected: { FLASK_ENV: "staging", FLASK_DEBUG: "true", FLASK_PERMANENT_SESSION_LIFETIME: "3600", FLASK_SESSION_COOKIE_SECURE: "false", FLASK_PREFERRED_URL_SCHEME: "HTTP", FLASK_APPLICATION_ROOT: "/app" } },
    { name: "flask 1.12 secret key option", framework: "flask", config: { "flask-secret-key": "mine" }, expected: { FLASK_SECRET_KEY: "mine" } },
    { name: "fastapi webserver options (1.12 webserver-port)", framework: "fastapi", config: { "webserver-port": 8080, "webserver-workers": 4, "webserver-log-level": "debug" }, expected: { UVICORN_PORT: "8080", WEB_CONCURRENCY: "4", UVICORN_LOG_LEVEL: "debug", APP_BASE_URL: "http://fastapi-k8s.test-model:8080" } },
    { name: "go 2.0 port option wins over 1.12 app-port", framework: "go", config: { port: 9000, "app-port": 9001 }, expected: { PORT: "9000", APP_PORT: "9000", APP_BASE_URL: "http://go-k8s.test-model:9000" } },
    { name: "go 1.12 app-port and metrics options", framework: "go", config: { "app-port": 9001, "metrics-port": 9002, "metrics-path": "/m" }, expected: { PORT: "9001", APP_PORT: "9001", METRICS_PORT: "9002", METRICS_PATH: "/m", APP_METRICS_PORT: "9002", APP_METRICS_PATH: "/m" } },
    { name: "expressjs node-env", framework: "expressjs", config: { "node-env": "development", port: 3000 }, expected: { NODE_ENV: "development", PORT: "3000" } },
    { name: "spring boot operator key in SECRET_KEY and APP_SECRET_KEY", framework: "spring-boot", config: { "app-secret-key": "mine" }, expected: { SECRET_KEY: "mine", APP_SECRET_KEY: "mine" } },
    { name: "spring boot metrics path of one segment", framework: "spring-boot", config: { "metrics-path": "/alternative_metrics", "metrics-port": 8082, "app-port": 8081 }, expected: { SERVER_PORT: "8081", "management.server.port": "8082", "management.endpoints.web.base-path": "/", "management.endpoints.web.path-mapping.prometheus": "alternative_metrics" } },
  ];
  for (const { name, framework, config, ingressUrl, expected } of cases) {
    it(name, () => {
      const env = envOf(planInput(framework, { config, integrations: { env: [], missing: [], ready: ["postgresql"], ...(ingressUrl ? { ingressUrl } : {}) } }));
      assert.deepEqual(Object.fromEntries(Object.keys(expected).map((key) => [key, env[key]])), expected);
    });
  }

  it("spring boot without a metrics path exposes prometheus only", () => {
    const env = envOf(planInput("spring-boot", { paasConfig: { framework: "spring-boot", metricsPath: "", scrapeConfigs: [] } }));
    assert.deepEqual(Object.keys(env).filter((key) => key.startsWith("management.")), ["management.endpoints.web.exposure.include"]);
    assert.equal(env.METRICS_PORT, undefined);
  });
});

describe("env assembly order (§3.1)", () => {
  const base = {
    framework: FRAMEWORKS.go, appName: "app", modelName: "m", baseUrl: "https://paas.example.com", secretKey: "foobar", jujuProxy: {}, peerUnits: [], integrationEnv: [],
    config: { userEnv: { APP_OTHERCONFIG: "othervalue" }, settings: {}, port: 8080, metricsPort: 8080, metricsPath: "/metrics" },
  };

  it("generic app: user option, port, metrics, base URL, generated key", () => {
    assert.deepEqual(buildEnv(base), {
      PORT: "8080", APP_PORT: "8080", METRICS_PORT: "8080", METRICS_PATH: "/metrics", APP_METRICS_PORT: "8080", APP_METRICS_PATH: "/metrics",
      APP_SECRET_KEY: "foobar", APP_OTHERCONFIG: "othervalue", APP_BASE_URL: "https://paas.example.com",
    });
  });

  it("later steps win: framework over user options, integrations over everything", () => {
    const env = buildEnv({ ...base, config: { ...base.config, userEnv: { PORT: "1", APP_BASE_URL: "user" } }, integrationEnv: [{ APP_BASE_URL: "first", X: "1" }, { X: "2" }] });
    assert.deepEqual([env.PORT, env.APP_BASE_URL, env.X], ["8080", "first", "2"]);
  });

  it("a user option named secret-key keeps its value over the generated key", () => {
    const env = buildEnv({ ...base, config: { ...base.config, userEnv: { APP_SECRET_KEY: "user" } } });
    assert.equal(env.APP_SECRET_KEY, "user");
  });

  it("peer FQDNs of the other units, sorted by unit name as strings", () => {
    assert.deepEqual(peerFqdns("flask-k8s", "test-model", ["flask-k8s/2", "flask-k8s/10", "flask-k8s/1"]), [
      "flask-k8s-1.flask-k8s-endpoints.test-model.svc.cluster.local",
      "flask-k8s-10.flask-k8s-endpoints.test-model.svc.cluster.local",
      "flask-k8s-2.flask-k8s-endpoints.test-model.svc.cluster.local",
    ]);
    assert.equal(buildEnv({ ...base, peerUnits: ["app/1"] }).APP_PEER_FQDNS, "app-1.app-endpoints.m.svc.cluster.local");
    assert.equal("APP_PEER_FQDNS" in buildEnv(base), false);
  });
});

describe("proxies (§3.1 step 6), identical for every framework", () => {
  const juju = { http: "http://proxy.test", https: "http://proxy.test", noProxy: "127.0.0.1,localhost,::1" };
  for (const framework of Object.keys(FRAMEWORKS) as FrameworkName[]) {
    it(`${framework}: Juju's proxies, then the http-proxy relation's for HTTP(S)`, () => {
      const fromJuju = envOf(planInput(framework, { jujuProxy: juju, integrations: { env: [], missing: [], ready: ["postgresql"] } }));
      assert.deepEqual([fromJuju.HTTP_PROXY, fromJuju.http_proxy, fromJuju.HTTPS_PROXY, fromJuju.https_proxy, fromJuju.NO_PROXY, fromJuju.no_proxy],
        ["http://proxy.test", "http://proxy.test", "http://proxy.test", "http://proxy.test", "127.0.0.1,localhost,::1", "127.0.0.1,localhost,::1"]);
      const squid = "http://squid.internal:3128";
      const fromRelation = envOf(planInput(framework, { jujuProxy: juju, integrations: { env: [], missing: [], ready: ["postgresql"], proxy: { http: squid, https: squid } } }));
      assert.deepEqual([fromRelation.HTTP_PROXY, fromRelation.https_proxy, fromRelation.NO_PROXY], [squid, squid, "127.0.0.1,localhost,::1"]);
    });
  }

  it("no proxy variables without proxies", () => {
    assert.deepEqual(proxyEnv({}), {});
  });
});

describe("framework_logging_format: json (paas-charm 1.12.3)", () => {
  const json = (framework: FrameworkName) => planInput(framework, { paasConfig: { framework, scrapeConfigs: [], loggingFormat: "json" }, integrations: postgresql });

  it("fastapi: PYTHONPATH and UVICORN_LOG_CONFIG name the files, everything else as without it", () => {
    assert.deepEqual(envOf(json("fastapi")), {
      ...envOf(planInput("fastapi", { integrations: postgresql })),
      PYTHONPATH: "/tmp/fastapi/log_config", UVICORN_LOG_CONFIG: "/tmp/fastapi/log_config/uvicorn-log-config.json",
    });
  });

  it("fastapi: the log directory goes before a PYTHONPATH the app already has, after every other variable", () => {
    assert.deepEqual(uvicornJsonLogEnv({ PYTHONPATH: "/opt/lib" }).PYTHONPATH, "/tmp/fastapi/log_config:/opt/lib");
    const env = buildEnv({
      framework: FRAMEWORKS.fastapi, appName: "app", modelName: "m", baseUrl: "http://app.m:8080", secretKey: "k", jujuProxy: {}, peerUnits: [],
      config: { userEnv: {}, settings: {}, port: 8080, metricsPort: 8080, metricsPath: "/metrics" },
      integrationEnv: [{ PYTHONPATH: "/opt/lib", UVICORN_LOG_CONFIG: "/elsewhere.json" }], jsonLogs: true,
    });
    assert.deepEqual([env.PYTHONPATH, env.UVICORN_LOG_CONFIG], ["/tmp/fastapi/log_config:/opt/lib", "/tmp/fastapi/log_config/uvicorn-log-config.json"]);
  });

  it("fastapi: the plan writes the formatter module and the dictConfig that loads it", () => {
    const files = decideWorkload(json("fastapi")).workload!.files!;
    assert.equal(files.dir, "/tmp/fastapi/log_config");
    assert.deepEqual(files.files.map((file) => file.name), ["uvicorn_log_handler.py", "uvicorn-log-config.json"]);
    const [module, config] = files.files.map((file) => file.content);
    const dictConfig = JSON.parse(config!) as { formatters: Record<string, { "()": string }>; filters: Record<string, { "()": string }>; loggers: Record<string, unknown> };
    for (const factory of [...Object.values(dictConfig.formatters), ...Object.values(dictConfig.filters)]) {
      const [moduleName, className] = factory["()"].split(".");
      assert.equal(moduleName, "uvicorn_log_handler");
      assert.match(module!, new RegExp(`^class ${className}\\(`, "m"));
    }
    assert.deepEqual(Object.keys(dictConfig.loggers), ["uvicorn", "uvicorn.error", "uvicorn.access"]);
    assert.equal(decideWorkload(planInput("fastapi", { integrations: postgresql })).workload!.files, undefined);
  });

  for (const framework of ["flask", "django"] as const) {
    it(`${framework}: no variable and no file, the Gunicorn config carries it`, () => {
      const withJson = decideWorkload(json(framework)).workload!;
      const without = decideWorkload(planInput(framework, { integrations: postgresql })).workload!;
      assert.deepEqual(withJson.env, without.env);
      assert.equal(withJson.files, undefined);
      assert.match(withJson.gunicorn!.content, /^logger_class = _JsonLogger$/m);
      assert.doesNotMatch(without.gunicorn!.content, /logger_class/);
    });
  }
});
