// Puts the hook tools on disk: one tiny executable per tool name, each running the hook-tool program
// with the project's Node 22 and the tool name as first argument. The event driver prepends the
// directory to the hook's PATH (docs/juju-contract.md §1.1: Juju's tools dir comes first on PATH too).
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { toolNames } from "./registry.ts";

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const nodeBinary = join(repoRoot, "node_modules", ".bin", "node");
export const bundledProgram = join(repoRoot, "dist", "hook-tool.cjs");
export const sourceProgram = join(repoRoot, "simulator", "hookTools", "main.ts");

/**
 * `bundle` runs dist/hook-tool.cjs (made by scripts/build.ts; fastest start); `source` runs main.ts
 * through Node's type stripping, for tests that must exercise the current sources without a build.
 */
export type HookToolProgram = "bundle" | "source";

function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

export function installHookTools(dir: string, program: HookToolProgram = "bundle"): void {
  const entry = program === "bundle" ? bundledProgram : sourceProgram;
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build\` first, or install with program "source"`);
  mkdirSync(dir, { recursive: true });
  // Warnings on stderr would corrupt the exact `ERROR ...` texts charms parse.
  const flags = program === "source" ? "--disable-warning=ExperimentalWarning " : "";
  for (const name of toolNames) {
    const path = join(dir, name);
    writeFileSync(path, `#!/bin/sh\nexec ${shellQuote(nodeBinary)} ${flags}${shellQuote(entry)} ${name} "$@"\n`);
    chmodSync(path, 0o755);
  }
}

/** A fresh hook context id: the key of the hook's pending writes (see commitHook/discardHook). */
export function newContextId(unit: string): string {
  return `${unit.replace("/", "-")}-${Date.now()}-${randomBytes(4).toString("hex")}`;
}

export interface HookToolContext {
  modelPath: string;
  toolsDir: string;
  unit: string;
  contextId: string;
  /** The hook's relation, for relation hooks. */
  relation?: { id: number; endpoint: string };
  /** Empty for -created, -broken and app-databag -changed hooks, as in Juju. */
  remoteUnit?: string;
  remoteApp?: string;
  action?: { id: string; name: string };
}

/**
 * The variables the hook tools read; the driver merges them into the full JUJU_* environment it
 * builds for the charm (docs/juju-contract.md §1.3).
 */
export function hookToolEnv(ctx: HookToolContext, basePath = process.env.PATH ?? "/usr/bin:/bin"): Record<string, string> {
  const env: Record<string, string> = {
    JUJU_AGENT_SOCKET_ADDRESS: `@${ctx.modelPath}`,
    JUJU_CONTEXT_ID: ctx.contextId,
    JUJU_UNIT_NAME: ctx.unit,
    PATH: `${ctx.toolsDir}:${basePath}`,
  };
  if (ctx.relation) {
    env.JUJU_RELATION = ctx.relation.endpoint;
    env.JUJU_RELATION_ID = `${ctx.relation.endpoint}:${ctx.relation.id}`;
    env.JUJU_REMOTE_UNIT = ctx.remoteUnit ?? "";
    env.JUJU_REMOTE_APP = ctx.remoteApp ?? "";
  }
  if (ctx.action) {
    env.JUJU_ACTION_NAME = ctx.action.name;
    env.JUJU_ACTION_UUID = ctx.action.id;
    env.JUJU_ACTION_TAG = `action-${ctx.action.id}`;
  }
  return env;
}
