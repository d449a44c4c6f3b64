// Content-addressed build cache: a directory appears at its final path only once complete (built in a
// sibling temp dir, then renamed), so concurrent test processes build at most once each and never see
// half a rock. Everything in it is made readable by the rock's _daemon_ user (uid 584792).
import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readdir, readFile, readlink, rename, rm, lstat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { exists, ignored } from "./files.ts";
import { run } from "./run.ts";

const inProcess = new Map<string, Promise<void>>();

/** Makes sure `finalDir` exists, running `build(workDir)` to fill it when it does not. */
export function ensureBuilt(finalDir: string, build: (workDir: string) => Promise<void>): Promise<void> {
  let pending = inProcess.get(finalDir);
  if (!pending) {
    pending = buildOnce(finalDir, build);
    inProcess.set(finalDir, pending);
    pending.catch(() => inProcess.delete(finalDir));
  }
  return pending;
}

async function buildOnce(finalDir: string, build: (workDir: string) => Promise<void>): Promise<void> {
  if (await exists(finalDir)) return;
  await mkdir(dirname(finalDir), { recursive: true });
  const workDir = await mkdtemp(join(dirname(finalDir), `.${basename(finalDir)}-`));
  try {
    await build(workDir);
    await run(`making ${finalDir} readable`, "chmod", ["-R", "a+rX", workDir], { cwd: workDir });
    try {
      await rename(workDir, finalDir);
    } catch (error) {
      // Another process finished the same build first: theirs is identical, keep it.
      if (!(await exists(finalDir))) throw error;
      await rm(workDir, { recursive: true, force: true });
    }
  } catch (error) {
    await rm(workDir, { recursive: true, force: true });
    throw error;
  }
}

/** A short digest of the given files and trees (paths, contents, executable bits), build leftovers left out. */
export async function digest(salt: string, roots: Array<{ dir: string; entries: string[] }>): Promise<string> {
  const hash = createHash("sha256").update(salt);
  for (const { dir, entries } of roots) {
    for (const entry of [...entries].sort()) await hashEntry(hash, dir, entry);
  }
  return hash.digest("hex").slice(0, 16);
}

async function hashEntry(hash: ReturnType<typeof createHash>, root: string, relative: string): Promise<void> {
  const path = join(root, relative);
  const stat = await lstat(path);
  if (stat.isSymbolicLink()) {
    hash.update(`link ${relative} ${await readlink(path)}\0`);
  } else if (stat.isDirectory()) {
    hash.update(`dir ${relative}\0`);
    for (const name of (await readdir(path)).sort()) {
      if (!ignored(name)) await hashEntry(hash, root, join(relative, name));
    }
  } else {
    hash.update(`file ${relative} ${stat.mode & 0o111 ? "x" : "-"}\0`);
    hash.update(await readFile(path));
    hash.update("\0");
  }
}
