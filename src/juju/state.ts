// Juju's per-unit charm state (state-get/-set/-delete): survives pod rescheduling; committed only if the hook succeeds.
import { runHookTool, runHookToolJson } from "./hookTool.ts";

/** The whole state map (Juju prints null when it is empty, 3.6 and 4.x alike). */
export async function stateGet(): Promise<Record<string, string>> {
  return (await runHookToolJson<Record<string, string> | null>("state-get", [])) ?? {};
}

/** Sets the given keys (others are untouched); the data goes on stdin, never in argv. */
export async function stateSet(values: Record<string, string>): Promise<void> {
  if (Object.keys(values).length === 0) return;
  await runHookTool("state-set", ["--file", "-"], { stdin: JSON.stringify(values) });
}

export async function stateDelete(key: string): Promise<void> {
  await runHookTool("state-delete", [key]);
}
