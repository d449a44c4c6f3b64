// spring-boot-framework: the project's jar in /app, run as _daemon_ by `bash -c "java -jar *.jar"`.
// The stand-in compiles src/main/java with the host's javac into one runnable jar (the class with
// `static void main`) instead of running Maven or Gradle, and runs it with the host's java instead of
// the jlink runtime the extension builds; migrate and migrate.sh are staged into /app as in the rock.
import { mkdir, readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { copyTree, entryMounts, present } from "./files.ts";
import { renderLayer } from "./layer.ts";
import { buildPath, type RockRecipe } from "./recipe.ts";
import { run } from "./run.ts";
import { DAEMON_USER } from "./types.ts";

const ASSETS = ["migrate", "migrate.sh"];

export const springBoot: RockRecipe = {
  framework: "spring-boot",
  async inputs(project) {
    return ["rockcraft.yaml", ...(await present(project.dir, ["src", ...ASSETS]))];
  },
  async build(context) {
    const { project } = context;
    const sourceRoot = join(project.dir, "src", "main", "java");
    const sources = await javaSources(sourceRoot);
    const mainClass = await findMainClass(sourceRoot, sources);
    const classes = join(context.workDir, "classes");
    const app = buildPath(context, "rootfs/app");
    await mkdir(app.work, { recursive: true });
    context.log(`compiling the ${project.name} jar`);
    await run("compiling the app (javac)", "javac", ["-d", classes, ...sources], { cwd: project.dir });
    await run("packing the app's jar", "jar", ["--create", "--file", join(app.work, `${project.name}.jar`), "--main-class", mainClass, "-C", classes, "."], {
      cwd: project.dir,
    });
    for (const name of await present(project.dir, ASSETS)) await copyTree(join(project.dir, name), join(app.work, name));
    return {
      mounts: await entryMounts(app, "/app"),
      emptyDirs: [{ containerPath: "/app" }],
      layer: renderLayer(project, {
        "spring-boot": {
          override: "replace",
          startup: "enabled",
          user: DAEMON_USER.name,
          "working-dir": "/app",
          command: 'bash -c "java -jar *.jar"',
        },
      }),
      users: [{ ...DAEMON_USER }],
    };
  },
};

async function javaSources(root: string): Promise<string[]> {
  let entries: string[];
  try {
    entries = await readdir(root, { recursive: true });
  } catch {
    throw new Error(`${root} is missing: the spring-boot stand-in compiles the Java sources there`);
  }
  const sources = entries.filter((entry) => entry.endsWith(".java")).sort().map((entry) => join(root, entry));
  if (sources.length === 0) throw new Error(`${root} has no .java files`);
  return sources;
}

async function findMainClass(root: string, sources: string[]): Promise<string> {
  const mains: string[] = [];
  for (const source of sources) {
    if (/static\s+void\s+main\s*\(/.test(await readFile(source, "utf8"))) {
      mains.push(relative(root, source).replace(/\.java$/, "").split("/").join("."));
    }
  }
  if (mains.length !== 1) {
    throw new Error(`the jar needs exactly one class with \`static void main\` under ${root}; found ${mains.length ? mains.join(", ") : "none"}`);
  }
  return mains[0]!;
}
