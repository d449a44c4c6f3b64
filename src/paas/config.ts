// Charm config → what the app gets (docs/paas-charm-contract.md §2): framework settings, the app and metrics ports,
// the operator's secret key (§6.2) and user-defined options (§2.4-2.5). Every problem is collected, never
// thrown, so any framework's bad config becomes one Blocked status naming the options (docs/compatibility.md).
import {
  frameworkFieldNames, frameworkOptions, reservedPrefixes,
  type ConfigValue, type Framework, type FrameworkField, type SettingValue,
} from "./frameworks/index.ts";
import { MAX_ENV_ENTRY_BYTES } from "./integrations/providerData.ts";
import type { PaasConfig } from "./paasConfig.ts";
import { RESOURCE_OPTIONS, desiredResources } from "./resources.ts";

/** One `config.options` entry of the charm's metadata. */
export interface OptionDecl {
  type: string;
  default?: ConfigValue;
  /** charmcraft's `optional: false` marks an option the operator must set. */
  optional?: boolean;
}

/** The content of each set secret-typed option; undefined when the charm cannot read the secret. */
export type ConfigSecrets = Readonly<Record<string, Readonly<Record<string, string>> | undefined>>;

export interface ConfigInput {
  framework: Framework;
  paasConfig: PaasConfig;
  /** Values as Juju reports them: set options and those with a default. */
  config: Readonly<Record<string, ConfigValue>>;
  declarations: Readonly<Record<string, OptionDecl>>;
  secrets: ConfigSecrets;
}

export interface ConfigProblems {
  missing: string[];
  invalid: string[];
  /** One line per problem, `<option>: <why>`, for the log; never a value. */
  reasons: string[];
}

export interface ResolvedConfig extends ConfigProblems {
  /** Validated framework settings by field name; unset ones are absent. */
  settings: Record<string, SettingValue>;
  port: number;
  metricsPort: number;
  metricsPath: string;
  /** The operator's secret key (§6.2), when one is configured and valid. */
  operatorSecretKey?: string;
  /** §2.5: user-defined options as `<P><NAME>` variables, secret options flattened. */
  userEnv: Record<string, string>;
}

export function resolveConfig(input: ConfigInput): ResolvedConfig {
  const { framework: fw, config, paasConfig } = input;
  const problems = newProblems();
  const settings: Record<string, SettingValue> = {};
  for (const field of fw.fields) {
    const option = field.options.find((name) => config[name] !== undefined);
    const raw = option === undefined ? field.default : config[option];
    if (raw === undefined) continue;
    const checked = checkSetting(field, raw);
    if ("error" in checked) addInvalid(problems, option ?? field.options[0]!, checked.error);
    else settings[field.field] = checked.value;
  }
  const port = pickPort(fw.portOptions, paasConfig.port, config, input.declarations, fw.defaultPort, problems);
  const metricsPort = pickPort(fw.metricsOptions ? ["metrics-port"] : [], paasConfig.metricsPort, config, input.declarations, fw.defaultMetricsPort, problems);
  const metricsPath = metricsPathOf(fw, paasConfig, config);
  const operatorSecretKey = resolveOperatorSecretKey(fw, config, input.secrets, problems);
  const userEnv = resolveUserOptions(input, problems);
  const resources = desiredResources(config);
  if (!resources.ok) for (const { option, reason } of resources.invalid) addInvalid(problems, option, reason);
  for (const [option, value] of Object.entries(config)) {
    const problem = typeof value === "string" ? unreachableValue(value) : undefined;
    if (problem) addInvalid(problems, option, problem);
  }
  for (const [option, content] of Object.entries(input.secrets)) {
    const problem = Object.values(content ?? {}).map(unreachableValue).find(Boolean);
    if (problem) addInvalid(problems, option, `the secret's content ${problem}`);
  }
  return {
    settings, port, metricsPort, metricsPath, userEnv,
    ...(operatorSecretKey !== undefined ? { operatorSecretKey } : {}),
    ...sortedProblems(problems),
  };
}

