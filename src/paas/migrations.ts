// Database migrations (docs/paas-charm-contract.md §5): the command found in the app dir runs in the workload as
// `_daemon_` with the app's full environment, after the layer is added and before the app (re)starts,
// until it has succeeded once; a failure blocks the unit and is retried on update-status.

export type MigrationStatus = "PENDING" | "COMPLETED" | "FAILED";

export const DAEMON_USER = "_daemon_";

/** What the charm execs in the workload container. */
export interface MigrationExec {
  command: string[];
  workingDir: string;
  user: string;
  group: string;
  environment: Record<string, string>;
  /** The Blocked message if the command exits non-zero. */
  failureMessage: string;
}

/** Candidates in priority order (paas-charm checks them the other way round and lets the last match win). */
const CANDIDATES: ReadonlyArray<{ file: string; command: (appDir: string) => string[] }> = [
  { file: "manage.py", command: () => ["python3", "manage.py", "migrate"] },
  { file: "migrate.py", command: () => ["python3", "migrate.py"] },
  { file: "migrate.sh", command: () => ["bash", "-eo", "pipefail", "migrate.sh"] },
  { file: "migrate", command: (appDir) => [`${appDir}/migrate`] },
];

/** The migration command for the files in the app dir, if any. */
export function migrationCommand(appDir: string, appDirFiles: readonly string[]): string[] | undefined {
  const files = new Set(appDirFiles);
  return CANDIDATES.find((candidate) => files.has(candidate.file))?.command(appDir);
}

/** PENDING (never run, or data changed) and FAILED (retry) run; COMPLETED does not, even if the script changed. */
export function migrationNeeded(status: MigrationStatus): boolean {
  return status !== "COMPLETED";
}

export function migrationExec(appDir: string, appDirFiles: readonly string[], status: MigrationStatus, environment: Record<string, string>): MigrationExec | undefined {
  const command = migrationCommand(appDir, appDirFiles);
  if (command === undefined || !migrationNeeded(status)) return undefined;
  return { command, workingDir: appDir, user: DAEMON_USER, group: DAEMON_USER, environment, failureMessage: migrationFailureMessage(command) };
}

/** `database migration command bash -eo pipefail migrate.sh failed, will retry in next update-status`. */
export function migrationFailureMessage(command: readonly string[]): string {
  return `database migration command ${shellJoin(command)} failed, will retry in next update-status`;
}

/** The command as a shell would take it: words quoted only when they need it. */
export function shellJoin(words: readonly string[]): string {
  return words.map((word) => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'"'"'`)}'`)).join(" ");
}
