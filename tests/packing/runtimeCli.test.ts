// The runtime package's CLI (runtime/src/cli.ts, run from source) as an author meets it: what init writes
// for each framework, and the errors that say what to do instead.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { FRAMEWORK_NAMES } from "../../runtime/src/project.ts";
import { repoRoot } from "../support/paths.ts";

const dir = mkdtempSync(join(tmpdir(), "runtime-cli-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function cli(cwd: string, ...args: string[]): { code: number; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [join(repoRoot, "runtime", "src", "cli.ts"), ...args], { cwd, encoding: "utf8", env: { ...process.env, NODE_NO_WARNINGS: "1" } });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

for (const framework of FRAMEWORK_NAMES) {
  test(`init --framework ${framework}: the framework's charmcraft.yaml named for the app, runtime.yaml, paas-config.yaml of paas-charm's keys`, () => {
    const project = join(dir, framework);
    const result = cli(dir, "init", "--framework", framework, "--name", "my-app", "--runtime", "0.1.0", project);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(readdirSync(project).sort(), ["README.md", "charmcraft.yaml", "package.json", "paas-config.yaml", "runtime.yaml"].sort());
    const charmcraft = parse(readFileSync(join(project, "charmcraft.yaml"), "utf8"));
    const template = parse(readFileSync(join(repoRoot, "runtime", "templates", `${framework}.charmcraft.yaml`), "utf8"));
    assert.deepEqual(charmcraft, { ...template, name: "my-app" });
    assert.deepEqual(parse(readFileSync(join(project, "runtime.yaml"), "utf8")), { framework });
    // paas-charm 1.12.3 refuses keys it does not know: every key is offered commented out.
    assert.equal(parse(readFileSync(join(project, "paas-config.yaml"), "utf8")), null);
    assert.deepEqual(JSON.parse(readFileSync(join(project, "package.json"), "utf8")).dependencies, { "paas-charm-ts-runtime": "0.1.0" });
  });
}

test("init refuses a directory holding a charm already, pointing at adopt", () => {
  const project = join(dir, "existing");
  mkdirSync(project);
  writeFileSync(join(project, "charmcraft.yaml"), "name: existing\n");
  const result = cli(dir, "init", "--framework", "flask", project);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /charmcraft\.yaml exists: init writes a new charm project; use adopt/);
  assert.equal(readFileSync(join(project, "charmcraft.yaml"), "utf8"), "name: existing\n");
});

test("an unknown framework or architecture is refused with the accepted values and the usage", () => {
  const framework = cli(dir, "init", "--framework", "rails", join(dir, "rails"));
  assert.equal(framework.code, 1);
  assert.match(framework.stderr, /--framework must be one of flask, django, fastapi, go, expressjs, spring-boot\nUsage:/);
  const arch = cli(dir, "install", "--arch", "s390x", join(dir, "out"));
  assert.equal(arch.code, 1);
  assert.match(arch.stderr, /--arch must be amd64 or arm64 \(got s390x\)/);
});

test("adopt refuses a charm that uses no framework extension, naming the extensions it takes", () => {
  const project = join(dir, "plain");
  mkdirSync(project);
  writeFileSync(join(project, "charmcraft.yaml"), "name: plain\ntype: charm\n");
  const result = cli(dir, "adopt", project);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /charmcraft\.yaml must use one of charmcraft's flask-framework, .*spring-boot-framework extensions \(extensions: \[\]\)/);
});