function metricsPathOf(fw: Framework, paasConfig: PaasConfig, config: Readonly<Record<string, ConfigValue>>): string {
  const option = fw.metricsOptions ? config["metrics-path"] : undefined;
  return paasConfig.metricsPath ?? (typeof option === "string" ? option : fw.defaultMetricsPath);
}

/** §2.6 without paas-charm's 8-space artefact, names sorted: `missing options: a, b, invalid options: c`. */
export function configProblemMessage(problems: Pick<ConfigProblems, "missing" | "invalid">): string | undefined {
  const parts: string[] = [];
  const missing = [...new Set(problems.missing)].sort();
  const invalid = [...new Set(problems.invalid)].sort();
  if (missing.length) parts.push(`missing options: ${missing.join(", ")}`);
  if (invalid.length) parts.push(`invalid options: ${invalid.join(", ")}`);
  return parts.length ? parts.join(", ") : undefined;
}

/** §2.4 and the framework's own unprefixed options (ports, metrics, NODE_ENV, secret key of either generation). */
export function isUserDefinedOption(fw: Framework, option: string): boolean {
  // The workload container's Kubernetes resources: for the pod, not the app's environment.
  if ((RESOURCE_OPTIONS as readonly string[]).includes(option)) return false;
  if (reservedPrefixes(fw).some((prefix) => option.startsWith(prefix))) return false;
  if (frameworkOptions(fw).has(option)) return false;
  // paas-charm drops user keys equal to a framework model field (e.g. Flask `secret-key`, Go `port`).
  return !frameworkFieldNames(fw).has(option.replaceAll("-", "_"));
}

/** `secret-test` → `SECRET_TEST`. */
export function envName(option: string): string {
  return option.replaceAll("-", "_").toUpperCase();
}

function resolveUserOptions(input: ConfigInput, problems: ConfigProblems): Record<string, string> {
  const { framework: fw, config } = input;
  const env: Record<string, string> = {};
  for (const [option, decl] of Object.entries(input.declarations)) {
    if (!isUserDefinedOption(fw, option)) continue;
    const value = config[option];
    if (value === undefined || (decl.type === "secret" && value === "")) {
      if (decl.optional === false) addMissing(problems, option, "required (optional: false) but not set");
      continue;
    }
    const name = `${fw.userPrefix}${envName(option)}`;
    if (decl.type === "secret") {
      const content = input.secrets[option];
      if (content === undefined) {
        addInvalid(problems, option, unreadableSecret());
        continue;
      }
      for (const [key, item] of Object.entries(content)) env[`${name}_${envName(key)}`] = item;
      continue;
    }
    const typeError = checkDeclaredType(decl.type, value);
    if (typeError) addInvalid(problems, option, typeError);
    else env[name] = typeof value === "string" ? value : JSON.stringify(value);
  }
  return env;
}

function checkDeclaredType(type: string, value: ConfigValue): string | undefined {
  switch (type) {
    case "string": return typeof value === "string" ? undefined : "must be a string";
    case "int": return Number.isInteger(value) ? undefined : "must be an integer";
    case "float": return typeof value === "number" ? undefined : "must be a number";
    case "boolean": return typeof value === "boolean" ? undefined : "must be true or false";
    default: return `declared with type ${JSON.stringify(type)}; use string, int, float, boolean or secret`;
  }
}

/** §6.2: one of the plain or Juju-secret options; a secret must hold exactly one key, `value`. */
function resolveOperatorSecretKey(fw: Framework, config: ConfigInput["config"], secrets: ConfigSecrets, problems: ConfigProblems): string | undefined {
  const plain = fw.secretKey.options.filter((option) => config[option] !== undefined);
  const byId = fw.secretKey.idOptions.filter((option) => config[option] !== undefined && config[option] !== "");
  const set = [...plain, ...byId];
  if (set.length > 1) {
    for (const option of set) addInvalid(problems, option, `${set.join(" and ")} are all set: set only one of them`);
    return undefined;
  }
  const [plainOption] = plain;
  if (plainOption !== undefined) {
    const value = config[plainOption];
    if (typeof value === "string" && value !== "") return value;
    addInvalid(problems, plainOption, "must be a non-empty string");
    return undefined;
  }
  const [idOption] = byId;
  if (idOption === undefined) return undefined;
  const content = secrets[idOption];
  const keys = content ? Object.keys(content) : [];
  if (content === undefined) addInvalid(problems, idOption, unreadableSecret());
  else if (!keys.includes("value")) addInvalid(problems, idOption, "the secret content has no 'value' key: create it with `juju add-secret <name> value=<key>`");
  else if (keys.length > 1) addInvalid(problems, idOption, "the secret contains multiple values: it must hold only 'value'");
  else if (!content.value) addInvalid(problems, idOption, "the secret's 'value' is empty");
  else return content.value;
  return undefined;
}

