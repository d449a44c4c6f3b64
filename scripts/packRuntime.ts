// `npm pack ./runtime`'s prepack step: puts into runtime/dist what the paas-charm-ts-runtime package carries:
// the charm binary built by scripts/build.ts for amd64 and for arm64, dispatch, and the CLI bundled into one
// CommonJS file. The other architecture's pinned Node runtime (node-linux-<arch>, which npm installs only on
// that architecture) is fetched with `npm pack` into a scratch directory that build.ts resolves it from.
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const runtimeDist = join(root, "runtime", "dist");
const NODE_ARCH = { amd64: "x64", arm64: "arm64" } as const;

const scratch = mkdtempSync(join(tmpdir(), "runtime-pack-"));
try {
  rmSync(runtimeDist, { recursive: true, force: true });
  mkdirSync(runtimeDist, { recursive: true });
  // This machine's architecture last: build.ts writes dist/charm, which the project's tests then use.
  const arches = process.arch === "arm64" ? (["amd64", "arm64"] as const) : (["arm64", "amd64"] as const);
  for (const arch of arches) {
    const nodeArch = NODE_ARCH[arch];
    const env: NodeJS.ProcessEnv = { ...process.env };
    if (nodeArch !== process.arch) env.NODE_PATH = fetchNodeRuntime(nodeArch);
    execFileSync(process.execPath, [join(root, "scripts", "build.ts"), "--arch", nodeArch], { cwd: root, env, stdio: ["ignore", "inherit", "inherit"] });
    copyFileSync(join(root, "dist", "charm"), join(runtimeDist, `charm-${arch}`));
  }
  copyFileSync(join(root, "dispatch"), join(runtimeDist, "dispatch"));
  await esbuild.build({
    entryPoints: [join(root, "runtime", "src", "cli.ts")],
    outfile: join(runtimeDist, "cli.cjs"),
    bundle: true, platform: "node", format: "cjs", target: "node18", legalComments: "none", logLevel: "warning",
    banner: { js: "#!/usr/bin/env node" },
  });
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

/** node-linux-<arch> at the version package.json pins, unpacked into a node_modules directory of `scratch`. */
function fetchNodeRuntime(nodeArch: string): string {
  const name = `node-linux-${nodeArch}`;
  const version = (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { optionalDependencies: Record<string, string> }).optionalDependencies[name];
  if (!version) throw new Error(`package.json pins no ${name}`);
  const modules = join(scratch, "node_modules");
  mkdirSync(join(modules, name), { recursive: true });
  const tarball = execFileSync("npm", ["pack", `${name}@${version}`, "--silent", "--pack-destination", scratch], { cwd: scratch, encoding: "utf8" }).trim().split("\n").at(-1)!;
  execFileSync("tar", ["-xzf", join(scratch, tarball), "-C", join(modules, name), "--strip-components=1"]);
  return modules;
}
