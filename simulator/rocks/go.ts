// go-framework: the project's binary at /usr/local/bin/<rock name> (the service command is that name),
// run as _daemon_ in /app, which holds migrate, migrate.sh, static and templates when the project has them.
import { mkdir, readdir } from "node:fs/promises";
import { join } from "node:path";
import { copyTree, entryMounts, ignored, present } from "./files.ts";
import { renderLayer } from "./layer.ts";
import { buildPath, type RockRecipe } from "./recipe.ts";
import { run } from "./run.ts";
import { DAEMON_USER } from "./types.ts";

const ASSETS = ["migrate", "migrate.sh", "static", "templates"];

export const go: RockRecipe = {
  framework: "go",
  async inputs(project) {
    return (await readdir(project.dir)).filter((name) => !ignored(name));
  },
  async build(context) {
    const { project } = context;
    const binary = buildPath(context, `rootfs/usr/local/bin/${project.name}`);
    context.log(`building the ${project.name} Go binary`);
    await run("building the Go app (go build)", "go", ["build", "-o", binary.work, "."], {
      cwd: project.dir,
      env: { ...process.env, CGO_ENABLED: "0", GOFLAGS: "-buildvcs=false", GOTOOLCHAIN: "local" },
    });
    const app = buildPath(context, "rootfs/app");
    await mkdir(app.work, { recursive: true });
    for (const name of await present(project.dir, ASSETS)) await copyTree(join(project.dir, name), join(app.work, name));
    return {
      mounts: [{ hostPath: binary.final, containerPath: `/usr/local/bin/${project.name}`, readOnly: true }, ...(await entryMounts(app, "/app"))],
      // go-framework's base-layout part makes /app _daemon_'s.
      emptyDirs: [{ containerPath: "/app", owner: DAEMON_USER.name }],
      layer: renderLayer(project, {
        go: { override: "replace", startup: "enabled", command: project.name, user: DAEMON_USER.name, "working-dir": "/app" },
      }),
      users: [{ ...DAEMON_USER }],
    };
  },
};
