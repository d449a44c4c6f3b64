// The root filesystem every workload container starts from, as an OCI image gives a container its own:
// Debian bookworm (minbase) with the runtimes the rockcraft framework extensions put into rocks (Python 3,
// Node.js and npm, a Java 17 runtime). The rock's own files are mounted on top (simulator/rocks); nothing
// of the host's filesystem is below, so a container has its own /etc/passwd and its own /usr.
//
// Built once with mmdebstrap from Debian's archive and kept in the user's cache directory, keyed by what
// goes into it: a clean checkout on the same machine (as CI's) finds it again.
import { spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";

const SUITE = "bookworm";
const MIRROR = "http://deb.debian.org/debian";
const PACKAGES = ["python3", "nodejs", "npm", "openjdk-17-jre-headless", "ca-certificates"];

/** `$XDG_CACHE_HOME/paas-charm-ts` (default `~/.cache/paas-charm-ts`): builds kept across checkouts. */
export function userCacheDir(): string {
  return join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "paas-charm-ts");
}

type Log = (line: string) => void;
const toStderr: Log = (line) => process.stderr.write(`${line}\n`);
const building = new Map<string, Promise<string>>();

/** The base rootfs directory, built on first use (a few minutes; a message says so). */
export function baseRootfs(log: Log = toStderr): Promise<string> {
  return debianRootfs(PACKAGES, log);
}

/** Where the base rootfs is kept: its name carries a digest of what goes into it. */
export function baseRootfsPath(): string {
  return debianRootfsPath(PACKAGES);
}

/**
 * A Debian rootfs (minbase) with `packages`, built once per package set into the user's cache directory;
 * other images (a database's, the real controller's) are made the same way with their own packages.
 */
export function debianRootfs(packages: readonly string[], log: Log = toStderr): Promise<string> {
  const path = debianRootfsPath(packages);
  let pending = building.get(path);
  if (!pending) building.set(path, (pending = ensureBuilt(path, packages, log)));
  return pending;
}

export function debianRootfsPath(packages: readonly string[]): string {
  const digest = createHash("sha256").update(JSON.stringify({ SUITE, MIRROR, PACKAGES: packages, variant: "minbase" })).digest("hex").slice(0, 16);
  return join(userCacheDir(), "rootfs", `${SUITE}-${digest}`);
}

async function ensureBuilt(final: string, packages: readonly string[], log: Log): Promise<string> {
  const parent = join(final, "..");
  const digest = final.slice(final.lastIndexOf("-") + 1);
  if (existsSync(final)) return final;
  await mkdir(parent, { recursive: true });
  // Built beside its final name and renamed into place, so a rootfs is there only complete.
  const partial = join(parent, `.${SUITE}-${digest}.${randomBytes(4).toString("hex")}`);
  log(`building a Debian ${SUITE} rootfs with ${packages.join(", ")} into ${final}: a few minutes, once`);
  try {
    await run("mmdebstrap", ["--variant=minbase", `--include=${packages.join(",")}`, "--mode=root", "--quiet", SUITE, partial, MIRROR]);
    if (existsSync(final)) await rm(partial, { recursive: true, force: true });
    else await rename(partial, final);
  } catch (error) {
    await rm(partial, { recursive: true, force: true });
    throw error;
  }
  return final;
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString("utf8")).slice(-4000)));
    child.on("error", (error) => reject(new Error(`cannot run ${command} (${error.message}): scripts/setup.sh installs it`)));
    child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(" ")} exited with ${code}:\n${stderr}`))));
  });
}
