// What the charm keeps in the workload container, for the life of that container (like paas-charm's
// original-services.json and database-migration-status, but in one file so a no-op event reads it with
// one Pebble request): the rock's own services captured before the charm's first layer, the files of
// the app dir that decide the migration command, and the migration status.
import type { PebbleClient } from "../pebble/client.ts";
import { PathError } from "../pebble/errors.ts";
import type { Service } from "../pebble/layer.ts";

export type MigrationStatus = "PENDING" | "COMPLETED" | "FAILED";

export interface WorkloadState {
  version: 1;
  /** The rock's services as the plan held them before the charm added its layer. */
  originalServices: Record<string, Service>;
  /** Names of the files in the app dir (the rock's image does not change while the container lives). */
  appDirFiles: string[];
  migration: {
    status: MigrationStatus;
    /** The integration data the last migration ran against: a change re-runs it (paas-charm's R+M events). */
    fingerprint?: string;
  };
  /** sha256 of the gunicorn.conf.py last pushed (Flask, Django), so an unchanged config is not pulled. */
  gunicornConfigDigest?: string;
  /** sha256 of the files last written for the app (FastAPI's JSON log config), so unchanged ones are not. */
  workloadFilesDigest?: string;
  /** Set while the charm holds the services stopped (missing integrations): the next plan must replan. */
  servicesStopped?: boolean;
}

export function workloadStatePath(stateDir: string): string {
  return `${stateDir}/charm-state.json`;
}

/** The state file, or undefined in a fresh container (then the caller captures it from the plan). */
export async function readWorkloadState(pebble: PebbleClient, stateDir: string): Promise<WorkloadState | undefined> {
  try {
    const parsed = JSON.parse(await pebble.pullText(workloadStatePath(stateDir))) as WorkloadState;
    return parsed.version === 1 ? parsed : undefined;
  } catch (error) {
    if (error instanceof PathError && error.kind === "not-found") return undefined;
    if (error instanceof SyntaxError) return undefined;
    throw error;
  }
}

export async function writeWorkloadState(pebble: PebbleClient, stateDir: string, state: WorkloadState): Promise<void> {
  await pebble.push(workloadStatePath(stateDir), JSON.stringify(state), { makeDirs: true, permissions: 0o600 });
}

/** Names of the regular files and directories in `appDir`; none when it does not exist. */
export async function listAppDir(pebble: PebbleClient, appDir: string): Promise<string[]> {
  try {
    return (await pebble.listFiles(appDir)).map((file) => file.name).sort();
  } catch (error) {
    if (error instanceof PathError && error.kind === "not-found") return [];
    throw error;
  }
}
