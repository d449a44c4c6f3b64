// The files of a charm project run by this runtime: charmcraft.yaml (charmcraft 4.5.0's expansion of the
// framework's extension, with this runtime's charm part), package.json naming the runtime package,
// runtime.yaml naming the framework, paas-config.yaml, and a README for the charm's author.
import { parse, stringify } from "yaml";
import { FRAMEWORK_NAMES, isFrameworkName, type FrameworkName } from "../../src/paas/frameworks/index.ts";

export const PACKAGE_NAME = "paas-charm-ts-runtime";
export { FRAMEWORK_NAMES, isFrameworkName, type FrameworkName };

/** The charm part that replaces the extension's Python one: the runtime package's files, nothing built. */
export const CHARM_PART = `parts:
  charm:
    # The paas-charm-ts runtime instead of the extension's Python charm: npm installs the
    # ${PACKAGE_NAME} package that package.json names, and its dispatch and prebuilt charm binary
    # for the architecture being built for are primed with paas-config.yaml and runtime.yaml.
    plugin: nil
    source: .
    build-packages:
    - npm
    override-build: |
      npm install --no-audit --no-fund
      node_modules/.bin/${PACKAGE_NAME} install --arch "$CRAFT_ARCH_BUILD_FOR" "$CRAFT_PART_INSTALL"
      install -m 0644 paas-config.yaml runtime.yaml "$CRAFT_PART_INSTALL/"
    prime:
    - dispatch
    - charm
    - paas-config.yaml
    - runtime.yaml
`;

/** What charmcraft's extension adds that this runtime does not use: its Python part and charm libraries. */
const PYTHON_ONLY_KEYS = ["parts", "charm-libs"];
/** The Juju whose hook tools and secrets the runtime uses, added to the extension's `assumes: [k8s-api]`. */
const JUJU_ASSUMPTION = "juju >= 3.6";

function withJujuAssumption(assumes: unknown): unknown[] {
  const list = Array.isArray(assumes) ? assumes : [];
  return list.includes(JUJU_ASSUMPTION) ? list : [...list, JUJU_ASSUMPTION];
}

/** What the author writes around the extension, kept at the top of charmcraft.yaml as charmcraft init writes it. */
const IDENTITY_KEYS = ["name", "type", "title", "summary", "description", "base", "platforms", "links", "extensions"];

/**
 * charmcraft.yaml for `init`, from charmcraft 4.5.0's own texts: `initYaml` is what `charmcraft init
 * --profile <framework>-framework` writes, `expanded` what `charmcraft expand-extensions` makes of it. The
 * expansion replaces `extensions:`, with `juju >= 3.6` assumed; the endpoints charmcraft init offers,
 * commented out, stay offered as commented-out entries of `requires`.
 */
export function charmcraftYamlTemplate(initYaml: string, expanded: Record<string, unknown>): string {
  const lines = initYaml.trimEnd().split("\n");
  const extensionsAt = lines.findIndex((line) => line.startsWith("extensions:"));
  if (extensionsAt < 0) throw new Error("charmcraft init's charmcraft.yaml has no extensions: key");
  let end = extensionsAt + 1;
  while (end < lines.length && /^\s+-/.test(lines[end]!)) end++;
  const header = lines.slice(0, extensionsAt);
  const offered = lines.slice(end).filter((line) => line.startsWith("#"));
  const derived = Object.fromEntries(Object.entries(expanded).filter(([key]) => !IDENTITY_KEYS.includes(key) && !PYTHON_ONLY_KEYS.includes(key)));
  const { requires, ...rest } = derived;
  rest.assumes = withJujuAssumption(rest.assumes);
  return [
    ...header,
    stringify(rest, { lineWidth: 0, indentSeq: false }).trimEnd(),
    stringify({ requires }, { lineWidth: 0, indentSeq: false }).trimEnd(),
    ...commentedEntries(offered),
    "",
    CHARM_PART,
  ].join("\n");
}

/**
 * charmcraft init's commented `# requires:` block, as entries of the expansion's own `requires` (a second
 * `requires:` key would be invalid once uncommented): the explanation first, then each entry.
 */
