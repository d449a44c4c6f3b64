// The real charmcraft 4.5.0 packs this project from its charmcraft.yaml, and its .charm holds the same
// entries as `npm run pack`'s: names, modes, metadata/config/actions/manifest text and the binary itself.
//
// How charmcraft runs here (tests only; users pack on Ubuntu 24.04 or in charmcraft's managed mode):
// `charmcraft pack --destructive-mode` builds on the host, and refuses unless the host is the charm's base
// ("Ubuntu 24.04 builds cannot be performed on this Debian 12 system"). So it runs inside `unshare -m`, a
// private mount namespace, where an Ubuntu 24.04 os-release is bind-mounted over /etc/os-release and
// /usr/lib/os-release; nothing outside the namespace sees it. The charm part's one build package, `npm`,
// is what managed mode installs from Ubuntu's archive; this host already has npm but not as the `npm`
// package (NodeSource's `nodejs` ships it and declares `Provides`/`Conflicts: npm`), so craft-parts would
// try to install Debian's npm over it. Inside the namespace a copy of dpkg's status file is bind-mounted,
// listing npm as installed (and without the conflict), so craft-parts finds its build package present and
// installs nothing. The rest of the lifecycle is charmcraft's own: pull, `npm ci`, `npm run build`, prime,
// lint, zip.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { readZip, type ZipEntry } from "../../packing/zip.ts";
import { charmPath, charmcraftBin, repoRoot } from "../support/paths.ts";

const dir = mkdtempSync(join(tmpdir(), "charmcraft-pack-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const UBUNTU_2404_OS_RELEASE = `PRETTY_NAME="Ubuntu 24.04.3 LTS"
NAME="Ubuntu"
VERSION_ID="24.04"
VERSION="24.04.3 LTS (Noble Numbat)"
VERSION_CODENAME=noble
ID=ubuntu
ID_LIKE=debian
UBUNTU_CODENAME=noble
`;

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

/** dpkg's status with npm listed as installed, if the host's npm is not the `npm` package. */
function dpkgStatusWithNpm(): string | undefined {
  const installed = spawnSync("dpkg-query", ["-W", "-f=${Status}", "npm"], { encoding: "utf8" });
  if (installed.status === 0 && installed.stdout.endsWith(" installed")) return undefined;
  const status = readFileSync("/var/lib/dpkg/status", "utf8").replace(/^Conflicts: (.*)\n/gm, (_line, list: string) => {
    const kept = list.split(",").map((item) => item.trim()).filter((item) => !/^npm(\s|$)/.test(item));
    return kept.length ? `Conflicts: ${kept.join(", ")}\n` : "";
  });
  return `${status.trimEnd()}\n\nPackage: npm\nStatus: install ok installed\nPriority: optional\nSection: javascript\n`
    + "Maintainer: paas-charm-ts tests\nArchitecture: all\nVersion: 99:host\nDescription: npm as the host provides it\n\n";
}

function charmcraftPack(project: string): string {
  const osRelease = join(dir, "os-release");
  writeFileSync(osRelease, UBUNTU_2404_OS_RELEASE);
  const mounts = [`mount --bind ${osRelease} /etc/os-release`, `mount --bind ${osRelease} /usr/lib/os-release`];
  const status = dpkgStatusWithNpm();
  if (status !== undefined) {
    writeFileSync(join(dir, "dpkg-status"), status);
    mounts.push(`mount --bind ${join(dir, "dpkg-status")} /var/lib/dpkg/status`);
  }
  const script = `set -e\n${mounts.join("\n")}\nexec "$0" pack --destructive-mode --verbosity=brief`;
  const result = spawnSync("unshare", ["--mount", "--propagation", "private", "sh", "-c", script, charmcraftBin], {
    cwd: project, encoding: "utf8", timeout: 540_000,
  });
  assert.equal(result.status, 0, `charmcraft pack failed:\n${result.stdout}\n${result.stderr}`);
  const charms = readdirSync(project).filter((name) => name.endsWith(".charm"));
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
  const theirs = byName(readZip(readFileSync(charmcraftPack(project))));
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
