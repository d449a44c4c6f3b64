// File-system helpers for laying out a rock's image tree.
import { access, cp, readdir } from "node:fs/promises";
import { join } from "node:path";

/** Names rockcraft never copies into an image (build leftovers). */
const IGNORED = new Set(["node_modules", ".git", ".yarn", "__pycache__", ".venv", "target"]);

export function ignored(name: string): boolean {
  return IGNORED.has(name) || name.endsWith(".rock");
}

export async function exists(path: string): Promise<boolean> {
  return access(path).then(() => true, () => false);
}

/** Copies `from` to `to` (file or tree), leaving out build leftovers. */
export async function copyTree(from: string, to: string): Promise<void> {
  await cp(from, to, { recursive: true, filter: (source) => !ignored(source.slice(source.lastIndexOf("/") + 1)) });
}

/** Of `names`, those present in `dir`, in the given order. */
export async function present(dir: string, names: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  for (const name of names) if (await exists(join(dir, name))) found.push(name);
  return found;
}

/**
 * The mounts that make `containerDir` show the entries of a built directory, one read-only mount per
 * entry. Used where the charm writes into the app directory (Pebble push to /app/state/...): the
 * directory itself is a per-container empty dir, its contents come from the shared cache.
 */
export async function entryMounts(dir: { work: string; final: string }, containerDir: string): Promise<Array<{ hostPath: string; containerPath: string; readOnly: boolean }>> {
  const names = (await readdir(dir.work)).sort();
  return names.map((name) => ({ hostPath: join(dir.final, name), containerPath: `${containerDir}/${name}`, readOnly: true }));
}
