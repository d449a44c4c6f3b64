// Support for charm tests with real workloads:
// - a charm per framework, as a user of that framework's charmcraft extension gets it: the real charmcraft
//   4.5.0 expands `extensions: [<framework>-framework]` (the source of truth for options, endpoints,
//   containers and actions), the user adds the PostgreSQL requirement (required: no `optional: true`), and
//   the project's one packed binary and dispatch ship with a runtime.yaml naming the framework;
// - a suite whose simulations run each unit's rock in a real workload container, next to a real PostgreSQL
//   on the address every container reaches;
// - the environment paas-charm gives each framework's app, to compare the app's with.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { charmFiles } from "../../packing/charmcraftYaml.ts";
import { defaultWorkloads } from "../../simulator/controller/defaultWorkloads.ts";
import { ensureServiceAddress, SERVICE_ADDRESS } from "../../simulator/controller/serviceAddress.ts";
import { installHookTools } from "../../simulator/hookTools/install.ts";
import type { Framework } from "../../simulator/rocks/types.ts";
import { startPostgres, type PostgresServer } from "../../simulator/servers/postgres.ts";
import { Simulation, type ContainerFactory } from "../../simulator/simulation.ts";
import { expandExtensions } from "../support/charmcraft.ts";
import { repackExampleCharm } from "./support.ts";

const KEY = /^[A-Za-z0-9_-]{86}$/;

/** The variables paas-charm 1.12.3 gives app `<framework>-k8s` of model `test-model` (docs/paas-charm-contract.md §3.2), apart from POSTGRESQL_DB_* (values or patterns). */
export const REFERENCE_ENV: Record<Framework, Record<string, string | RegExp>> = {
  flask: {
    FLASK_BASE_URL: "http://flask-k8s.test-model:8000", FLASK_METRICS_PATH: "/metrics", FLASK_METRICS_PORT: "9102",
    FLASK_PREFERRED_URL_SCHEME: "HTTPS", FLASK_SECRET_KEY: KEY,
  },
  django: {
    DJANGO_BASE_URL: "http://django-k8s.test-model:8000", DJANGO_METRICS_PATH: "/metrics", DJANGO_METRICS_PORT: "9102",
    DJANGO_ALLOWED_HOSTS: '["django-k8s.test-model"]', DJANGO_SECRET_KEY: KEY, DJANGO_DEBUG: "false",
  },
  fastapi: {
    UVICORN_PORT: "8080", UVICORN_HOST: "0.0.0.0", UVICORN_LOG_LEVEL: "info", WEB_CONCURRENCY: "1", METRICS_PORT: "8080",
    METRICS_PATH: "/metrics", APP_BASE_URL: "http://fastapi-k8s.test-model:8080", APP_SECRET_KEY: KEY,
  },
  go: {
    PORT: "8080", METRICS_PORT: "8080", METRICS_PATH: "/metrics", APP_BASE_URL: "http://go-k8s.test-model:8080", APP_SECRET_KEY: KEY,
    // paas-charm 1.12's names for the same values (its Go framework prefix was APP_).
    APP_PORT: "8080", APP_METRICS_PORT: "8080", APP_METRICS_PATH: "/metrics",
  },
  expressjs: {
    NODE_ENV: "production", PORT: "8080", METRICS_PORT: "8080", METRICS_PATH: "/metrics",
    APP_BASE_URL: "http://expressjs-k8s.test-model:8080", APP_SECRET_KEY: KEY,
  },
  "spring-boot": {
    SERVER_PORT: "8080", APP_BASE_URL: "http://spring-boot-k8s.test-model:8080", APP_SECRET_KEY: KEY,
    "management.endpoints.web.exposure.include": "prometheus", "management.server.port": "8080",
    "management.endpoints.web.base-path": "/actuator", "management.endpoints.web.path-mapping.prometheus": "prometheus",
    "spring.datasource.username": /^relation_id_\d+$/, "spring.datasource.password": /^\S+$/,
    "spring.datasource.url": /^jdbc:postgresql:\/\/10\.152\.200\.1:\d+\/spring-boot-k8s$/,
    "spring.jpa.hibernate.ddl-auto": "none", OTEL_LOGS_EXPORTER: "none", OTEL_METRICS_EXPORTER: "none",
    OTEL_TRACES_EXPORTER: "none", "server.forward-headers-strategy": "framework",
  },
};

