// The Juju side: the controller charm packed from its source in ../third_party (no charmhub here), a
// Kubernetes cloud from the cluster's kubeconfig, and `juju bootstrap`, all in the platform's own JUJU_DATA.
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { parse, stringify } from "yaml";
import { charmFiles } from "../../packing/charmcraftYaml.ts";
import { writeZip, type ZipEntry } from "../../packing/zip.ts";
import { builds, CLOUD, CONTROLLER, repoRoot, state, thirdPartyDir } from "./layout.ts";
import { run } from "./steps.ts";

const CONTROLLER_CHARM_SOURCE = "juju-controller-7b94ff66.tar.gz";
/** The controller charm's Python dependencies, at the versions its uv.lock pins for Python 3.11. */
const CONTROLLER_CHARM_PACKAGES = ["ops==3.3.1", "charmhelpers==1.2.1", "cosl==1.3.2"];
export const controllerCharm = join(builds.controllerCharm, "juju-controller.charm");
export const jujuBin = join(builds.juju, "juju");

/** What a user or a test sets to drive the platform's controller. */
export function jujuEnv(): Record<string, string> {
  return {
    JUJU_DATA: state.jujuData,
    KUBECONFIG: state.kubeconfig,
    JUJU_CLI: jujuBin,
    PATH: `${builds.juju}:${builds.kubernetes}:${process.env.PATH ?? ""}`,
  };
}

export function juju(log: string, args: string[]): Promise<string> {
  return run(log, jujuBin, args, { env: { ...process.env, ...jujuEnv() } });
}

/**
 * charmcraft packs this charm with its uv plugin (a snap) on Ubuntu; here the zip is written as charmcraft
 * would: the source's src/ and lib/, a venv/ of its dependencies from PyPI, its dispatch, and metadata,
 * config and manifest made as `npm run pack` makes them for the project's own charm.
 */
export async function packControllerCharm(log: string): Promise<void> {
  if (existsSync(controllerCharm)) return;
  const archive = join(thirdPartyDir(), CONTROLLER_CHARM_SOURCE);
  if (!existsSync(archive)) throw new Error(`${archive} is missing: the controller charm's source is expected in ${thirdPartyDir()} (or set PAAS_THIRD_PARTY)`);
  const partial = `${builds.controllerCharm}.part`;
  await rm(partial, { recursive: true, force: true });
  const source = join(partial, "src");
  await mkdir(source, { recursive: true });
  await run(log, "tar", ["-xzf", archive, "-C", source, "--strip-components=1"]);
  const python = join(repoRoot, ".cache", "venv", "bin", "python");
  await run(log, python, ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-compile", "--target", join(source, "venv"), ...CONTROLLER_CHARM_PACKAGES]);
  const project = parse(await readFile(join(source, "charmcraft.yaml"), "utf8")) as Record<string, unknown>;
  project.base = "ubuntu@24.04";
  project.config = parse(await readFile(join(source, "config.yaml"), "utf8"));
  const { files } = charmFiles(stringify(project), "amd64");
  const entries: ZipEntry[] = Object.entries(files).map(([name, text]) => ({ name, data: Buffer.from(text), mode: 0o644 }));
  entries.push({
    name: "dispatch",
    data: Buffer.from('#!/bin/sh\nJUJU_DISPATCH_PATH="${JUJU_DISPATCH_PATH:-$0}" PYTHONPATH=lib:venv /usr/bin/env python3 ./src/charm.py\n'),
    mode: 0o755,
  });
  for (const dir of ["src", "lib", "venv"]) entries.push(...(await filesUnder(source, join(source, dir))));
  await writeFile(join(partial, "juju-controller.charm"), writeZip(entries));
  await rm(source, { recursive: true });
  await rename(partial, builds.controllerCharm);
}

async function filesUnder(root: string, dir: string): Promise<ZipEntry[]> {
  const entries: ZipEntry[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) entries.push(...(await filesUnder(root, path)));
    else if (entry.isFile()) entries.push({ name: relative(root, path), data: await readFile(path), mode: (await stat(path)).mode & 0o777 });
  }
  return entries;
}

/**
 * Bootstraps unless the controller is there already. Juju offers the current context of $KUBECONFIG as a
 * built-in cloud named after it (certs.ts names it CLOUD), so no add-k8s is needed.
 */
export async function bootstrap(log: string): Promise<void> {
  await mkdir(state.jujuData, { recursive: true });
  if (await juju(log, ["show-controller", CONTROLLER]).then(() => true, () => false)) return;
  await juju(log, ["bootstrap", CLOUD, CONTROLLER, "--controller-charm-path", controllerCharm]);
}
