// Each framework's rock stand-in: laid out as the rockcraft extension does, its layer accepted by the
// real Pebble, and its service command serving on the port the charm sets, seeing the charm's env.
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { parse } from "yaml";
import { buildRock } from "../../simulator/rocks/build.ts";
import type { Framework, Rock } from "../../simulator/rocks/types.ts";
import { pebbleBin, repoRoot } from "../support/paths.ts";
import { startPebble } from "../support/pebble.ts";
import { freePort, hostDir, scratchDir, startRockService } from "../support/rockHost.ts";

const VENV = "<venv>";

interface Case {
  framework: Framework;
  /** The rock's Pebble services, in full. */
  services: Record<string, Record<string, unknown>>;
  /** Mount points in the container (the venv is mounted at its own host path, written <venv>). */
  mountPoints: string[];
  emptyDirs: Rock["emptyDirs"];
  /** The environment the charm would set, for a workload port. */
  env(port: number): Record<string, string>;
  greeting: string;
}

const daemon = { user: "_daemon_" };
const statsdExporter = {
  override: "merge",
  command: "/bin/statsd_exporter --statsd.mapping-config=/statsd-mapping.conf --statsd.listen-udp=localhost:9125 --statsd.listen-tcp=localhost:9125",
  summary: "statsd exporter service",
  startup: "enabled",
  ...daemon,
};

const cases: Case[] = [
  {
    framework: "flask",
    services: {
      flask: { override: "replace", startup: "enabled", command: "/bin/python3 -m gunicorn -c /flask/gunicorn.conf.py app:app -k [ sync ]", after: ["statsd-exporter"], ...daemon },
      "statsd-exporter": statsdExporter,
    },
    mountPoints: ["/flask/app", "/usr/bin/python3", VENV, "/usr/bin/statsd_exporter", "/statsd-mapping.conf"],
    emptyDirs: [{ containerPath: "/flask" }, { containerPath: "/var/log/flask", owner: "_daemon_" }],
    env: (port) => ({ FLASK_SECRET_KEY: "flask-secret", FLASK_BASE_URL: `http://flask-k8s.test-model:${port}`, FLASK_METRICS_PORT: "9102", FLASK_METRICS_PATH: "/metrics", FLASK_PREFERRED_URL_SCHEME: "HTTPS" }),
    greeting: "flask test app\n",
  },
  {
    framework: "django",
    services: {
      django: { override: "replace", startup: "enabled", command: "/bin/python3 -m gunicorn -c /django/gunicorn.conf.py django_app.wsgi:application -k [ sync ]", after: ["statsd-exporter"], ...daemon },
      "statsd-exporter": statsdExporter,
    },
    mountPoints: ["/django/app", "/usr/bin/python3", VENV, "/usr/bin/statsd_exporter", "/statsd-mapping.conf"],
    emptyDirs: [{ containerPath: "/django" }, { containerPath: "/var/log/django", owner: "_daemon_" }],
    env: (port) => ({ DJANGO_SECRET_KEY: "django-secret", DJANGO_ALLOWED_HOSTS: '["django-k8s.test-model"]', DJANGO_BASE_URL: `http://django-k8s.test-model:${port}`, DJANGO_METRICS_PORT: "9102" }),
    greeting: "django test app\n",
  },
  {
    framework: "fastapi",
    services: {
      fastapi: { override: "replace", startup: "enabled", ...daemon, "working-dir": "/app", environment: { UVICORN_HOST: "0.0.0.0" }, command: "/bin/python3 -m uvicorn app:app" },
    },
    mountPoints: ["/app/app.py", "/usr/bin/python3", VENV],
    emptyDirs: [{ containerPath: "/app" }],
    // UVICORN_HOST narrowed to loopback: these tests run on the host, not in a network namespace.
    env: (port) => ({ UVICORN_PORT: String(port), UVICORN_HOST: "127.0.0.1", WEB_CONCURRENCY: "1", UVICORN_LOG_LEVEL: "info", METRICS_PORT: "9464", APP_SECRET_KEY: "fastapi-secret", APP_BASE_URL: `http://fastapi-k8s.test-model:${port}` }),
    greeting: "fastapi test app\n",
  },
  {
    framework: "go",
    services: { go: { override: "replace", startup: "enabled", command: "go-app", ...daemon, "working-dir": "/app" } },
    mountPoints: ["/usr/local/bin/go-app"],
    emptyDirs: [{ containerPath: "/app", owner: "_daemon_" }],
    env: (port) => ({ PORT: String(port), METRICS_PORT: String(port), METRICS_PATH: "/metrics", APP_SECRET_KEY: "go-secret", APP_BASE_URL: `http://go-k8s.test-model:${port}` }),
    greeting: "go test app\n",
  },
  {
    framework: "expressjs",
    services: {
      expressjs: { override: "replace", startup: "enabled", ...daemon, "working-dir": "/app", environment: { NODE_ENV: "production" }, command: "npm start" },
    },
    mountPoints: ["/app/.npmrc", "/app/node_modules", "/app/package-lock.json", "/app/package.json", "/app/server.js"],
    emptyDirs: [{ containerPath: "/app" }],
    env: (port) => ({ PORT: String(port), METRICS_PORT: "9464", METRICS_PATH: "/metrics", APP_SECRET_KEY: "expressjs-secret", APP_BASE_URL: `http://expressjs-k8s.test-model:${port}` }),
    greeting: "expressjs test app\n",
  },
  {
    framework: "spring-boot",
    services: {
      "spring-boot": { override: "replace", startup: "enabled", ...daemon, "working-dir": "/app", command: 'bash -c "java -jar *.jar"' },
    },
    mountPoints: ["/app/spring-boot-app.jar"],
    emptyDirs: [{ containerPath: "/app" }],
    env: (port) => ({
      SERVER_PORT: String(port),
      APP_SECRET_KEY: "spring-secret",
      APP_BASE_URL: `http://spring-boot-k8s.test-model:${port}`,
      "management.server.port": String(port),
      "management.endpoints.web.exposure.include": "prometheus",
    }),
    greeting: "spring-boot test app\n",
  },
];

