// The real charmcraft 4.5.0 (scripts/setup.sh puts it in the project's venv) expanding a project's
// framework extension: the source of truth for what a 12-factor charm declares.
import { execFile } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { parse, stringify } from "yaml";
import { charmcraftBin } from "./paths.ts";

const run = promisify(execFile);

/** Writes `project` as `projectDir`/charmcraft.yaml and returns `charmcraft expand-extensions` of it, parsed. */
export async function expandExtensions(projectDir: string, project: Record<string, unknown>): Promise<Record<string, any>> {
  await writeFile(join(projectDir, "charmcraft.yaml"), stringify(project));
  // spring-boot-framework is experimental on ubuntu@24.04 in charmcraft 4.5.0.
  const env = { ...process.env, CHARMCRAFT_ENABLE_EXPERIMENTAL_EXTENSIONS: "1" };
  try {
    const { stdout } = await run(charmcraftBin, ["expand-extensions"], { cwd: projectDir, env, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 });
    return parse(stdout) as Record<string, any>;
  } catch (error) {
    const failed = error as Error & { stderr?: string };
    throw new Error(`charmcraft expand-extensions in ${projectDir} failed:\n${failed.stderr ?? failed.message}`);
  }
}
