// expressjs-framework: the npm project in app/ installed to /lib/node_modules/<package name> (the image's
// /app links there), dependencies from package-lock.json, and `npm start` run as _daemon_ in /app with
// NODE_ENV=production. Node and npm are the host's (/usr/bin/node, /usr/bin/npm), standing in for the
// Ubuntu nodejs and npm packages the extension stages.
import { appendFile, readFile } from "node:fs/promises";
import { join } from "node:path";
import { copyTree, entryMounts, exists } from "./files.ts";
import { renderLayer } from "./layer.ts";
import { buildPath, type RockRecipe } from "./recipe.ts";
import { run } from "./run.ts";
import { DAEMON_USER } from "./types.ts";

export const expressjs: RockRecipe = {
  framework: "expressjs",
  async inputs() {
    return ["rockcraft.yaml", "app"];
  },
  async build(context) {
    const { project } = context;
    const name = await packageName(join(project.dir, "app", "package.json"));
    const installed = buildPath(context, `rootfs/lib/node_modules/${name}`);
    await copyTree(join(project.dir, "app"), installed.work);
    context.log(`installing the ${name} npm dependencies`);
    const lockfile = await exists(join(installed.work, "package-lock.json"));
    await run("installing the app's npm dependencies", "npm", [lockfile ? "ci" : "install", "--omit=dev", "--no-audit", "--no-fund"], {
      cwd: installed.work,
    });
    // The extension's `npm config set script-shell=bash --location project`.
    await appendFile(join(installed.work, ".npmrc"), "script-shell=bash\n");
    return {
      mounts: await entryMounts(installed, "/app"),
      emptyDirs: [{ containerPath: "/app" }],
      layer: renderLayer(project, {
        expressjs: {
          override: "replace",
          startup: "enabled",
          user: DAEMON_USER.name,
          "working-dir": "/app",
          environment: { NODE_ENV: "production" },
          command: "npm start",
        },
      }),
      users: [{ ...DAEMON_USER }],
    };
  },
};

/** The package name, after the extension's own checks (a name and a start script). */
async function packageName(path: string): Promise<string> {
  let manifest: { name?: unknown; scripts?: Record<string, unknown> };
  try {
    manifest = JSON.parse(await readFile(path, "utf8"));
  } catch (error) {
    throw new Error(`${path} is missing or not JSON (${(error as Error).message}): expressjs-framework builds the npm project in app/`);
  }
  if (typeof manifest.name !== "string") throw new Error(`${path} has no "name": expressjs-framework installs the app under it`);
  if (typeof manifest.scripts?.["start"] !== "string") throw new Error(`${path} has no "scripts.start": the rock runs \`npm start\``);
  return manifest.name;
}
