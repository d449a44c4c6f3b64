// status-set / status-get for the unit and (leader only) the application. Status changes apply at once.
import { runHookTool, runHookToolJson } from "./hookTool.ts";

/** The statuses a charm may set; Juju refuses `error` and `unknown`. */
export type SettableStatus = "active" | "blocked" | "maintenance" | "waiting";
export type StatusName = SettableStatus | "error" | "unknown" | "terminated";

export interface Status {
  status: StatusName;
  message: string;
}

export interface ApplicationStatus extends Status {
  units: Record<string, Status>;
}

/** `status-set [--application] <status> -- <message>`: `--` lets a message start with `-`. */
export async function statusSet(status: SettableStatus, message = "", options: { application?: boolean } = {}): Promise<void> {
  await runHookTool("status-set", [...(options.application ? ["--application"] : []), status, "--", message]);
}

interface StatusOutput {
  status?: string;
  message?: string;
}

/** This unit's status. */
export async function statusGet(): Promise<Status> {
  return status(await runHookToolJson<StatusOutput>("status-get", ["--include-data"]));
}

/** The application's status and its units' (leader only: NotLeaderError otherwise). */
export async function applicationStatusGet(): Promise<ApplicationStatus> {
  const output = await runHookToolJson<{ "application-status"?: StatusOutput & { units?: Record<string, StatusOutput> } }>(
    "status-get", ["--include-data", "--application"],
  );
  const app = output["application-status"] ?? {};
  const units: Record<string, Status> = {};
  for (const [unit, unitStatus] of Object.entries(app.units ?? {})) units[unit] = status(unitStatus);
  return { ...status(app), units };
}

function status(output: StatusOutput): Status {
  return { status: (output.status ?? "unknown") as StatusName, message: output.message ?? "" };
}
