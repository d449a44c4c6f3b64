// Where the tests find what `npm test` built and what scripts/setup.sh installed.
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** The packed example charm: tests drive this artifact, never the sources. */
export const charmPath = process.env.CHARM_PATH ?? join(repoRoot, "dist", `example-app_${process.arch === "arm64" ? "arm64" : "amd64"}.charm`);
/** The real Pebble 1.26.0 daemon built by scripts/setup.sh. */
export const pebbleBin = process.env.PEBBLE_BIN ?? join(repoRoot, ".cache", "bin", "pebble");
/** The simulator's hook-tool program, bundled by scripts/build.ts. */
export const hookToolBundle = join(repoRoot, "dist", "hook-tool.cjs");
/** The Node 22 runtime the project pins. */
export const nodeBin = join(repoRoot, "node_modules", ".bin", "node");

export function testEnvironment(): Record<string, string> {
  return { CHARM_PATH: charmPath, PEBBLE_BIN: pebbleBin };
}

/** charmcraft 4.5.0 in the project's venv (scripts/setup.sh). */
export const charmcraftBin = process.env.CHARMCRAFT_BIN ?? join(repoRoot, ".cache", "venv", "bin", "charmcraft");