for (const testCase of cases) {
  describe(`the ${testCase.framework} rock`, () => {
    let rock: Rock;
    before(async () => {
      rock = await buildRock(testCase.framework);
    });

    test("is laid out the way its rockcraft extension lays out the image", async () => {
      const layer = parse(rock.layer) as { summary: string; services: Record<string, unknown> };
      assert.equal(rock.framework, testCase.framework);
      assert.deepEqual(layer.services, testCase.services);
      const project = parse(await readFile(join(repoRoot, "tests", "apps", testCase.framework, "rockcraft.yaml"), "utf8")) as { summary: string };
      assert.equal(layer.summary, project.summary);
      const venv = rock.mounts.find((mount) => mount.hostPath.endsWith("/venv"));
      assert.deepEqual(rock.mounts.map((mount) => (mount === venv ? VENV : mount.containerPath)), testCase.mountPoints);
      if (venv) assert.equal(venv.containerPath, venv.hostPath);
      assert.deepEqual(rock.emptyDirs, testCase.emptyDirs);
      assert.deepEqual(rock.users, [{ name: "_daemon_", uid: 584792, gid: 584792, home: "/nonexistent" }]);
    });

    test("mounts only host paths that exist, read-only and readable by _daemon_", async () => {
      for (const mount of rock.mounts) {
        assert.equal(mount.readOnly, true, mount.containerPath);
        const { mode } = await stat(mount.hostPath);
        assert.ok(mode & 0o004, `${mount.hostPath} is not readable by others (mode ${(mode & 0o777).toString(8)})`);
      }
    });

    test("has a layer the real Pebble accepts as the plan", async () => {
      const pebble = await startPebble();
      try {
        const layerFile = join(pebble.dir, "rock-layer.yaml");
        await writeFile(layerFile, rock.layer);
        const env = { ...process.env, PEBBLE_SOCKET: pebble.socketPath };
        await promisify(execFile)(pebbleBin, ["add", `001-${testCase.framework}`, layerFile], { env });
        const { stdout } = await promisify(execFile)(pebbleBin, ["plan"], { env });
        const plan = parse(stdout) as { services: Record<string, Record<string, unknown>> };
        assert.deepEqual(Object.keys(plan.services).sort(), Object.keys(testCase.services).sort());
        assert.equal(plan.services[testCase.framework]?.["command"], testCase.services[testCase.framework]?.["command"]);
      } finally {
        await pebble.stop();
      }
    });

    test("runs a service that answers on the charm's port and sees the charm's environment", async () => {
      const port = await freePort();
      const scratch = await scratchDir();
      const replace: Record<string, string> = {};
      if (testCase.framework === "flask" || testCase.framework === "django") {
        // The charm writes the Gunicorn config (docs/paas-charm-contract.md §8.1); this one binds loopback and logs to stdout.
        const config = join(scratch.path, "gunicorn.conf.py");
        const appDir = hostDir(rock, `/${testCase.framework}/app`);
        await writeFile(config, `bind = ['127.0.0.1:${port}']\nchdir = '${appDir}'\naccesslog = '-'\nerrorlog = '-'\n`);
        replace[`/${testCase.framework}/gunicorn.conf.py`] = config;
      }
      const env = testCase.env(port);
      const service = await startRockService(rock, { port, env, replace });
      try {
        const index = await fetch(`${service.url}/`);
        assert.equal(index.status, 200);
        assert.equal(await index.text(), testCase.greeting);

        const seen = (await (await fetch(`${service.url}/env`)).json()) as Record<string, string>;
        const layerEnv = (parse(rock.layer) as { services: Record<string, { environment?: Record<string, string> }> }).services[testCase.framework]?.environment;
        for (const [name, value] of Object.entries({ ...layerEnv, ...env })) assert.equal(seen[name], value, `${name} as the app sees it`);
      } finally {
        await service.stop();
        await scratch.remove();
      }
    });
  });
}

test("buildRock reuses a built rock instead of building it again", async () => {
  const first = await buildRock("go");
  const binary = first.mounts[0]!.hostPath;
  const before = (await stat(binary)).mtimeMs;
  const second = await buildRock("go");
  assert.deepEqual(second, first);
  assert.equal((await stat(binary)).mtimeMs, before);
});

test("buildRock names the frameworks when asked for an unknown one", async () => {
  await assert.rejects(buildRock("rails"), /cannot build a rock for "rails": the frameworks are flask, django, fastapi, go, expressjs, spring-boot/);
});

test("buildRock says what is missing when the project is not a rockcraft project", async () => {
  const scratch = await scratchDir();
  try {
    await assert.rejects(buildRock("flask", { projectDir: scratch.path }), new RegExp(`${scratch.path}/rockcraft.yaml is missing`));
    await writeFile(join(scratch.path, "rockcraft.yaml"), "name: x\nextensions: [go-framework]\n");
    await assert.rejects(buildRock("flask", { projectDir: scratch.path }), /does not use the flask-framework extension/);
  } finally {
    await scratch.remove();
  }
});