function commentedEntries(block: string[]): string[] {
  const start = block.findIndex((line) => /^# requires:\s*$/.test(line));
  if (start < 0) return [];
  const explanation = block.slice(0, start).map((line) => `  ${line}`);
  // `#   mysql:` becomes `  # mysql:`: uncommented, it is an entry of `requires`.
  const entries = block.slice(start + 1).map((line) => `  # ${line.replace(/^# {3}/, "")}`);
  return [...explanation, ...entries];
}

/** `template` with the charm's name. */
export function charmcraftYaml(template: string, name: string): string {
  if (!/^[a-z][a-z0-9-]*$/.test(name)) throw new Error(`invalid charm name ${JSON.stringify(name)}: use lowercase letters, digits and dashes, starting with a letter`);
  return template.replace(/^name: .*$/m, `name: ${name}`);
}

/** runtime.yaml: where this runtime reads the framework (paas-config.yaml stays as paas-charm reads it). */
export function runtimeYaml(framework: FrameworkName): string {
  return `# The paas-charm-ts runtime's settings, beside paas-charm's own paas-config.yaml.
# framework: the framework this charm runs.
framework: ${framework}
# A path the workload check requests over HTTP, instead of only connecting to the app's port:
# health-check-path: /
`;
}

/** paas-config.yaml as paas-charm 1.12.3 reads it (no key of this runtime's): every key optional, all offered commented out. */
export function paasConfigYaml(framework: FrameworkName): string {
  const logging = ["flask", "django", "fastapi"].includes(framework)
    ? "# Structured (JSON) logs from the app server: none or json.\n# framework_logging_format: json\n"
    : "";
  return `# Read by the charm at start-up, as paas-charm reads it; every key is optional.
# The app's port and its Prometheus metrics, when they differ from the framework's defaults:
# port: 8080
# metrics-port: 8080
# metrics-path: /metrics
${logging}# More Prometheus scrape jobs, published on the metrics-endpoint relation:
# prometheus:
#   scrape_configs:
#   - job_name: my-job
#     metrics_path: /metrics
#     static_configs:
#     - targets: ["*:9100"]
`;
}

/** package.json of the charm project: the runtime it installs when charmcraft packs it. */
export function packageJson(name: string, runtimeSpec: string): string {
  return `${JSON.stringify({
    name, private: true, description: `The ${name} charm's runtime, installed by its charm part when charmcraft packs it.`,
    dependencies: { [PACKAGE_NAME]: runtimeSpec },
  }, null, 2)}\n`;
}

/** The framework a project using charmcraft's `<framework>-framework` extension runs. */
export function extensionFramework(charmcraftYamlText: string): FrameworkName {
  const project = parse(charmcraftYamlText) as { extensions?: unknown } | null;
  const extensions = Array.isArray(project?.extensions) ? project.extensions : [];
  const frameworks = extensions.map((name) => String(name).replace(/-framework$/, "")).filter(isFrameworkName);
  if (frameworks.length !== 1) {
    throw new Error(`charmcraft.yaml must use one of charmcraft's ${FRAMEWORK_NAMES.map((f) => `${f}-framework`).join(", ")} extensions (extensions: ${JSON.stringify(extensions)})`);
  }
  return frameworks[0]!;
}

/**
 * An expanded paas-charm project switched to this runtime: the Python charm part and the charm libraries
 * replaced by this runtime's part, `juju >= 3.6` assumed; every option, endpoint, container, resource and
 * action kept as they are.
 */
export function switchedCharmcraftYaml(expanded: Record<string, unknown>): string {
  const kept = Object.fromEntries(Object.entries(expanded).filter(([key]) => !PYTHON_ONLY_KEYS.includes(key)));
  kept.assumes = withJujuAssumption(kept.assumes);
  return `${stringify(kept, { lineWidth: 0, indentSeq: false }).trimEnd()}\n${CHARM_PART}`;
}

/** The README `init` writes for the charm's author. */
export function authorReadme(name: string, framework: FrameworkName, charmcraftYamlText: string): string {
  const project = parse(charmcraftYamlText) as { containers: Record<string, { resource: string }> };
  const [container, { resource }] = Object.entries(project.containers)[0]!;
  return `# ${name}

A Juju Kubernetes charm for a ${framework} app, run by the paas-charm-ts runtime (${PACKAGE_NAME}):
the same options, environment variables, integrations, statuses and actions as a charm made with
charmcraft's \`${framework}-framework\` extension and Canonical's Python paas-charm.

## Files
- \`charmcraft.yaml\`: what \`charmcraft expand-extensions\` gives for the \`${framework}-framework\` extension
  (charmcraft 4.5.0), with this runtime's \`charm\` part. Edit \`name\`, \`summary\` and \`description\`;
  uncomment the integrations your app uses under \`requires\` (\`optional: false\` keeps the charm
  blocked until the integration exists); add your own options under \`config.options\` (each reaches
  the app as an environment variable, named as paas-charm names it).
- \`runtime.yaml\`: the framework this charm runs.
- \`paas-config.yaml\`: optional settings (port, metrics, scrape jobs), as paas-charm reads them.
- \`package.json\`: the runtime version the \`charm\` part installs.

## Pack and deploy
The app's rock comes from \`rockcraft pack\` with the \`${framework}-framework\` extension, in the app's directory.

\`\`\`sh
charmcraft pack
juju deploy ./${name}_amd64.charm --resource ${resource}=<your registry>/<rock image>
juju integrate ${name} postgresql-k8s   # for each integration you declared
\`\`\`

The workload container is \`${container}\`; \`juju config ${name}\` lists the options.
`;
}
