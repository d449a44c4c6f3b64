// Builds the charm's one binary: esbuild bundles src/ into a CommonJS file, which is injected into the
// pinned Node 22 runtime from the npm registry as a single-executable application (docs/juju-contract.md §5).
// Usage: node scripts/build.ts [--arch x64|arm64]   (default: this machine's)
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, chmodSync, mkdirSync, readFileSync, writeFileSync, existsSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { join, dirname, relative } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";
import {
  BUNDLE_ASSET, BUNDLE_FILENAME, CACHE_ASSET, KUBERNETES_ASSET, KUBERNETES_CACHE_ASSET, KUBERNETES_FILENAME, wrapBundle, wrapModule,
} from "../src/sea/assets.ts";
import { lazyModules } from "./lazyModules.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const arch = argValue("--arch") ?? process.arch;
if (arch !== "x64" && arch !== "arm64") throw new Error(`unsupported architecture ${arch}: use x64 or arm64`);

export const distDir = join(root, "dist");
export const binaryName = "charm";

function argValue(flag: string): string | undefined {
  const i = process.argv.indexOf(flag);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** The Node runtime the binary is made from: the exact version pinned in package.json. */
function nodeRuntime(): string {
  const require = createRequire(join(root, "package.json"));
  const path = join(dirname(require.resolve(`node-linux-${arch}/package.json`)), "bin", "node");
  if (!existsSync(path)) throw new Error(`${path} is missing: run npm ci on a ${arch} machine`);
  return path;
}

/** What axios loads at start-up that the charm never uses on its paths to Pebble (see lazyModules.ts). */
const CHARM_LAZY_MODULES = ["https", "http2", "form-data", "https-proxy-agent"];

/**
 * @kubernetes/client-node is a few MB: evaluated with the charm's bundle it would slow every event. It is
 * bundled apart into a SEA asset with its own code cache, and the charm's dynamic import of the client
 * runs that asset only when an event needs it.
 */
const kubernetesClient = join(root, "src", "kubernetes", "client.ts");
const separateKubernetesClient: esbuild.Plugin = {
  name: "separate-kubernetes-client",
  setup(build) {
    build.onResolve({ filter: /kubernetes\/client\.ts$/ }, (args) => {
      if (join(args.resolveDir, args.path) !== kubernetesClient) return undefined;
      // A path of its own namespace names the module in the bundle: no absolute path, so builds anywhere match.
      return { path: "kubernetes-client", namespace: "kubernetes-asset" };
    });
    build.onLoad({ filter: /.*/, namespace: "kubernetes-asset" }, () => ({
      loader: "js",
      contents: `const { getAsset } = require("node:sea"); const { Script } = require("node:vm");
const cache = getAsset(${JSON.stringify(KUBERNETES_CACHE_ASSET)});
const script = new Script(getAsset(${JSON.stringify(KUBERNETES_ASSET)}, "utf8"), {
  filename: ${JSON.stringify(KUBERNETES_FILENAME)}, ...(cache.byteLength ? { cachedData: Buffer.from(cache) } : {}),
});
const loaded = { exports: {} };
script.runInThisContext()(require, loaded, loaded.exports);
module.exports = loaded.exports;`,
    }));
  },
};

async function bundle(entry: string, outfile: string, plugins: esbuild.Plugin[] = []): Promise<void> {
  await esbuild.build({
    entryPoints: [join(root, entry)],
    plugins,
    outfile,
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node22",
    minifySyntax: true,
    minifyWhitespace: true,
    keepNames: true,
    legalComments: "none",
    sourcemap: false,
    logLevel: "warning",
  });
}

async function main(): Promise<void> {
  mkdirSync(distDir, { recursive: true });
  const bundlePath = join(distDir, "charm.cjs");
  await bundle("src/main.ts", bundlePath, [lazyModules(CHARM_LAZY_MODULES), separateKubernetesClient]);
  const kubernetesPath = join(distDir, KUBERNETES_FILENAME);
  await bundle("src/kubernetes/client.ts", kubernetesPath);
  // The simulator's hook-tool program is bundled too: it runs once per hook-tool call, so start-up matters.
  await bundle("simulator/hookTools/main.ts", join(distDir, "hook-tool.cjs"));

  const node = nodeRuntime();
  // The binary's main script is a small loader; the bundles and their code caches are SEA assets. A code
  // cache ties the blob to this exact Node build, so it is only made for this machine's arch (empty otherwise).
  const native = arch === process.arch;
  const assets: Record<string, string> = {};
  const addScript = (source: string, asset: string, cacheAsset: string, filename: string) => {
    const wrappedPath = join(distDir, asset);
    const cachePath = join(distDir, cacheAsset);
    writeFileSync(wrappedPath, source);
    if (native) {
      const { NODE_OPTIONS: _ignored, ...env } = process.env;
      execFileSync(node, ["--random-seed=1", join(root, "scripts", "codeCache.ts"), wrappedPath, cachePath, filename], { stdio: "inherit", env });
    } else {
      writeFileSync(cachePath, "");
    }
    assets[asset] = relative(root, wrappedPath);
    assets[cacheAsset] = relative(root, cachePath);
  };
  addScript(wrapBundle(readFileSync(bundlePath, "utf8")), BUNDLE_ASSET, CACHE_ASSET, BUNDLE_FILENAME);
  addScript(wrapModule(readFileSync(kubernetesPath, "utf8")), KUBERNETES_ASSET, KUBERNETES_CACHE_ASSET, KUBERNETES_FILENAME);
  const loaderPath = join(distDir, "sea-loader.cjs");
  await bundle("src/sea/loader.ts", loaderPath);
  const seaConfig = join(distDir, "sea-config.json");
  const blob = join(distDir, "sea-prep.blob");
  // Paths in the blob are written relative to the project and V8's random seed is fixed, so the binary is
  // the same wherever it is built (npm run pack, or charmcraft's build directory).
  writeFileSync(seaConfig, JSON.stringify({
    main: relative(root, loaderPath), output: relative(root, blob), disableExperimentalSEAWarning: true, useCodeCache: native,
    assets,
  }));
  // Without a code cache the blob holds no machine code, so this machine's Node (the same pinned version) writes
  // it for the other architecture too, whose runtime cannot run here.
  const seaNode = native ? node : process.execPath;
  if (!runWithoutNoise(seaNode, ["--random-seed=1", "--experimental-sea-config", seaConfig])) throw new Error(`cannot run ${seaNode}`);

  const binary = join(distDir, binaryName);
  rmSync(binary, { force: true });
  copyFileSync(node, binary);
  chmodSync(binary, 0o755);
  if (arch === process.arch) stripDebugInfo(binary);
  const postject = join(root, "node_modules", "postject", "dist", "cli.js");
  runWithoutNoise(process.execPath, [postject, binary, "NODE_SEA_BLOB", blob, "--sentinel-fuse", "NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2"]);
  chmodSync(binary, 0o755);
  console.log(`built ${binary} (${arch})`);
}

/** The npm runtime carries ~18 MB of debug info; the charm never needs it. */
function stripDebugInfo(binary: string): void {
  if (!runWithoutNoise("strip", [binary])) console.warn("strip is not installed: the binary keeps its debug info");
}

/**
 * Lines build tools print on every build that say nothing a user can act on: the warnings about Node's
 * unnamed `.note` sections (strip, and LIEF inside postject), and Node's report that it wrote the SEA blob.
 */
const BUILD_NOISE = [/Can't find string offset for section name/, /^Wrote single executable preparation blob/];

/**
 * Runs a build tool in the project directory, showing its stderr without BUILD_NOISE. False if the tool
 * is not installed; throws if it fails.
 */
function runWithoutNoise(command: string, args: string[]): boolean {
  const result = spawnSync(command, args, { cwd: root, encoding: "utf8", stdio: ["ignore", "ignore", "pipe"] });
  if (result.error) return false;
  const said = result.stderr.split("\n").filter((line) => line.trim() && !BUILD_NOISE.some((noise) => noise.test(line)));
  if (said.length) console.warn(said.join("\n"));
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} exited with ${result.status}`);
  return true;
}

await main();
