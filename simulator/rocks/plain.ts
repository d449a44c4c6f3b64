// A rock without a framework extension, from its rockcraft.yaml as rockcraft reads it: the image's Debian
// packages are the parts' `stage-packages` (the container's root filesystem is made of them, baseRootfs.ts),
// `dump` parts lay their `source` tree on top (each file mounted read-only at its image path), `services`
// is the rock's Pebble layer, and `run-user: _daemon_` adds that user. Parts with other plugins are refused:
// the builder would have to run them.
import { readdir } from "node:fs/promises";
import { isAbsolute, join, normalize, relative } from "node:path";
import { copyTree } from "./files.ts";
import { renderLayer, type PebbleService } from "./layer.ts";
import type { RockcraftProject } from "./project.ts";
import { buildPath, type BuildContext } from "./recipe.ts";
import { DAEMON_USER, type Rock } from "./types.ts";

interface Part {
  plugin?: unknown;
  source?: unknown;
  "stage-packages"?: unknown;
}

/** The project's entries the rock is made of: rockcraft.yaml and every dump part's source. */
export function plainInputs(project: RockcraftProject): string[] {
  return ["rockcraft.yaml", ...parts(project).flatMap(([name, part]) => (part.plugin === "dump" ? [dumpSource(project, name, part)] : []))];
}

export async function buildPlain(context: BuildContext): Promise<Rock> {
  const { project } = context;
  const packages: string[] = [];
  const mounts: Rock["mounts"] = [];
  for (const [name, part] of parts(project)) {
    if (part.plugin !== "nil" && part.plugin !== "dump") {
      throw new Error(`${where(project)}: part "${name}" uses plugin ${JSON.stringify(part.plugin)}; the simulator's rock builder takes nil and dump parts (stage-packages and files)`);
    }
    const staged = part["stage-packages"] ?? [];
    if (!Array.isArray(staged) || !staged.every((p) => typeof p === "string")) throw new Error(`${where(project)}: part "${name}" stage-packages must be a list of Debian package names`);
    packages.push(...staged);
    if (part.plugin === "dump") {
      const tree = buildPath(context, join("rootfs", name));
      await copyTree(join(project.dir, dumpSource(project, name, part)), tree.work);
      for (const file of await filesUnder(tree.work)) mounts.push({ hostPath: join(tree.final, file), containerPath: `/${file}`, readOnly: true });
    }
  }
  const runUser = project.yaml["run-user"];
  if (runUser !== undefined && runUser !== DAEMON_USER.name) throw new Error(`${where(project)}: run-user ${JSON.stringify(runUser)} is not one rockcraft offers: use _daemon_ or leave it out (root)`);
  const services = project.yaml["services"] ?? {};
  if (typeof services !== "object" || services === null || Array.isArray(services)) throw new Error(`${where(project)}: services must map service names to Pebble services`);
  return {
    framework: project.name,
    packages: [...new Set(packages)],
    mounts,
    emptyDirs: [],
    layer: renderLayer(project, services as Record<string, PebbleService>),
    users: runUser ? [{ ...DAEMON_USER }] : [],
  };
}

function parts(project: RockcraftProject): Array<[string, Part]> {
  const value = project.yaml["parts"];
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error(`${where(project)} has no parts: a rock is made of its parts`);
  return Object.entries(value as Record<string, Part>);
}

function dumpSource(project: RockcraftProject, name: string, part: Part): string {
  const source = part.source;
  if (typeof source !== "string" || isAbsolute(source) || normalize(source).startsWith("..")) {
    throw new Error(`${where(project)}: dump part "${name}" needs a source directory inside the project`);
  }
  return normalize(source);
}

/** Every file under `dir`, relative to it. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => !entry.isDirectory()).map((entry) => relative(dir, join(entry.parentPath, entry.name))).sort();
}

function where(project: RockcraftProject): string {
  return join(project.dir, "rockcraft.yaml");
}
