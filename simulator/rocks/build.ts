// buildRock: the local stand-in for a framework's rock, built once per content into
// .cache/rocks/<framework>-<digest of the project and of this builder>/ and reused afterwards.
import { readdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { digest, ensureBuilt } from "./cache.ts";
import { expressjs } from "./expressjs.ts";
import { fastapi } from "./fastapi.ts";
import { go } from "./go.ts";
import { django, flask } from "./gunicorn.ts";
import { readProject } from "./project.ts";
import type { RockRecipe } from "./recipe.ts";
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
  const cacheDir = resolve(options.cacheDir ?? join(repoRoot, ".cache", "rocks"));
  const log = options.log ?? (() => {});
  const project = await readProject(projectDir, framework);

  const key = await digest(framework, [
    { dir: builderDir, entries: (await readdir(builderDir)).filter((name) => name !== "README.md") },
    { dir: projectDir, entries: await recipe.inputs(project) },
  ]);
  const rockDir = join(cacheDir, `${framework}-${key}`);
  await ensureBuilt(rockDir, async (workDir) => {
    log(`building the ${framework} rock from ${projectDir}`);
    const built = await recipe.build({ project, cacheDir, workDir, rockDir, log });
    const rock: Rock = { framework, ...built };
    await writeFile(join(workDir, MANIFEST), JSON.stringify(rock, null, 2) + "\n");
  });
  return JSON.parse(await readFile(join(rockDir, MANIFEST), "utf8")) as Rock;
}

function isFramework(name: string): name is Framework {
  return (FRAMEWORKS as readonly string[]).includes(name);
}
