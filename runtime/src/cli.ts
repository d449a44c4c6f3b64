// paas-charm-ts-runtime: writes a charm project for an existing app (`init`), switches a charm made with
// charmcraft's framework extension to this runtime (`adopt`), and installs the runtime's dispatch and charm
// binary into a charm being packed (`install`, run by the charm part). Runs on the Node that Ubuntu's npm
// brings (18), bundled into one CommonJS file by scripts/packRuntime.ts.
import { execFileSync } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, realpathSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { parse } from "yaml";
import {
  FRAMEWORK_NAMES, PACKAGE_NAME, authorReadme, charmcraftYaml, extensionFramework, isFrameworkName, packageJson, paasConfigYaml,
  runtimeYaml, switchedCharmcraftYaml, type FrameworkName,
} from "./project.ts";

const USAGE = `Usage:
  ${PACKAGE_NAME} init --framework <${FRAMEWORK_NAMES.join("|")}> [--name NAME] [--runtime SPEC] [DIR]
      Writes a charm project for an existing app into DIR (default: the current directory).
  ${PACKAGE_NAME} adopt [--runtime SPEC] [--charmcraft PATH] [DIR]
      Switches a charm using charmcraft's <framework>-framework extension (Python paas-charm) to this runtime.
  ${PACKAGE_NAME} install [--arch amd64|arm64] DEST
      Installs dispatch and the charm binary into DEST (the charm part runs it).

--runtime: what the charm's package.json installs: a path to this package's .tgz (copied into the
project), or an npm version or spec (default: ^<this version>).`;

/** This package's root: the CLI runs as dist/cli.cjs (or from src/ in the repository). */
const packageRoot = join(dirname(realpathSync(process.argv[1]!)), "..");

function main(argv: string[]): void {
  const [command, ...rest] = argv;
  if (command === "init") init(rest);
  else if (command === "adopt") adopt(rest);
  else if (command === "install") install(rest);
  else if (command === "--help" || command === "-h" || command === "help") console.log(USAGE);
  else throw new UsageError(command ? `unknown command ${JSON.stringify(command)}` : "no command given");
}

class UsageError extends Error {}

function init(args: string[]): void {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { framework: { type: "string" }, name: { type: "string" }, runtime: { type: "string" } } });
  const framework = values.framework;
  if (!isFrameworkName(framework)) throw new UsageError(`--framework must be one of ${FRAMEWORK_NAMES.join(", ")}`);
  const dir = resolve(positionals[0] ?? ".");
  const name = values.name ?? basename(dir).toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^[^a-z]+/, "");
  if (existsSync(join(dir, "charmcraft.yaml"))) throw new Error(`${join(dir, "charmcraft.yaml")} exists: init writes a new charm project; use adopt for a charm made with charmcraft's extension`);
  mkdirSync(dir, { recursive: true });
  const charmcraft = charmcraftYaml(readFileSync(join(packageRoot, "templates", `${framework}.charmcraft.yaml`), "utf8"), name);
  writeFileSync(join(dir, "charmcraft.yaml"), charmcraft);
  writeFileSync(join(dir, "README.md"), authorReadme(name, framework, charmcraft));
  writeRuntimeFiles(dir, name, framework, values.runtime);
  console.log(`wrote a ${framework} charm project for ${name} in ${dir}: edit charmcraft.yaml, then run charmcraft pack`);
}

function adopt(args: string[]): void {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { runtime: { type: "string" }, charmcraft: { type: "string" } } });
  const dir = resolve(positionals[0] ?? ".");
  const path = join(dir, "charmcraft.yaml");
  if (!existsSync(path)) throw new Error(`${path} does not exist: run adopt in the charm's directory`);
  const framework = extensionFramework(readFileSync(path, "utf8"));
  const expanded = expandExtensions(dir, values.charmcraft ?? "charmcraft");
  const name = String(expanded.name);
  writeFileSync(path, switchedCharmcraftYaml(expanded));
  writeRuntimeFiles(dir, name, framework, values.runtime);
  console.log(`${name} now runs on ${PACKAGE_NAME}: charmcraft.yaml is expanded, with this runtime's charm part; `
    + "src/, lib/ and requirements.txt are no longer packed and may be removed");
}

/** charmcraft's own expansion of the project's extension (spring-boot-framework is experimental in 4.5.0). */
function expandExtensions(dir: string, charmcraft: string): Record<string, unknown> {
  try {
    const stdout = execFileSync(charmcraft, ["expand-extensions"], {
      cwd: dir, encoding: "utf8", env: { ...process.env, CHARMCRAFT_ENABLE_EXPERIMENTAL_EXTENSIONS: "1" }, stdio: ["ignore", "pipe", "pipe"],
    });
    return parse(stdout) as Record<string, unknown>;
  } catch (error) {
    const failed = error as Error & { stderr?: string };
    throw new Error(`${charmcraft} expand-extensions failed in ${dir} (install charmcraft, or give its path with --charmcraft):\n${failed.stderr || failed.message}`);
  }
}

/** runtime.yaml, package.json and (unless the charm has one) paas-config.yaml. */
function writeRuntimeFiles(dir: string, name: string, framework: FrameworkName, runtime: string | undefined): void {
  writeFileSync(join(dir, "runtime.yaml"), runtimeYaml(framework));
  if (!existsSync(join(dir, "paas-config.yaml"))) writeFileSync(join(dir, "paas-config.yaml"), paasConfigYaml(framework));
  writeFileSync(join(dir, "package.json"), packageJson(name, runtimeSpec(dir, runtime)));
}

/** A local tarball is copied into the project, so charmcraft's build (managed or not) finds it. */
function runtimeSpec(dir: string, runtime: string | undefined): string {
  if (runtime === undefined) return `^${(JSON.parse(readFileSync(join(packageRoot, "package.json"), "utf8")) as { version: string }).version}`;
  if (!runtime.endsWith(".tgz")) return runtime;
  if (!existsSync(runtime)) throw new Error(`--runtime ${runtime}: no such file`);
  copyFileSync(runtime, join(dir, basename(runtime)));
  return `file:${basename(runtime)}`;
}

function install(args: string[]): void {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { arch: { type: "string" } } });
  const arch = values.arch ?? (process.arch === "arm64" ? "arm64" : "amd64");
  if (arch !== "amd64" && arch !== "arm64") throw new UsageError(`--arch must be amd64 or arm64 (got ${arch})`);
  const dest = positionals[0];
  if (!dest) throw new UsageError("install needs the directory to install into");
  mkdirSync(dest, { recursive: true });
  for (const [from, to] of [["dispatch", "dispatch"], [`charm-${arch}`, "charm"]] as const) {
    const source = join(packageRoot, "dist", from);
    if (!existsSync(source) || !statSync(source).isFile()) throw new Error(`${source} is missing: reinstall ${PACKAGE_NAME}`);
    copyFileSync(source, join(dest, to));
    chmodSync(join(dest, to), 0o755);
  }
}

try {
  main(process.argv.slice(2));
} catch (error) {
  console.error(`${PACKAGE_NAME}: ${(error as Error).message}`);
  if (error instanceof UsageError) console.error(USAGE);
  process.exit(1);
}
