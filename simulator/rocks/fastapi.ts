// fastapi-framework: the app in /app, served by `/bin/python3 -m uvicorn <module>:app` as _daemon_;
// uvicorn takes its port and worker count from the UVICORN_* / WEB_CONCURRENCY variables the charm sets.
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { copyTree, entryMounts, present } from "./files.ts";
import { renderLayer } from "./layer.ts";
import { buildPythonRuntime } from "./python.ts";
import { buildPath, type RockRecipe } from "./recipe.ts";
import { DAEMON_USER } from "./types.ts";

/** What fastapi-framework copies into /app. */
const APP_FILES = ["app", "app.py", "main.py", "migrate", "migrate.sh", "migrate.py", "static", "templates"];
/** Where fastapi-framework looks for the ASGI app, first match wins. */
const ASGI_MODULES: Array<[file: string, module: string]> = [["app.py", "app"], ["main.py", "main"], ["app/__init__.py", "app"], ["app/main.py", "app.main"]];

export const fastapi: RockRecipe = {
  framework: "fastapi",
  async inputs(project) {
    return ["rockcraft.yaml", "requirements.txt", ...(await present(project.dir, APP_FILES))];
  },
  async build(context) {
    const { project } = context;
    const [found] = await present(project.dir, ASGI_MODULES.map(([file]) => file));
    const module = ASGI_MODULES.find(([file]) => file === found)?.[1];
    if (!module) throw new Error(`${project.dir} has no FastAPI app: fastapi-framework looks for \`app\` in ${ASGI_MODULES.map(([file]) => file).join(", ")}`);

    const app = buildPath(context, "rootfs/app");
    await mkdir(app.work, { recursive: true });
    for (const name of await present(project.dir, APP_FILES)) await copyTree(join(project.dir, name), join(app.work, name));
    const python = await buildPythonRuntime(context, ["-r", "requirements.txt", "uvicorn"]);
    return {
      mounts: [...(await entryMounts(app, "/app")), ...python],
      emptyDirs: [{ containerPath: "/app" }],
      layer: renderLayer(project, {
        fastapi: {
          override: "replace",
          startup: "enabled",
          user: DAEMON_USER.name,
          "working-dir": "/app",
          environment: { UVICORN_HOST: "0.0.0.0" },
          command: `/bin/python3 -m uvicorn ${module}:app`,
        },
      }),
      users: [{ ...DAEMON_USER }],
    };
  },
};
