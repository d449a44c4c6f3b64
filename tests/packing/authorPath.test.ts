// A charm author's path with the runtime as its npm package, from an empty directory: `npm pack` of
// runtime/ → `npx <tarball> init` → uncomment the PostgreSQL integration → the real `charmcraft pack`
// (charmcraft 4.5.0, destructive mode, installing the runtime from the tarball) → `juju deploy` with the
// app's rock → integrate PostgreSQL → active, and the app keeps what it is sent in PostgreSQL. And the path
// from paas-charm: charmcraft's own `init --profile flask-framework` project switched with `adopt`.
// `juju` is the simulator's (bin/juju); JUJU_SIM_HOME keeps its controller to this file.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { parse } from "yaml";
import { readZip } from "../../packing/zip.ts";
import { FRAMEWORK_NAMES, PACKAGE_NAME } from "../../runtime/src/project.ts";
import { charmcraftPack } from "../support/charmcraft.ts";
import { jujuCli } from "../support/jujuCli.ts";
import { charmcraftBin, repoRoot } from "../support/paths.ts";

const dir = mkdtempSync(join(tmpdir(), "author-path-"));
const juju = jujuCli(join(dir, "juju-home"), dir);
let tarball: string;

before(() => {
  const name = execFileSync("npm", ["pack", join(repoRoot, "runtime"), "--pack-destination", dir, "--silent"], { cwd: repoRoot, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  tarball = join(dir, name.trim().split("\n").at(-1)!);
  juju.ok("add-model", "author");
});
after(() => {
  juju.kill();
  rmSync(dir, { recursive: true, force: true });
});

/** The runtime's CLI as an author runs it: npx of the package, here its tarball. */
function runtimeCli(cwd: string, ...args: string[]): string {
  return execFileSync("npx", ["--yes", "--package", tarball, PACKAGE_NAME, ...args], { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

/**
 * What the author does in charmcraft.yaml: uncomments the `postgresql` integration offered as lines
 * starting with `prefix` (`  # ` in init's file, `#   ` under charmcraft init's commented `# requires:`).
 */
function uncommentPostgresql(project: string, prefix: string): void {
  const path = join(project, "charmcraft.yaml");
  const text = readFileSync(path, "utf8");
  const block = new RegExp(`^${prefix}postgresql:\\n(?:${prefix} .*\\n)+`, "m").exec(text);
  assert.ok(block, `charmcraft.yaml offers no commented postgresql integration:\n${text}`);
  const uncommented = text.replace(block[0], block[0].replaceAll(prefix, prefix.replace("# ", "")));
  writeFileSync(path, prefix.startsWith("#") ? uncommented.replace(/^# requires:$/m, "requires:") : uncommented);
}

/** charmcraft pack of `project`: the one .charm it writes, holding the runtime package's files. */
function pack(project: string, app: string): string {
  const scratch = mkdtempSync(join(dir, "pack-"));
  assert.deepEqual(charmcraftPack(project, scratch), [`${app}_amd64.charm`]);
  const entries = new Map(readZip(readFileSync(join(project, `${app}_amd64.charm`))).map((entry) => [entry.name, entry]));
  assert.deepEqual([...entries.keys()].filter((name) => !name.endsWith(".yaml") || name === "paas-config.yaml" || name === "runtime.yaml").sort(),
    ["charm", "dispatch", "paas-config.yaml", "runtime.yaml"]);
  const installed = join(project, "parts", "charm", "build", "node_modules", PACKAGE_NAME, "dist");
  assert.ok(entries.get("charm")!.data.equals(readFileSync(join(installed, "charm-amd64"))), "the charm is the package's prebuilt amd64 binary");
  assert.equal(entries.get("charm")!.mode & 0o777, 0o755);
  // The arm64 binary cannot run here: it must be an aarch64 executable with the charm injected (SEA fuse set).
  const arm64 = readFileSync(join(installed, "charm-arm64"));
  assert.equal(arm64.readUInt16LE(18), 183, "charm-arm64 is an aarch64 ELF executable");
  assert.ok(arm64.includes("NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2:1"), "charm-arm64 holds a single-executable application");
  return join(project, `${app}_amd64.charm`);
}

/** Deploys the charm with the app's rock, integrates PostgreSQL, and checks the app stores data there. */
async function deployWithPostgresql(charm: string, app: string, resource: string, rock: string, port: number): Promise<void> {
  juju.ok("deploy", "--model", "author", charm, app, "--resource", `${resource}=${join(repoRoot, "tests", "apps", rock)}`);
  const unit = () => juju.status("author").applications[app].units[`${app}/0`];
  assert.deepEqual(unit()["workload-status"].current, "blocked");
  assert.equal(unit()["workload-status"].message, "missing integrations: postgresql");
  juju.ok("integrate", "--model", "author", app, `${app}-db:database`);
  assert.equal(unit()["workload-status"].current, "active", JSON.stringify(unit()));

  const url = `http://${unit().address}:${port}`;
  const value = `kept by ${app}`;
  const created = await fetch(`${url}/items`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ value }), signal: AbortSignal.timeout(10_000) });
  assert.equal(created.status, 201, await created.clone().text());
  const listed = (await (await fetch(`${url}/items`, { signal: AbortSignal.timeout(10_000) })).json()) as Array<{ value: string }>;
  assert.deepEqual(listed.map((item) => item.value), [value]);
}

test("the package holds the runtime only: the two binaries, dispatch, the CLI and init's templates", () => {
  const files = execFileSync("tar", ["-tzf", tarball], { encoding: "utf8" }).trim().split("\n").sort();
  assert.deepEqual(files, [
    "package/dist/charm-amd64", "package/dist/charm-arm64", "package/dist/cli.cjs", "package/dist/dispatch", "package/package.json",
    ...FRAMEWORK_NAMES.map((framework) => `package/templates/${framework}.charmcraft.yaml`),
  ].sort());
});

const cases = [
  { framework: "flask", resource: "flask-app-image", port: 8000 },
  { framework: "go", resource: "app-image", port: 8080 },
];

for (const { framework, resource, port } of cases) {
  test(`${framework}: init in an empty directory, charmcraft pack, deploy with the rock and PostgreSQL`, { timeout: 900_000 }, async () => {
    const app = `${framework}-k8s`;
    const project = join(dir, `${framework}-charm`);
    mkdirSync(project);
    runtimeCli(project, "init", "--framework", framework, "--name", app, "--runtime", tarball);
    assert.deepEqual(readdirSync(project).sort(), ["README.md", "charmcraft.yaml", "package.json", "paas-config.yaml", basename(tarball), "runtime.yaml"].sort());
    assert.equal(parse(readFileSync(join(project, "runtime.yaml"), "utf8")).framework, framework);
    uncommentPostgresql(project, "  # ");
    const charm = pack(project, app);
    juju.ok("deploy", "--model", "author", "postgresql-k8s", `${app}-db`, "--trust");
    await deployWithPostgresql(charm, app, resource, framework, port);
  });
}

test("from paas-charm: charmcraft's init --profile flask-framework project, switched with adopt, packs and deploys", { timeout: 900_000 }, async () => {
  const app = "flask-paas";
  const project = join(dir, app);
  mkdirSync(project);
  execFileSync(charmcraftBin, ["init", "--profile", "flask-framework", "--name", app], { cwd: project, stdio: "ignore" });
  uncommentPostgresql(project, "#   ");
  const before = parse(readFileSync(join(project, "charmcraft.yaml"), "utf8"));
  runtimeCli(project, "adopt", "--runtime", tarball, "--charmcraft", charmcraftBin);
  const after = parse(readFileSync(join(project, "charmcraft.yaml"), "utf8"));
  // The charm keeps what it declared: its endpoints, and the extension's options, container and resource.
  assert.deepEqual(after.requires.postgresql, before.requires.postgresql);
  assert.equal(after.extensions, undefined);
  assert.equal(after["charm-libs"], undefined);
  assert.deepEqual(after.assumes, ["k8s-api", "juju >= 3.6"]);
  assert.deepEqual(after.parts.charm.prime, ["dispatch", "charm", "paas-config.yaml", "runtime.yaml"]);
  const charm = pack(project, app);
  juju.ok("deploy", "--model", "author", "postgresql-k8s", `${app}-db`, "--trust");
  await deployWithPostgresql(charm, app, "flask-app-image", "flask", 8000);
});
