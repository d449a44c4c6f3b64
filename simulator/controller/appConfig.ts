// `juju config`: the JSON Juju prints for an application's settings, and the conversion of `k=v`
// strings to the option's declared type, with Juju's error texts.
import type { Application, ConfigOptionMeta, ConfigValue } from "../model.ts";
import { JujuError } from "./errors.ts";

interface SettingJson { default?: ConfigValue; description: string; source: "default" | "user" | "unset"; type: string; value?: ConfigValue }

export function configJson(app: Application, charmName: string): Record<string, unknown> {
  const settings: Record<string, SettingJson> = {};
  for (const [key, option] of Object.entries(app.charm.config).sort(([a], [b]) => a.localeCompare(b))) {
    const user = app.config[key];
    const setting: SettingJson = { description: option.description ?? "", source: user !== undefined ? "user" : option.default !== undefined ? "default" : "unset", type: option.type };
    if (option.default !== undefined) setting.default = option.default;
    const value = user ?? option.default;
    if (value !== undefined) setting.value = value;
    settings[key] = orderedSetting(setting);
  }
  return {
    application: app.name,
    "application-config": {
      trust: { default: false, description: "Does this application have access to trusted credentials", source: app.trusted ? "user" : "default", type: "bool", value: app.trusted },
    },
    charm: charmName,
    settings,
  };
}

/** Juju prints a setting's keys in alphabetical order. */
function orderedSetting(setting: SettingJson): SettingJson {
  return Object.fromEntries(Object.entries(setting).sort(([a], [b]) => a.localeCompare(b))) as unknown as SettingJson;
}

/** Converts `juju config app key=value` strings; unknown keys and ill-typed values are Juju's errors. */
export function parseSettings(app: Application, values: Record<string, string>): Record<string, ConfigValue> {
  const parsed: Record<string, ConfigValue> = {};
  for (const [key, text] of Object.entries(values)) {
    const option = app.charm.config[key];
    if (!option) throw new JujuError(`unknown option "${key}"`);
    parsed[key] = convert(key, option, text);
  }
  return parsed;
}

export function checkResetKeys(app: Application, keys: string[]): void {
  for (const key of keys) if (!app.charm.config[key]) throw new JujuError(`unknown option "${key}"`);
}

function convert(key: string, option: ConfigOptionMeta, text: string): ConfigValue {
  switch (option.type) {
    case "int": {
      if (!/^[+-]?\d+$/.test(text.trim())) throw new JujuError(`option "${key}" expected int, got "${text}"`);
      return Number(text);
    }
    case "float": {
      const value = Number(text);
      if (text.trim() === "" || Number.isNaN(value)) throw new JujuError(`option "${key}" expected float, got "${text}"`);
      return value;
    }
    case "boolean": {
      const truthy = ["true", "yes", "on", "1", "y"];
      const falsy = ["false", "no", "off", "0", "n"];
      if (truthy.includes(text.toLowerCase())) return true;
      if (falsy.includes(text.toLowerCase())) return false;
      throw new JujuError(`option "${key}" expected boolean, got "${text}"`);
    }
    case "secret":
      if (!/^secret:/.test(text)) throw new JujuError(`option "${key}" expected secret URI, got "${text}"`);
      return text;
    default:
      return text;
  }
}
