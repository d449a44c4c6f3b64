// npm run pack: writes <name>_<arch>.charm holding what `charmcraft pack` would: metadata.yaml,
// config.yaml, actions.yaml, manifest.yaml and the primed files (dispatch, the binary,
// runtime.yaml, paas-config.yaml), file modes kept. Builds the binary first unless --no-build is given.
// Usage: node scripts/pack.ts [--arch x64|arm64] [--no-build] [--out DIR]
import { execFileSync } from "node:child_process";
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { charmFiles, primedFiles, type Architecture } from "../packing/charmcraftYaml.ts";
import { writeZip, type ZipEntry } from "../packing/zip.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const arg = (flag: string) => { const i = process.argv.indexOf(flag); return i >= 0 ? process.argv[i + 1] : undefined; };
const nodeArch = arg("--arch") ?? process.arch;
const arch: Architecture = nodeArch === "arm64" ? "arm64" : "amd64";
const outDir = arg("--out") ?? root;

if (!process.argv.includes("--no-build")) {
  execFileSync(process.execPath, [join(root, "scripts", "build.ts"), "--arch", nodeArch], { stdio: "inherit" });
}

const charmcraftYaml = readFileSync(join(root, "charmcraft.yaml"), "utf8");
const { name, files } = charmFiles(charmcraftYaml, arch);
/** Where each primed file comes from in the work tree. */
const sources: Record<string, string> = { charm: join(root, "dist", "charm") };
const entries: ZipEntry[] = [];
for (const [file, text] of Object.entries(files)) entries.push({ name: file, data: Buffer.from(text), mode: 0o644 });
for (const file of primedFiles(charmcraftYaml)) {
  const path = sources[file] ?? join(root, file);
  entries.push({ name: file, data: readFileSync(path), mode: statSync(path).mode & 0o777 });
}
const out = join(outDir, `${name}_${arch}.charm`);
writeFileSync(out, writeZip(entries));
console.log(`packed ${out}`);
