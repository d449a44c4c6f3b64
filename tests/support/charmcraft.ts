// The real charmcraft 4.5.0 (scripts/setup.sh puts it in the project's venv) expanding a project's
// framework extension: the source of truth for what a 12-factor charm declares.
import { execFile, spawnSync } from "node:child_process";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { parse, stringify } from "yaml";
import { charmcraftYamlTemplate, type FrameworkName } from "../../runtime/src/project.ts";
import { charmcraftBin } from "./paths.ts";

const run = promisify(execFile);

/** The environment charmcraft runs in: spring-boot-framework is experimental on ubuntu@24.04 in charmcraft 4.5.0. */
const charmcraftEnv = { ...process.env, CHARMCRAFT_ENABLE_EXPERIMENTAL_EXTENSIONS: "1" };

/** Writes `project` as `projectDir`/charmcraft.yaml and returns `charmcraft expand-extensions` of it, parsed. */
export async function expandExtensions(projectDir: string, project: Record<string, unknown>): Promise<Record<string, any>> {
  await writeFile(join(projectDir, "charmcraft.yaml"), stringify(project));
  return expandProject(projectDir);
}

/** `charmcraft expand-extensions` of the charmcraft.yaml in `projectDir`, parsed. */
export async function expandProject(projectDir: string): Promise<Record<string, any>> {
  try {
    const { stdout } = await run(charmcraftBin, ["expand-extensions"], { cwd: projectDir, env: charmcraftEnv, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 });
    return parse(stdout) as Record<string, any>;
  } catch (error) {
    const failed = error as Error & { stderr?: string };
    throw new Error(`charmcraft expand-extensions in ${projectDir} failed:\n${failed.stderr ?? failed.message}`);
  }
}

/**
 * What `init` writes as charmcraft.yaml for `framework` (runtime/templates), made from charmcraft's own
 * texts: `charmcraft init --profile <framework>-framework` in an empty `projectDir`, then `charmcraft
 * expand-extensions` of that project.
 */
export async function runtimeTemplate(framework: FrameworkName, projectDir: string): Promise<string> {
  try {
    await run(charmcraftBin, ["init", "--profile", `${framework}-framework`, "--name", "app-name"], { cwd: projectDir, env: charmcraftEnv, timeout: 120_000 });
  } catch (error) {
    const failed = error as Error & { stderr?: string };
    throw new Error(`charmcraft init --profile ${framework}-framework in ${projectDir} failed:\n${failed.stderr ?? failed.message}`);
  }
  const initYaml = await readFile(join(projectDir, "charmcraft.yaml"), "utf8");
  return charmcraftYamlTemplate(initYaml, await expandProject(projectDir));
}

const UBUNTU_2404_OS_RELEASE = `PRETTY_NAME="Ubuntu 24.04.3 LTS"
NAME="Ubuntu"
VERSION_ID="24.04"
VERSION="24.04.3 LTS (Noble Numbat)"
VERSION_CODENAME=noble
ID=ubuntu
ID_LIKE=debian
UBUNTU_CODENAME=noble
`;

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

/**
 * `charmcraft pack --destructive-mode` of `project`; returns the names of the .charm files it wrote there.
 * Users pack on Ubuntu 24.04 or in charmcraft's managed mode; destructive mode builds on the host and refuses
 * unless the host is the charm's base ("Ubuntu 24.04 builds cannot be performed on this Debian 12 system").
 * So it runs inside `unshare -m`, a private mount namespace, where an Ubuntu 24.04 os-release is bind-mounted
 * over /etc/os-release and /usr/lib/os-release; nothing outside the namespace sees it. The charm part's one
 * build package, `npm`, is what managed mode installs from Ubuntu's archive; this host already has npm but
 * not as the `npm` package (NodeSource's `nodejs` ships it and declares `Provides`/`Conflicts: npm`), so
 * craft-parts would try to install Debian's npm over it. Inside the namespace a copy of dpkg's status file
 * is bind-mounted, listing npm as installed (and without the conflict), so craft-parts finds its build
 * package present and installs nothing. `scratch` holds those two files.
 */
export function charmcraftPack(project: string, scratch: string): string[] {
  const osRelease = join(scratch, "os-release");
  writeFileSync(osRelease, UBUNTU_2404_OS_RELEASE);
  const mounts = [`mount --bind ${osRelease} /etc/os-release`, `mount --bind ${osRelease} /usr/lib/os-release`];
  const status = dpkgStatusWithNpm();
  if (status !== undefined) {
    writeFileSync(join(scratch, "dpkg-status"), status);
    mounts.push(`mount --bind ${join(scratch, "dpkg-status")} /var/lib/dpkg/status`);
  }
  const script = `set -e\n${mounts.join("\n")}\nexec "$0" pack --destructive-mode --verbosity=brief`;
  const result = spawnSync("unshare", ["--mount", "--propagation", "private", "sh", "-c", script, charmcraftBin], {
    cwd: project, encoding: "utf8", timeout: 540_000,
  });
  if (result.status !== 0) throw new Error(`charmcraft pack in ${project} failed:\n${result.stdout}\n${result.stderr}`);
  return readdirSync(project).filter((name) => name.endsWith(".charm"));
}