/** The 12 POSTGRESQL_DB_* variables for the relation's database `<app>` on the test server. */
export function postgresEnv(app: string, server: PostgresServer): Record<string, string | RegExp> {
  return {
    POSTGRESQL_DB_CONNECT_STRING: new RegExp(`^postgresql://relation_id_\\d+:[^@]+@${server.host.replaceAll(".", "\\.")}:${server.port}/${app}$`),
    POSTGRESQL_DB_SCHEME: "postgresql", POSTGRESQL_DB_NETLOC: new RegExp(`^relation_id_\\d+:[^@]+@${server.host.replaceAll(".", "\\.")}:${server.port}$`),
    POSTGRESQL_DB_PATH: `/${app}`, POSTGRESQL_DB_PARAMS: "", POSTGRESQL_DB_QUERY: "", POSTGRESQL_DB_FRAGMENT: "",
    POSTGRESQL_DB_USERNAME: /^relation_id_\d+$/, POSTGRESQL_DB_PASSWORD: /^\S+$/, POSTGRESQL_DB_HOSTNAME: server.host,
    POSTGRESQL_DB_PORT: String(server.port), POSTGRESQL_DB_NAME: app,
  };
}

export function assertEnv(actual: Record<string, string>, expected: Record<string, string | RegExp>): void {
  assert.deepEqual(Object.keys(actual).sort(), Object.keys(expected).sort(), "the app gets exactly the reference's variables");
  for (const [name, value] of Object.entries(expected)) {
    if (typeof value === "string") assert.equal(actual[name], value, name);
    else assert.match(actual[name]!, value, name);
  }
}

export interface FrameworkCharm {
  app: string;
  /** The workload container the extension declares (`flask-app`, `django-app` or `app`). */
  container: string;
  /** The packed .charm. */
  path: string;
  /** The directory holding the unpacked project files (runtime.yaml among them). */
  dir: string;
}

/** `charmcraft expand-extensions` of a minimal project using the framework's extension. */
function expandExtension(framework: Framework, app: string, dir: string): Promise<Record<string, unknown>> {
  return expandExtensions(dir, {
    name: app, type: "charm", base: "ubuntu@24.04", platforms: { amd64: null },
    summary: `${framework} test charm`, description: `A ${framework} app.`, extensions: [`${framework}-framework`],
  });
}

export interface FrameworkCharmOptions {
  /** Endpoints the user adds beside PostgreSQL (name: interface), each `optional: true`. */
  optionalRequires?: Record<string, string>;
  /** The charm's paas-config.yaml (none by default). */
  paasConfig?: string;
}

export async function packFrameworkCharm(framework: Framework, options: FrameworkCharmOptions = {}): Promise<FrameworkCharm> {
  const app = `${framework}-k8s`;
  const dir = await mkdtemp(join(tmpdir(), `${framework}-charm-`));
  const project = await expandExtension(framework, app, dir);
  const requires = (project.requires ?? {}) as Record<string, unknown>;
  const optional = Object.fromEntries(Object.entries(options.optionalRequires ?? {}).map(([name, iface]) => [name, { interface: iface, optional: true, limit: 1 }]));
  project.requires = { ...requires, ...optional, postgresql: { interface: "postgresql_client", limit: 1 } };
  const { files } = charmFiles(stringify(project), "amd64");
  const runtime = `framework: ${framework}\n`;
  await writeFile(join(dir, "runtime.yaml"), runtime);
  const path = join(dir, `${app}_amd64.charm`);
  // The binary and dispatch are the same for every framework: of the example charm, only they stay.
  const packed: Record<string, string> = { ...files, "runtime.yaml": runtime };
  if (options.paasConfig !== undefined) packed["paas-config.yaml"] = options.paasConfig;
  repackExampleCharm(path, packed, (name) => name === "dispatch" || name === "charm");
  const container = Object.keys(project.containers as Record<string, unknown>)[0]!;
  return { app, container, path, dir };
}

export async function removeFrameworkCharm(charm: FrameworkCharm): Promise<void> {
  await rm(charm.dir, { recursive: true, force: true });
}

export interface RealWorkloadSuite {
  /** Started by `start()`. */
  postgres: PostgresServer;
  /**
   * A model `test-model` whose units run the rock built from `projectDir` (a rockcraft project); each
   * unit's own address goes into `addresses`.
   */
  simulation(name: string, projectDir: string, addresses: Map<string, string>): Simulation;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function realWorkloadSuite(name: string): RealWorkloadSuite {
  const dir = mkdtempSync(join(tmpdir(), `${name}-`));
  const toolsDir = join(dir, "tools");
  installHookTools(toolsDir, "bundle");
  const suite: RealWorkloadSuite = {
    postgres: undefined as unknown as PostgresServer,
    simulation(simulationName, projectDir, addresses) {
      const start = defaultWorkloads(() => {});
      const containers: ContainerFactory = async (unit, container, socketDir) => {
        const handle = await start({ unit, container, socketDir, image: projectDir });
        if (handle.address) addresses.set(unit, handle.address);
        return handle;
      };
      return new Simulation({ dir: join(dir, simulationName), modelName: "test-model", toolsDir, containers });
    },
    async start() {
      await ensureServiceAddress();
      suite.postgres = await startPostgres({ host: SERVICE_ADDRESS });
    },
    async stop() {
      await suite.postgres?.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return suite;
}
