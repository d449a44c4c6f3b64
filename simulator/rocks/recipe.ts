// What each framework module provides to buildRock.
import { join } from "node:path";
import type { RockcraftProject } from "./project.ts";
import type { Framework, Rock } from "./types.ts";

export interface BuildContext {
  project: RockcraftProject;
  cacheDir: string;
  /** Where the build writes; renamed to `rockDir` once complete. */
  workDir: string;
  /** Where the rock will live: the host paths in `Rock.mounts` point here. */
  rockDir: string;
  log: (line: string) => void;
}

export interface RockRecipe {
  framework: Framework;
  /** The project's top-level entries the rock is made of (they, and nothing else, key the cache). */
  inputs(project: RockcraftProject): Promise<string[]>;
  /** Lays out the image tree under `rootfs/` of the work dir and says how to mount it. */
  build(context: BuildContext): Promise<Omit<Rock, "framework">>;
}

/** A path inside the build, and the same path once the rock is in place. */
export function buildPath(context: BuildContext, relative: string): { work: string; final: string } {
  return { work: join(context.workDir, relative), final: join(context.rockDir, relative) };
}
