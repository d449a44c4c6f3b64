// Unpacks a .charm into a directory the way Juju's agent does: each file streamed in 32 KiB writes
// (Go's io.Copy). How the binary is written matters to what is measured: one 100 MB write() leaves it in
// the page cache as large folios, and mapping those inflates the charm's RSS by ~17 MB.
import { chmodSync, closeSync, mkdirSync, openSync, readFileSync, writeSync } from "node:fs";
import { dirname, join, resolve, sep } from "node:path";
import { readZip } from "./zip.ts";

const CHUNK = 32 * 1024;

export function unpackCharm(charmPath: string, into: string): void {
  const root = resolve(into);
  for (const entry of readZip(readFileSync(charmPath))) {
    const path = resolve(join(root, entry.name));
    if (!path.startsWith(root + sep)) throw new Error(`${charmPath}: entry ${entry.name} would be written outside ${root}`);
    mkdirSync(dirname(path), { recursive: true });
    const fd = openSync(path, "w", entry.mode);
    try {
      for (let at = 0; at < entry.data.length; at += CHUNK) writeSync(fd, entry.data, at, Math.min(CHUNK, entry.data.length - at));
    } finally {
      closeSync(fd);
    }
    chmodSync(path, entry.mode);
  }
}
