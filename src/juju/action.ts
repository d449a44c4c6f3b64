// action-get / action-set / action-fail / action-log: only valid while Juju runs an action
// (NotInActionError otherwise).
import { runHookTool, runHookToolJson } from "./hookTool.ts";

/** The action's parameters, validated by Juju against actions.yaml with schema defaults filled in. */
export async function actionGet(): Promise<Record<string, unknown>> {
  return (await runHookToolJson<Record<string, unknown> | null>("action-get", [])) ?? {};
}

export type ActionResultValue = string | number | boolean | ActionResults;
export interface ActionResults {
  [key: string]: ActionResultValue;
}

export class ActionResultError extends Error {
  override name = "ActionResultError";
}

// Each dot-separated segment of a result key (Juju's rule; it refuses anything else with exit 2).
const KEY_SEGMENT = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
const RESERVED_KEYS = new Set(["stdout", "stdout-encoding", "stderr", "stderr-encoding"]);

/** Nested results as Juju's dotted keys: `{a: {b: 1}}` → `{"a.b": "1"}`. Throws ActionResultError on bad or colliding keys. */
export function flattenActionResults(results: ActionResults): Record<string, string> {
  const flat: Record<string, string> = {};
  const visit = (prefix: string, value: ActionResultValue): void => {
    if (typeof value === "object") {
      for (const [key, inner] of Object.entries(value)) visit(prefix ? `${prefix}.${key}` : key, inner);
      return;
    }
    if (Object.hasOwn(flat, prefix)) throw new ActionResultError(`action result key ${JSON.stringify(prefix)} is given twice (once nested, once dotted)`);
    flat[prefix] = String(value);
  };
  visit("", results);
  for (const key of Object.keys(flat)) {
    if (!key.split(".").every((segment) => KEY_SEGMENT.test(segment))) {
      throw new ActionResultError(
        `action result key ${JSON.stringify(key)} is invalid: each dot-separated part must start and end with a lowercase letter or digit and contain only those and hyphens`,
      );
    }
    if (RESERVED_KEYS.has(key)) throw new ActionResultError(`action result key ${JSON.stringify(key)} is reserved by Juju; choose another name`);
  }
  return flat;
}

/**
 * `action-set key=value ...`. Juju offers no stdin form, so results travel in argv: keep them small
 * (Linux caps one argument at 128 KiB) and return secrets only when the action exists to reveal them.
 */
export async function actionSet(results: ActionResults): Promise<void> {
  const flat = flattenActionResults(results);
  const args = Object.entries(flat).map(([key, value]) => `${key}=${value}`);
  if (args.length) await runHookTool("action-set", args);
}

/** Marks the action failed with `message`; the process may still exit 0. */
export async function actionFail(message: string): Promise<void> {
  await runHookTool("action-fail", ["--", message]);
}

/** A progress message the user sees while the action runs. */
export async function actionLog(message: string): Promise<void> {
  await runHookTool("action-log", ["--", message]);
}
