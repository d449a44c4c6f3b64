// config-get: the application's config, typed per option (int/float → number, boolean, secret → URI string).
import { runHookToolJson } from "./hookTool.ts";

export type ConfigValue = string | number | boolean;
/** Set options and options with defaults; unset options without a default are absent. */
export type ConfigValues = Record<string, ConfigValue>;

export async function configGet(): Promise<ConfigValues> {
  return (await runHookToolJson<ConfigValues | null>("config-get", [])) ?? {};
}
