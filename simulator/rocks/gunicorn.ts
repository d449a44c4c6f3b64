// flask-framework and django-framework: the app in /<framework>/app served by Gunicorn as _daemon_,
// /<framework>/gunicorn.conf.py, and a statsd-exporter service turning Gunicorn's statsd metrics into
// Prometheus metrics on :9102.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { copyTree, exists, present } from "./files.ts";
import { renderLayer } from "./layer.ts";
import { buildPythonRuntime } from "./python.ts";
import { buildPath, type BuildContext, type RockRecipe } from "./recipe.ts";
import type { RockcraftProject } from "./project.ts";
import { buildStatsdExporter } from "./statsdExporter.ts";
import { DAEMON_USER } from "./types.ts";

/** rockcraft's gunicorn extensions pin gunicorn ~=23.0 for ubuntu@24.04. */
const GUNICORN = "gunicorn==23.0.0";
/** What flask-framework copies from the project root into /flask/app (its default prime list). */
const FLASK_APP_FILES = ["app", "app.py", "migrate", "migrate.sh", "migrate.py", "static", "templates"];

export const flask = gunicornRecipe("flask");
export const django = gunicornRecipe("django");

function gunicornRecipe(framework: "flask" | "django"): RockRecipe {
  return {
    framework,
    async inputs(project) {
      const app = framework === "flask" ? await present(project.dir, FLASK_APP_FILES) : [djangoProjectName(project)];
      return ["rockcraft.yaml", "requirements.txt", ...app];
    },
    async build(context) {
      const { project } = context;
      await requireFile(project, "requirements.txt");
      const wsgi = framework === "flask" ? await flaskWsgiPath(project) : await djangoWsgiPath(project);
      await copyApp(context, framework);

      const config = buildPath(context, `rootfs/${framework}/gunicorn.conf.py`);
      await writeFile(config.work, defaultGunicornConfig(framework));
      const mapping = buildPath(context, "rootfs/statsd-mapping.conf");
      await writeFile(mapping.work, statsdMapping(framework));

      const python = await buildPythonRuntime(context, ["-r", "requirements.txt", GUNICORN]);
      const statsdExporter = await buildStatsdExporter(context.cacheDir, context.log);
      return {
        mounts: [
          { hostPath: buildPath(context, `rootfs/${framework}/app`).final, containerPath: `/${framework}/app`, readOnly: true },
          ...python,
          { hostPath: statsdExporter, containerPath: "/usr/bin/statsd_exporter", readOnly: true },
          { hostPath: mapping.final, containerPath: "/statsd-mapping.conf", readOnly: true },
        ],
        // /<framework> is writable, not a mount: the charm replaces gunicorn.conf.py there (Pebble push
        // renames over the file), so the rock's default config (rootfs/<framework>/gunicorn.conf.py) is
        // not mounted; the charm always writes its own before Gunicorn starts (docs/paas-charm-contract.md §8.1).
        emptyDirs: [
          { containerPath: `/${framework}` },
          { containerPath: `/var/log/${framework}`, owner: DAEMON_USER.name },
        ],
        layer: renderLayer(project, {
          [framework]: {
            override: "replace",
            startup: "enabled",
            command: `/bin/python3 -m gunicorn -c /${framework}/gunicorn.conf.py ${wsgi} -k [ sync ]`,
            after: ["statsd-exporter"],
            user: DAEMON_USER.name,
          },
          "statsd-exporter": {
            override: "merge",
            command:
              "/bin/statsd_exporter --statsd.mapping-config=/statsd-mapping.conf " +
              "--statsd.listen-udp=localhost:9125 --statsd.listen-tcp=localhost:9125",
            summary: "statsd exporter service",
            startup: "enabled",
            user: DAEMON_USER.name,
          },
        }),
        users: [{ ...DAEMON_USER }],
      };
    },
  };
}

async function copyApp(context: BuildContext, framework: "flask" | "django"): Promise<void> {
  const target = buildPath(context, `rootfs/${framework}/app`).work;
  await mkdir(target, { recursive: true });
  if (framework === "flask") {
    for (const name of await present(context.project.dir, FLASK_APP_FILES)) {
      await copyTree(join(context.project.dir, name), join(target, name));
    }
  } else {
    // django-framework copies the contents of the <name>/ project directory into /django/app.
    await copyTree(join(context.project.dir, djangoProjectName(context.project)), target);
  }
}

async function flaskWsgiPath(project: RockcraftProject): Promise<string> {
  await requireFile(project, "app.py", "flask-framework imports the application from app:app");
  return "app:app";
}

async function djangoWsgiPath(project: RockcraftProject): Promise<string> {
  const name = djangoProjectName(project);
  await requireFile(project, join(name, name, "wsgi.py"), `django-framework imports ${name}.wsgi:application`);
  return `${name}.wsgi:application`;
}

/** django-framework's project directory: the rock name with - replaced by _. */
function djangoProjectName(project: RockcraftProject): string {
  return project.name.replace(/-/g, "_").toLowerCase();
}

async function requireFile(project: RockcraftProject, relative: string, why = ""): Promise<void> {
  if (!(await exists(join(project.dir, relative)))) {
    throw new Error(`${join(project.dir, relative)} is missing${why ? `: ${why}` : ""}`);
  }
}

function defaultGunicornConfig(framework: string): string {
  return [
    "bind = ['0.0.0.0:8000']",
    `chdir = '/${framework}/app'`,
    `accesslog = '/var/log/${framework}/access.log'`,
    `errorlog = '/var/log/${framework}/error.log'`,
    "statsd_host = 'localhost:9125'",
    "",
  ].join("\n");
}

function statsdMapping(framework: string): string {
  return [
    "mappings:",
    "  - match: gunicorn.request.status.*",
    `    name: ${framework}_response_code`,
    "    labels:",
    '      status: "$1"',
    "  - match: gunicorn.requests",
    `    name: ${framework}_requests`,
    "  - match: gunicorn.request.duration",
    `    name: ${framework}_request_duration`,
    "",
  ].join("\n");
}
