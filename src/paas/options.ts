// Charm config → what the app gets: framework settings (§2.2), user-defined options (§2.4-2.5) and the
// operator's secret key (§6.2), with every problem collected into one Blocked message that names the
// options (sorted, without paas-charm's 8-space artefact).
import { isUserDefinedOption, type Framework, type FrameworkField } from "./frameworks.ts";
import type { PaasConfig } from "./paasConfig.ts";

export type ConfigValue = string | number | boolean;

export interface OptionDecl {
  type: "string" | "int" | "float" | "boolean" | "secret";
  default?: ConfigValue;
  optional?: boolean;
}

export interface ConfigInput {
  framework: Framework;
  paasConfig: PaasConfig;
  config: Record<string, ConfigValue>;
  declarations: Record<string, OptionDecl>;
  /** Content of each set secret-typed option; undefined when the secret could not be read. */
  secrets: Record<string, Record<string, string> | undefined>;
}

export interface ResolvedConfig {
  /** Framework settings by field name (unset ones absent). */
  fields: Record<string, ConfigValue | string[]>;
  port: number;
  metricsPort: number;
  metricsPath: string;
  /** The operator's secret key, when one is configured. */
  secretKey?: string;
  userEnv: Record<string, string>;
  /** Why options are invalid, for the log (no values). */
  reasons: string[];
  missing: string[];
  invalid: string[];
}

export function resolveConfig(input: ConfigInput): ResolvedConfig {
  const { framework, config, paasConfig } = input;
  const result: ResolvedConfig = { fields: {}, port: framework.defaultPort, metricsPort: framework.defaultMetricsPort, metricsPath: framework.defaultMetricsPath, userEnv: {}, reasons: [], missing: [], invalid: [] };
  const invalid = (option: string, reason: string) => {
    if (!result.invalid.includes(option)) result.invalid.push(option);
    result.reasons.push(`${option}: ${reason}`);
  };

  for (const field of framework.fields) {
    const fromPaasConfig = field.paasConfigKey ? paasConfig[field.paasConfigKey] : undefined;
    const option = field.options.find((name) => config[name] !== undefined);
    const raw = fromPaasConfig ?? (option !== undefined ? config[option] : field.default);
    if (raw === undefined) continue;
    const checked = checkField(field, raw);
    if ("error" in checked) invalid(option ?? field.options[0]!, checked.error);
    else result.fields[field.field] = checked.value;
  }
  if (typeof result.fields.port === "number") result.port = result.fields.port;

  const metricsPort = paasConfig.metricsPort ?? config["metrics-port"];
  if (metricsPort !== undefined) {
    if (typeof metricsPort === "number" && Number.isInteger(metricsPort) && metricsPort > 0 && metricsPort < 65536) result.metricsPort = metricsPort;
    else invalid("metrics-port", "must be a port number");
  }
  const metricsPath = paasConfig.metricsPath ?? config["metrics-path"];
  if (metricsPath !== undefined) result.metricsPath = String(metricsPath) || "/metrics";

  resolveSecretKey(input, result, invalid);

  for (const [option, decl] of Object.entries(input.declarations)) {
    if (!isUserDefinedOption(framework, option)) continue;
    const value = config[option];
    if (value === undefined) {
      if (decl.optional === false) result.missing.push(option);
      continue;
    }
    const name = `${framework.configPrefix}${envName(option)}`;
    if (decl.type === "secret") {
      const content = input.secrets[option];
      if (!content) {
        invalid(option, "the secret does not exist or is not granted to this application (juju grant-secret)");
        continue;
      }
      for (const [key, item] of Object.entries(content)) result.userEnv[`${name}_${envName(key)}`] = item;
    } else {
      result.userEnv[name] = typeof value === "string" ? value : JSON.stringify(value);
    }
  }
  result.missing.sort();
  result.invalid.sort();
  return result;
}

/** `missing options: a, b, invalid options: c`, or undefined when the config is usable. */
export function configProblemMessage(resolved: ResolvedConfig): string | undefined {
  const parts: string[] = [];
  if (resolved.missing.length) parts.push(`missing options: ${resolved.missing.join(", ")}`);
  if (resolved.invalid.length) parts.push(`invalid options: ${resolved.invalid.join(", ")}`);
  return parts.length ? parts.join(", ") : undefined;
}

function resolveSecretKey(input: ConfigInput, result: ResolvedConfig, invalid: (option: string, reason: string) => void): void {
  const { framework, config } = input;
  const plain = framework.secretKeyOptions.find((o) => config[o] !== undefined);
  const byId = framework.secretKeyIdOptions.find((o) => config[o] !== undefined && config[o] !== "");
  if (plain !== undefined && byId !== undefined) {
    invalid(byId, `${byId} and ${plain} are both set: set one of them`);
    return;
  }
  if (plain !== undefined) {
    const value = config[plain];
    if (typeof value !== "string" || value === "") invalid(plain, "must not be empty");
    else result.secretKey = value;
    return;
  }
  if (byId === undefined) return;
  const content = input.secrets[byId];
  if (!content) invalid(byId, "the secret does not exist or is not granted to this application (juju grant-secret)");
  else if (Object.keys(content).length > 1) invalid(byId, "the secret holds several keys: it must hold only `value`");
  else if (!content.value) invalid(byId, "the secret has no `value` key");
  else result.secretKey = content.value;
}

function checkField(field: FrameworkField, raw: ConfigValue): { value: ConfigValue | string[] } | { error: string } {
  switch (field.kind) {
    case "bool":
      return typeof raw === "boolean" ? { value: raw } : { error: "must be true or false" };
    case "positiveInt":
      return typeof raw === "number" && Number.isInteger(raw) && raw > 0 ? { value: raw } : { error: "must be an integer greater than 0" };
    case "string":
      return { value: String(raw) };
    case "nonEmptyString":
      return typeof raw === "string" && raw.length > 0 ? { value: raw } : { error: "must not be empty" };
    case "enum":
      return typeof raw === "string" && field.values!.includes(raw) ? { value: raw } : { error: `must be one of ${field.values!.join(", ")}` };
    case "urlScheme":
      return typeof raw === "string" && /^(HTTP|HTTPS)$/i.test(raw) ? { value: raw.toUpperCase() } : { error: "must be HTTP or HTTPS" };
    case "hostList":
      return { value: String(raw).split(",").map((h) => h.trim()).filter(Boolean) };
  }
}

/** `secret-test` → `SECRET_TEST`, `foo-bar` → `FOO_BAR`. */
export function envName(option: string): string {
  return option.replaceAll("-", "_").toUpperCase();
}
