// OCI images without a registry: a rock (or any root filesystem) as an OCI image archive that
// `ctr images import` loads under the name a deploy asks for. Layers are plain tars of directories, each
// written once into a blob store in the user's cache directory (the base rootfs's layer is shared by every
// rock); an archive holds the blobs of one image plus its index, whose `io.containerd.image.name` is the name.
import { spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { createWriteStream, existsSync } from "node:fs";
import { chown, cp, link, lstat, mkdir, readFile, readlink, realpath, rename, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join, posix } from "node:path";
import { baseRootfs, debianRootfs, userCacheDir } from "../containers/baseRootfs.ts";
import { layerFileName } from "../containers/container.ts";
import { ROCK_PATH } from "../containers/initScript.ts";
import type { Rock } from "./types.ts";

export interface OciImageSpec {
  /** The full reference containerd stores it under, e.g. `localhost/example-app:0.1`. */
  name: string;
  /** Root filesystem directories, bottom first; each becomes one layer. */
  layers: string[];
  config: { Env?: string[]; Entrypoint?: string[]; Cmd?: string[]; WorkingDir?: string; User?: string };
}

export interface OciArchive {
  name: string;
  /** The archive's path. */
  archive: string;
  /** The image's manifest digest: what containerd lists for the name once imported. */
  digest: string;
}

interface Blob {
  digest: string;
  size: number;
}

const ociDir = () => join(userCacheDir(), "oci");
const blobPath = (digest: string) => join(ociDir(), "blobs", "sha256", digest.slice("sha256:".length));

/**
 * An OCI archive (tar) of `spec`, written once per content into the user's cache directory; returns its path.
 * A layer directory is tarred once per path: give each content its own directory (as the rootfs and rock
 * caches do, their names carrying digests).
 */
export async function ociArchive(spec: OciImageSpec): Promise<OciArchive> {
  const layers: Blob[] = [];
  for (const dir of spec.layers) layers.push(await layerBlob(dir));
  const config = await putBlob(JSON.stringify({
    architecture: process.arch === "arm64" ? "arm64" : "amd64",
    os: "linux",
    config: spec.config,
    rootfs: { type: "layers", diff_ids: layers.map((layer) => layer.digest) },
  }));
  const manifest = await putBlob(JSON.stringify({
    schemaVersion: 2,
    mediaType: "application/vnd.oci.image.manifest.v1+json",
    config: { mediaType: "application/vnd.oci.image.config.v1+json", ...config },
    layers: layers.map((layer) => ({ mediaType: "application/vnd.oci.image.layer.v1.tar", ...layer })),
  }));
  const key = createHash("sha256").update(`${spec.name}\n${manifest.digest}`).digest("hex").slice(0, 16);
  const archive = join(ociDir(), "archives", `${key}.tar`);
  const result = { name: spec.name, archive, digest: manifest.digest };
  if (existsSync(archive)) return result;
  const layout = join(ociDir(), `.layout-${randomBytes(4).toString("hex")}`);
  try {
    await mkdir(join(layout, "blobs", "sha256"), { recursive: true });
    for (const blob of [...layers, config, manifest]) await link(blobPath(blob.digest), join(layout, "blobs", "sha256", blob.digest.slice(7)));
    await writeFile(join(layout, "oci-layout"), JSON.stringify({ imageLayoutVersion: "1.0.0" }));
    await writeFile(join(layout, "index.json"), JSON.stringify({
      schemaVersion: 2,
      manifests: [{
        mediaType: "application/vnd.oci.image.manifest.v1+json", ...manifest,
        annotations: { "io.containerd.image.name": spec.name, "org.opencontainers.image.ref.name": spec.name.slice(spec.name.lastIndexOf(":") + 1) },
      }],
    }));
    await mkdir(dirname(archive), { recursive: true });
    await tarInto(layout, `${archive}.part`);
    await rename(`${archive}.part`, archive);
  } finally {
    await rm(layout, { recursive: true, force: true });
  }
  return result;
}

/** The image of a built rock: the workload base rootfs, then the rock's own files (rockImageTree). */
export async function rockOciArchive(rock: Rock, name: string): Promise<OciArchive> {
  const base = rock.packages ? await debianRootfs(rock.packages) : await baseRootfs();
  return ociArchive({ name, layers: [base, await rockImageTree(rock, base)], config: { Env: [`PATH=${ROCK_PATH}`] } });
}

/**
 * The rock's files as the image has them, in a directory of their own (kept beside the OCI cache, one per
 * rock content): each mount's content copied to its container path, the empty dirs with their owners, the
 * base's /etc/passwd and /etc/group plus the rock's users (`_daemon_`), and the rock's Pebble layer in
 * /var/lib/pebble/default/layers, where Pebble (which Juju injects) loads it.
 */
export async function rockImageTree(rock: Rock, base: string): Promise<string> {
  const key = createHash("sha256").update(JSON.stringify({ rock, base })).digest("hex").slice(0, 16);
  const tree = join(ociDir(), "trees", `${rock.framework}-${key}`);
  if (existsSync(tree)) return tree;
  const partial = `${tree}.${randomBytes(4).toString("hex")}`;
  try {
    const at = async (path: string) => join(partial, await parentsInRootfs(base, path));
    const byDepth = <T extends { containerPath: string }>(entries: T[]) => [...entries].sort((a, b) => a.containerPath.split("/").length - b.containerPath.split("/").length);
    for (const dir of byDepth(rock.emptyDirs)) {
      const target = await at(dir.containerPath);
      await mkdir(target, { recursive: true });
      const user = rock.users.find((candidate) => candidate.name === dir.owner);
      if (user) await chown(target, user.uid, user.gid);
    }
    for (const mount of byDepth(rock.mounts)) {
      const target = await at(mount.containerPath);
      await mkdir(dirname(target), { recursive: true });
      await cp(await realpath(mount.hostPath), target, { recursive: true, dereference: false, preserveTimestamps: true, verbatimSymlinks: true });
    }
    for (const [file, line] of [["passwd", (u: Rock["users"][number]) => `${u.name}:x:${u.uid}:${u.gid}::${u.home}:/usr/sbin/nologin`], ["group", (u: Rock["users"][number]) => `${u.name}:x:${u.gid}:`]] as const) {
      const own = (await readFile(join(base, "etc", file), "utf8")).trimEnd();
      const added = rock.users.filter((user) => !own.split("\n").some((entry) => entry.startsWith(`${user.name}:`))).map(line);
      await mkdir(join(partial, "etc"), { recursive: true });
      await writeFile(join(partial, "etc", file), [own, ...added].join("\n") + "\n");
    }
    const layers = join(partial, "var", "lib", "pebble", "default", "layers");
    await mkdir(layers, { recursive: true });
    await writeFile(join(layers, layerFileName(rock.framework)), rock.layer);
    await mkdir(dirname(tree), { recursive: true });
    await rename(partial, tree);
  } catch (error) {
    await rm(partial, { recursive: true, force: true });
    throw error;
  }
  return tree;
}

/**
 * `path` with its parent directories resolved through the base's symlinks (Debian's /bin is usr/bin): a
 * layer that held a real /bin directory would hide the base's /bin link and everything behind it.
 */
async function parentsInRootfs(rootfs: string, path: string): Promise<string> {
  const parts = path.split("/").filter(Boolean);
  let resolved = "/";
  for (let index = 0; index < parts.length; index++) {
    const next = posix.join(resolved, parts[index]!);
    const last = index === parts.length - 1;
    const stat = last ? undefined : await lstat(join(rootfs, next)).catch(() => undefined);
    if (stat?.isSymbolicLink()) {
      const target = await readlink(join(rootfs, next));
      resolved = target.startsWith("/") ? target : posix.join(resolved, target);
    } else resolved = next;
  }
  return resolved.slice(1);
}

/**
 * A directory as an uncompressed layer blob (its digest is its diff ID), made once per directory: its path,
 * inode and change time, so a directory rebuilt and renamed into place under the same name is tarred again.
 */
async function layerBlob(dir: string): Promise<Blob> {
  const { ino, ctimeMs } = await stat(dir);
  const record = join(ociDir(), "layers", `${createHash("sha256").update(`${dir}\n${ino}\n${ctimeMs}`).digest("hex").slice(0, 16)}.json`);
  if (existsSync(record)) {
    const blob = JSON.parse(await readFile(record, "utf8")) as Blob;
    if (existsSync(blobPath(blob.digest))) return blob;
  }
  const partial = join(ociDir(), `.layer-${randomBytes(4).toString("hex")}`);
  await mkdir(ociDir(), { recursive: true });
  try {
    const blob = await tarInto(dir, partial);
    await mkdir(dirname(blobPath(blob.digest)), { recursive: true });
    await rename(partial, blobPath(blob.digest));
    await mkdir(dirname(record), { recursive: true });
    await writeFile(record, JSON.stringify(blob));
    return blob;
  } finally {
    await rm(partial, { force: true });
  }
}

async function putBlob(text: string): Promise<Blob> {
  const data = Buffer.from(text);
  const blob = { digest: `sha256:${createHash("sha256").update(data).digest("hex")}`, size: data.length };
  await mkdir(dirname(blobPath(blob.digest)), { recursive: true });
  if (!existsSync(blobPath(blob.digest))) await writeFile(blobPath(blob.digest), data);
  return blob;
}

/** `tar` of `dir`'s content (numeric owners, so the image's users are the image's) into `file`, hashed on the way. */
function tarInto(dir: string, file: string): Promise<Blob> {
  return new Promise((resolve, reject) => {
    const child = spawn("tar", ["--numeric-owner", "--xattrs", "-C", dir, "-cf", "-", "."], { stdio: ["ignore", "pipe", "pipe"] });
    const hash = createHash("sha256");
    const out = createWriteStream(file);
    let size = 0;
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      hash.update(chunk);
      size += chunk.length;
    });
    child.stdout.pipe(out);
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    child.on("error", reject);
    const written = new Promise<void>((done) => out.on("close", () => done()));
    child.on("close", (code) => {
      if (code !== 0) return reject(new Error(`tar of ${dir} exited with ${code}: ${stderr.slice(-2000)}`));
      void written.then(() => resolve({ digest: `sha256:${hash.digest("hex")}`, size }));
    });
  });
}
