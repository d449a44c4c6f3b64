// charmcraft 4.5.0's framework extensions are the source of truth for a 12-factor charm's options,
// endpoints, containers, resources and actions. `charmcraft expand-extensions` of a project using the
// extension is compared with this project's charmcraft.yaml; every difference must be a row of the table in
// docs/compatibility.md ("## charmcraft.yaml and the framework extensions"), and every row a difference.
// The other frameworks' expansions are checked against what the runtime reads for them, and the
// charmcraft.yaml that `paas-charm-ts-runtime init` writes for each framework against charmcraft's own
// `init --profile` and `expand-extensions` output.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { parse } from "yaml";
import { CHARM_PART } from "../../runtime/src/project.ts";
import { FRAMEWORK_NAMES, FRAMEWORKS, isUserDefinedOption, type FrameworkName } from "../../src/paas/index.ts";
import { expandExtensions, runtimeTemplate } from "../support/charmcraft.ts";
import { repoRoot } from "../support/paths.ts";

type Yaml = Record<string, any>;

const dir = mkdtempSync(join(tmpdir(), "expand-extensions-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const project = parse(readFileSync(join(repoRoot, "charmcraft.yaml"), "utf8")) as Yaml;
/** What a charm author writes themselves around the extension: copied into every expanded project. */
const IDENTITY = ["name", "type", "title", "summary", "description", "base", "platforms", "links"];
/** Keys whose entries are compared one by one (`requires.postgresql`), so a table row names one entry. */
const ENTRY_KEYS = ["actions", "containers", "peers", "provides", "requires", "resources", "config.options"];

function expand(framework: string, extra: Yaml = {}): Promise<Yaml> {
  const input: Yaml = { extensions: [`${framework}-framework`], ...extra };
  for (const key of IDENTITY) if (project[key] !== undefined) input[key] = project[key];
  return expandExtensions(mkdtempSync(join(dir, `${framework}-`)), input);
}

function at(yaml: Yaml, path: string): Yaml | undefined {
  return path.split(".").reduce<Yaml | undefined>((node, key) => node?.[key], yaml);
}

/** Paths where the two differ: an entry of ENTRY_KEYS, else a top-level key. */
function differences(ours: Yaml, theirs: Yaml): string[] {
  const found: string[] = [];
  for (const path of ENTRY_KEYS) {
    const a = at(ours, path) ?? {};
    const b = at(theirs, path) ?? {};
    for (const name of new Set([...Object.keys(a), ...Object.keys(b)])) if (!isDeepStrictEqual(a[name], b[name])) found.push(`${path}.${name}`);
  }
  const entryRoots = new Set(ENTRY_KEYS.map((path) => path.split(".")[0]!));
  for (const key of new Set([...Object.keys(ours), ...Object.keys(theirs)])) {
    if (key === "extensions" || entryRoots.has(key)) continue;
    if (!isDeepStrictEqual(ours[key], theirs[key])) found.push(key);
  }
  const config = (yaml: Yaml) => Object.fromEntries(Object.entries(yaml.config ?? {}).filter(([key]) => key !== "options"));
  if (!isDeepStrictEqual(config(ours), config(theirs))) found.push("config");
  return found.sort();
}

/** The keys named (in backticks) in the first column of the section's table in docs/compatibility.md. */
function documentedDifferences(): string[] {
  const doc = readFileSync(join(repoRoot, "docs", "compatibility.md"), "utf8");
  const section = /^## charmcraft\.yaml and the framework extensions\n([\s\S]*?)(?=^## )/m.exec(doc)?.[1];
  assert.ok(section, "docs/compatibility.md has no '## charmcraft.yaml and the framework extensions' section");
  const rows = section.split("\n").filter((line) => line.startsWith("| `"));
  return rows.flatMap((row) => [...row.split("|")[1]!.matchAll(/`([^`]+)`/g)].map((match) => match[1]!)).sort();
}

test("charmcraft.yaml declares what the expressjs-framework extension expands to, differing only where docs/compatibility.md says", async () => {
  const own = await expand("expressjs");
  // The endpoints the project adds are what an extension user adds (charmcraft init's profile lists them):
  // given to the extension, they must come out unchanged, with the options it derives from them (oidc-*).
  const added = (key: string) => Object.fromEntries(Object.entries(project[key] ?? {}).filter(([name]) => own[key]?.[name] === undefined));
  const expanded = await expand("expressjs", { requires: added("requires"), provides: added("provides") });
  assert.deepEqual(differences(project, expanded), documentedDifferences());
});

/** What each option type of charmcraft's extensions may be read as by the framework's option model. */
const KINDS: Record<string, string[]> = {
  int: ["positiveInt"], boolean: ["bool"], string: ["string", "nonEmptyString", "enum", "urlScheme", "hostList"], secret: [], float: [],
};

/** The actions the runtime handles beyond rotate-secret-key, per framework (src/charm.ts). */
const FRAMEWORK_ACTIONS: Partial<Record<FrameworkName, string[]>> = { django: ["create-superuser"] };

const others: FrameworkName[] = ["flask", "django", "fastapi", "go", "spring-boot"];
for (const name of [...others, "expressjs" as const]) {
  test(`the ${name}-framework extension's options, endpoints, container and actions are what the runtime reads`, async () => {
    const framework = FRAMEWORKS[name];
    const expanded = await expand(name);
    for (const [option, declaration] of Object.entries(expanded.config.options as Record<string, Yaml>)) {
      assert.equal(isUserDefinedOption(framework, option), false, `${option}: the runtime would pass it to the app as a user-defined variable`);
      const field = framework.fields.find((candidate) => candidate.options.includes(option));
      if (!field) continue;
      assert.ok(KINDS[declaration.type]?.includes(field.type.kind), `${option}: declared ${declaration.type}, read as ${field.type.kind}`);
      if (declaration.default !== undefined && field.default !== undefined) assert.equal(declaration.default, field.default, `${option}: default`);
    }
    // The runtime serves the one container the charm declares and the endpoints this project declares.
    assert.equal(Object.keys(expanded.containers).length, 1);
    const [container] = Object.values(expanded.containers as Record<string, { resource: string }>);
    assert.equal(expanded.resources[container!.resource]?.type, "oci-image");
    for (const key of ["requires", "provides"]) {
      for (const [endpoint, spec] of Object.entries(expanded[key] as Record<string, { interface: string }>)) {
        assert.equal(project[key]?.[endpoint]?.interface, spec.interface, `${key}.${endpoint}`);
      }
    }
    assert.deepEqual(Object.keys(expanded.peers), Object.keys(project.peers));
    assert.deepEqual(Object.keys(expanded.actions).sort(), ["rotate-secret-key", ...(FRAMEWORK_ACTIONS[name] ?? [])].sort());
  });
}

/** Every commented-out entry of `requires` (what charmcraft init offers) uncommented. */
function uncommentRequires(text: string): string {
  const at = text.indexOf("  # Uncomment the integrations");
  return text.slice(0, at) + text.slice(at).replace(/^ {2}# (?=\S+:| {2}\S)/gm, "  ");
}

for (const name of FRAMEWORK_NAMES) {
  test(`init's ${name} charmcraft.yaml is charmcraft 4.5.0's init --profile and expand-extensions output, with the runtime's charm part`, async () => {
    const projectDir = mkdtempSync(join(dir, `init-${name}-`));
    const template = readFileSync(join(repoRoot, "runtime", "templates", `${name}.charmcraft.yaml`), "utf8");
    assert.equal(template, await runtimeTemplate(name, projectDir), `runtime/templates/${name}.charmcraft.yaml is stale: run node scripts/runtimeTemplates.ts`);
    // With the offered integrations uncommented, the file declares what charmcraft expands the profile to
    // with them uncommented: the same keys and values but for the charm part, the charm libraries and
    // `juju >= 3.6` assumed (as the example charm assumes it, docs/compatibility.md).
    const initYaml = readFileSync(join(projectDir, "charmcraft.yaml"), "utf8");
    const theirs = await expandExtensions(projectDir, parse(initYaml.replace(/^# (?=requires:| {2}\S| {4}\S)/gm, "")) as Yaml);
    const ours = parse(uncommentRequires(template)) as Yaml;
    assert.ok(Object.keys(ours.requires).length > Object.keys(parse(template).requires).length, "init offers integrations to uncomment");
    for (const key of new Set([...Object.keys(ours), ...Object.keys(theirs)])) {
      if (key === "parts" || key === "charm-libs" || key === "platforms") continue;
      assert.deepEqual(ours[key], key === "assumes" ? [...theirs.assumes, "juju >= 3.6"] : theirs[key], key);
    }
    assert.deepEqual(ours.parts, parse(CHARM_PART).parts);
    assert.deepEqual(Object.keys(ours.platforms), Object.keys(theirs.platforms));
  });
}