/**
 * paas-config.yaml's port, else the framework's port options in order — one the operator set (its value
 * is not its default) before one that only has a default, so a charm declaring both `port` and
 * `app-port` follows whichever was changed — else the framework default.
 */
function pickPort(
  options: readonly string[], fromPaasConfig: number | undefined, config: ConfigInput["config"],
  declarations: ConfigInput["declarations"], fallback: number, problems: ConfigProblems,
): number {
  if (fromPaasConfig !== undefined) return fromPaasConfig;
  const valued = options.filter((name) => config[name] !== undefined);
  const option = valued.find((name) => config[name] !== declarations[name]?.default) ?? valued[0];
  if (option === undefined) return fallback;
  const value = config[option];
  if (typeof value === "number" && Number.isInteger(value) && value >= 1 && value <= 65535) return value;
  addInvalid(problems, option, "must be a port number from 1 to 65535");
  return fallback;
}

function checkSetting(field: FrameworkField, raw: ConfigValue): { value: SettingValue } | { error: string } {
  const type = field.type;
  switch (type.kind) {
    case "bool":
      return typeof raw === "boolean" ? { value: raw } : { error: "must be true or false" };
    case "positiveInt":
      return typeof raw === "number" && Number.isInteger(raw) && raw > 0 ? { value: raw } : { error: "must be an integer greater than 0" };
    case "string":
      return { value: String(raw) };
    case "nonEmptyString":
      return typeof raw === "string" && raw !== "" ? { value: raw } : { error: "must be a non-empty string" };
    case "enum":
      return typeof raw === "string" && type.values.includes(raw) ? { value: raw } : { error: `must be one of ${type.values.join(", ")}` };
    case "urlScheme":
      return typeof raw === "string" && /^https?$/i.test(raw) ? { value: raw.toUpperCase() } : { error: "must be HTTP or HTTPS" };
    case "hostList":
      return typeof raw === "string" ? { value: raw.split(",").map((host) => host.trim()).filter(Boolean) } : { error: "must be a comma-separated list of hosts" };
  }
}

/** Why a text value cannot reach the app's process: execve cuts it at a NUL, or rejects it as too long. */
function unreachableValue(value: string): string | undefined {
  if (value.includes("\u0000")) return "contains a NUL character, which an environment variable cannot hold";
  if (Buffer.byteLength(value) >= MAX_ENV_ENTRY_BYTES) return `is ${Buffer.byteLength(value)} bytes, more than an environment variable can hold (${MAX_ENV_ENTRY_BYTES})`;
  return undefined;
}

function unreadableSecret(): string {
  return "the secret cannot be read: check the secret id and run `juju grant-secret <secret> <app>`";
}

function newProblems(): ConfigProblems {
  return { missing: [], invalid: [], reasons: [] };
}

function addInvalid(problems: ConfigProblems, option: string, reason: string): void {
  if (!problems.invalid.includes(option)) problems.invalid.push(option);
  problems.reasons.push(`${option}: ${reason}`);
}

function addMissing(problems: ConfigProblems, option: string, reason: string): void {
  problems.missing.push(option);
  problems.reasons.push(`${option}: ${reason}`);
}

function sortedProblems(problems: ConfigProblems): ConfigProblems {
  return { missing: [...problems.missing].sort(), invalid: [...problems.invalid].sort(), reasons: problems.reasons };
}
