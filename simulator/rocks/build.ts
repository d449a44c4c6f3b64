// buildRock: the local stand-in for a framework's rock; buildProjectRock: the rock of any rockcraft project
// (a framework's, or one without an extension). Built once per content into
// .cache/rocks/<framework or rock name>-<digest of the project and of this builder>/ and reused afterwards.
import { readdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { digest, ensureBuilt } from "./cache.ts";
import { expressjs } from "./expressjs.ts";
import { fastapi } from "./fastapi.ts";
import { go } from "./go.ts";
import { django, flask } from "./gunicorn.ts";
import { buildPlain, plainInputs } from "./plain.ts";
import { projectFramework, readProject, type RockcraftProject } from "./project.ts";
import type { BuildContext, RockRecipe } from "./recipe.ts";
import { springBoot } from "./springBoot.ts";
import { FRAMEWORKS, type BuildRockOptions, type Framework, type Rock } from "./types.ts";

const builderDir = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(builderDir, "..", "..");

const RECIPES: Record<Framework, RockRecipe> = { flask, django, fastapi, go, expressjs, "spring-boot": springBoot };
const MANIFEST = "rock.json";

export async function buildRock(framework: string, options: BuildRockOptions = {}): Promise<Rock> {
  if (!isFramework(framework)) throw new Error(`cannot build a rock for "${framework}": the frameworks are ${FRAMEWORKS.join(", ")}`);
  const recipe = RECIPES[framework];
  const projectDir = resolve(options.projectDir ?? join(repoRoot, "tests", "apps", framework));
  const project = await readProject(projectDir, framework);
  return cached(framework, project, await recipe.inputs(project), options, async (context) => ({ framework, ...(await recipe.build(context)) }));
}

/** The rock of the rockcraft project in `projectDir`: its framework's stand-in, or a rock without an extension (plain.ts). */
export async function buildProjectRock(projectDir: string, options: Omit<BuildRockOptions, "projectDir"> = {}): Promise<Rock> {
  const framework = projectFramework(projectDir);
  if (framework) return buildRock(framework, { ...options, projectDir });
  const project = await readProject(resolve(projectDir));
  return cached(project.name, project, plainInputs(project), options, buildPlain);
}

/** Builds into .cache/rocks/<kind>-<digest of the inputs and of this builder>/ once, then reads the rock from there. */
async function cached(kind: string, project: RockcraftProject, inputs: string[], options: BuildRockOptions, build: (context: BuildContext) => Promise<Rock>): Promise<Rock> {
  const cacheDir = resolve(options.cacheDir ?? join(repoRoot, ".cache", "rocks"));
  const log = options.log ?? (() => {});
  const key = await digest(kind, [
    { dir: builderDir, entries: (await readdir(builderDir)).filter((name) => name !== "README.md") },
    { dir: project.dir, entries: inputs },
  ]);
  const rockDir = join(cacheDir, `${kind}-${key}`);
  await ensureBuilt(rockDir, async (workDir) => {
    log(`building the ${kind} rock from ${project.dir}`);
    const rock = await build({ project, cacheDir, workDir, rockDir, log });
    await writeFile(join(workDir, MANIFEST), JSON.stringify(rock, null, 2) + "\n");
  });
  return JSON.parse(await readFile(join(rockDir, MANIFEST), "utf8")) as Rock;
}

function isFramework(name: string): name is Framework {
  return (FRAMEWORKS as readonly string[]).includes(name);
}
