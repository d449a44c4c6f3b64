// The images the cluster runs, built here and imported into containerd (no registry is reachable, and
// Juju's pods use imagePullPolicy IfNotPresent, so an image present under the exact name is used):
// the pause image, Juju's operator image and charm base (one Debian rootfs serves both: Juju never looks at
// the image's OS), and the workload rocks: the example's, the flask test app's, and the integration
// suite's partners' (tests/partners), each named localhost/<name>:<version> of its rockcraft.yaml.
import { existsSync } from "node:fs";
import { chmod, chown, copyFile, mkdir, readFile, rename, rm, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { debianRootfs } from "../../simulator/containers/baseRootfs.ts";
import { buildProjectRock } from "../../simulator/rocks/build.ts";
import { readProject } from "../../simulator/rocks/project.ts";
import { ociArchive, rockOciArchive, type OciArchive } from "../../simulator/rocks/oci.ts";
import { PAUSE_IMAGE } from "./cluster.ts";
import { builds, repoRoot, state, VERSIONS } from "./layout.ts";
import { run } from "./steps.ts";

/** jujuagentd's run-time libraries (dqlite itself is linked in), Python for the controller charm. */
const OPERATOR_PACKAGES = ["python3", "libuv1", "liblz4-1", "libsqlite3-0", "ca-certificates"];
export const OPERATOR_IMAGE = `ghcr.io/juju/jujud-operator:${VERSIONS.juju}`;
export const CHARM_BASE_IMAGE = "ghcr.io/juju/charm-base:ubuntu-24.04";
/** The rockcraft projects whose rocks the project's tests and README deploy. */
export const ROCK_PROJECTS = [
  repoRoot, join(repoRoot, "tests", "apps", "flask"),
  join(repoRoot, "tests", "partners", "postgresql-k8s", "rock"), join(repoRoot, "tests", "partners", "ingress-proxy", "rock"),
];
/** The uid Juju 4 runs charms as in a charm container. */
const JUJU_USER = { name: "juju", uid: 170, gid: 170 };

export async function ensureImages(log: string): Promise<OciArchive[]> {
  const operatorRootfs = await debianRootfs(OPERATOR_PACKAGES, (line) => void writeFile(log, `${line}\n`, { flag: "a" }));
  const operatorTree = await operatorFiles(operatorRootfs);
  const images = [
    await ociArchive({ name: PAUSE_IMAGE, layers: [await pauseFiles()], config: { Entrypoint: ["/pause"] } }),
    await ociArchive({ name: OPERATOR_IMAGE, layers: [operatorRootfs, operatorTree], config: { Entrypoint: ["sh", "-c"], WorkingDir: "/var/lib/juju" } }),
    await ociArchive({ name: CHARM_BASE_IMAGE, layers: [operatorRootfs, operatorTree], config: { WorkingDir: "/var/lib/juju" } }),
  ];
  for (const projectDir of ROCK_PROJECTS) {
    const project = await readProject(projectDir);
    const rock = await buildProjectRock(projectDir, { log: (line) => void writeFile(log, `${line}\n`, { flag: "a" }) });
    images.push(await rockOciArchive(rock, `localhost/${project.name}:${String(project.yaml.version)}`));
  }
  return images;
}

/** Imports each archive unless containerd already has that name at that digest. */
export async function importImages(log: string, images: OciArchive[]): Promise<void> {
  const listed = await ctr(log, ["images", "ls"]);
  const present = new Set(listed.split("\n").slice(1).map((line) => line.split(/\s+/)).map(([name, , digest]) => `${name}@${digest}`));
  for (const image of images) {
    if (!present.has(`${image.name}@${image.digest}`)) await ctr(log, ["images", "import", image.archive]);
  }
}

function ctr(log: string, args: string[]): Promise<string> {
  return run(log, "ctr", ["--address", state.containerdSocket, "--namespace", "k8s.io", ...args]);
}

/** /opt as Juju's operator image has it, the juju user, and the agent's working directory. */
async function operatorFiles(rootfs: string): Promise<string> {
  const tree = join(builds.images, `operator-${VERSIONS.juju}`);
  if (existsSync(tree)) return tree;
  const partial = `${tree}.part`;
  await rm(partial, { recursive: true, force: true });
  await mkdir(join(partial, "opt"), { recursive: true });
  for (const binary of ["jujuagentd", "jujuc", "containeragent"]) await copyFile(join(builds.juju, binary), join(partial, "opt", binary));
  await copyFile(join(builds.pebble, "pebble"), join(partial, "opt", "pebble"));
  await symlink("jujuagentd", join(partial, "opt", "jujud"));
  // The charm container runs as the juju user, and bootstrap uploads the controller charm into /var/lib/juju.
  await mkdir(join(partial, "var", "lib", "juju"), { recursive: true });
  await chown(join(partial, "var", "lib", "juju"), JUJU_USER.uid, JUJU_USER.gid);
  await mkdir(join(partial, "etc"));
  const passwd = await readFile(join(rootfs, "etc", "passwd"), "utf8");
  const group = await readFile(join(rootfs, "etc", "group"), "utf8");
  await writeFile(join(partial, "etc", "passwd"), `${passwd.trimEnd()}\n${JUJU_USER.name}:x:${JUJU_USER.uid}:${JUJU_USER.gid}::/var/lib/juju:/bin/sh\n`);
  await writeFile(join(partial, "etc", "group"), `${group.trimEnd()}\n${JUJU_USER.name}:x:${JUJU_USER.gid}:\n`);
  await rename(partial, tree);
  return tree;
}

async function pauseFiles(): Promise<string> {
  const tree = join(builds.images, "pause");
  if (existsSync(tree)) return tree;
  await mkdir(`${tree}.part`, { recursive: true });
  await copyFile(join(builds.pause, "pause"), join(`${tree}.part`, "pause"));
  await chmod(join(`${tree}.part`, "pause"), 0o755);
  await rename(`${tree}.part`, tree);
  return tree;
}
