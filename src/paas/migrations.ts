// Database migrations (paas-charm-spec.md §5): the command found in the app dir, run in the workload as
// `_daemon_` with the app's full environment, before the app (re)starts, until it has succeeded once for
// the current integration data.
export const DAEMON_USER = "_daemon_";

/** Later entries win: manage.py > migrate.py > migrate.sh > migrate. */
export function migrationCommand(appDir: string, appDirFiles: readonly string[]): string[] | undefined {
  const files = new Set(appDirFiles);
  if (files.has("manage.py")) return ["python3", "manage.py", "migrate"];
  if (files.has("migrate.py")) return ["python3", "migrate.py"];
  if (files.has("migrate.sh")) return ["bash", "-eo", "pipefail", "migrate.sh"];
  if (files.has("migrate")) return [`${appDir}/migrate`];
  return undefined;
}

/** paas-charm's status text, with the command as Python prints a list (kept for status-matching tools). */
export function migrationFailureMessage(command: readonly string[]): string {
  return `database migration command [${command.map((part) => `'${part}'`).join(", ")}] failed, will retry in next update-status`;
}
