// The real charmcraft 4.5.0 packs this project from its charmcraft.yaml, and its .charm holds the same
// entries as `npm run pack`'s: names, modes, metadata/config/actions/manifest text and the binary itself.
// charmcraft runs in destructive mode as tests/support/charmcraft.ts explains; the rest of the lifecycle is
// charmcraft's own: pull, `npm ci`, `npm run build`, prime, lint, zip.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { readZip, type ZipEntry } from "../../packing/zip.ts";
import { charmcraftPack } from "../support/charmcraft.ts";
import { charmPath, repoRoot } from "../support/paths.ts";

const dir = mkdtempSync(join(tmpdir(), "charmcraft-pack-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** The project as a fresh clone has it: tracked and new (not ignored) files, no node_modules or dist. */
function copyProject(into: string): void {
  const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: repoRoot, encoding: "utf8" })
    .split("\0").filter(Boolean);
  for (const file of files) {
    mkdirSync(dirname(join(into, file)), { recursive: true });
    try {
      copyFileSync(join(repoRoot, file), join(into, file));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error; // deleted, not yet committed
    }
  }
}

function packed(project: string): string {
  const charms = charmcraftPack(project, dir);
  assert.deepEqual(charms, [charmPath.slice(charmPath.lastIndexOf("/") + 1)], "charmcraft writes one .charm, named as npm run pack names it");
  return join(project, charms[0]!);
}

/** The one value that differs by nature: when each pack started. */
const STARTED_AT = /^charmcraft-started-at: '\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}'$/m;

function byName(entries: ZipEntry[]): Map<string, ZipEntry> {
  return new Map(entries.map((entry) => [entry.name, entry]));
}

test("charmcraft 4.5.0 packs the project into the same .charm as npm run pack", { timeout: 600_000 }, () => {
  const project = join(dir, "project");
  copyProject(project);
  const theirs = byName(readZip(readFileSync(packed(project))));
  const ours = byName(readZip(readFileSync(charmPath)));

  // Entry order and zip timestamps are not compared: charmcraft zips in directory order with file mtimes,
  // npm run pack writes a fixed 1980 date so its .charm is reproducible; Juju reads neither.
  assert.deepEqual([...ours.keys()].sort(), [...theirs.keys()].sort());
  assert.deepEqual([...ours.keys()].sort(), ["actions.yaml", "charm", "config.yaml", "dispatch", "manifest.yaml", "metadata.yaml", "paas-config.yaml", "runtime.yaml"]);
  for (const [name, entry] of ours) {
    const other = theirs.get(name)!;
    assert.equal(entry.mode.toString(8), other.mode.toString(8), `${name}: mode`);
    if (name === "charm") {
      // esbuild's bundle, the SEA blob (relative main path, fixed V8 random seed) and the stripped runtime are
      // deterministic, so charmcraft's build directory gives the very same binary.
      assert.ok(entry.data.equals(other.data), "charm: the binary charmcraft built differs from npm run pack's");
      continue;
    }
    const text = entry.data.toString("utf8");
    const otherText = other.data.toString("utf8");
    if (name === "manifest.yaml") {
      assert.match(text, STARTED_AT);
      assert.match(otherText, STARTED_AT);
      assert.equal(text.replace(STARTED_AT, ""), otherText.replace(STARTED_AT, ""), "manifest.yaml");
    } else {
      assert.equal(text, otherText, name);
    }
  }
});
