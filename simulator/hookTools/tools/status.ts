// status-set, status-get, application-version-set: immediate effects (docs/juju-contract.md §1.2, §2.2).
import type { StatusRecord, WorkloadStatusName } from "../../model.ts";
import { boolFlag, checkEmpty, commandError, parseArgs, usageError } from "../args.ts";
import type { FlagSpec } from "../args.ts";
import { chosenFormat, formatFlag, formatValue } from "../output.ts";
import type { Session } from "../session.ts";

const settable = ["maintenance", "blocked", "waiting", "active"];
const applicationFlag: FlagSpec = { names: ["application"], kind: "bool" };

export function statusSet(session: Session, argv: string[]): void {
  const args = parseArgs(argv, [applicationFlag]);
  const [status, message = "", ...rest] = args.positionals;
  if (status === undefined) throw usageError("invalid args, require <status> [message]");
  if (!settable.includes(status)) throw usageError(`invalid status ${JSON.stringify(status)}, expected one of [${settable.join(" ")}]`);
  checkEmpty(rest);
  const record: StatusRecord = { status: status as WorkloadStatusName, message, since: new Date().toISOString() };
  if (boolFlag(args, "application")) {
    if (!session.isLeader()) throw commandError("this unit is not the leader");
    const app = session.application();
    app.status = record;
    app.statusHistory.push(record);
  } else {
    const unit = session.unit();
    unit.status = record;
    unit.statusHistory.push(record);
  }
  session.changedNow();
}

export function statusGet(session: Session, argv: string[]): void {
  const args = parseArgs(argv, [formatFlag, applicationFlag, { names: ["include-data"], kind: "bool" }]);
  const format = chosenFormat(args);
  checkEmpty(args.positionals);
  const withData = boolFlag(args, "include-data");
  // The smart format without --include-data prints the bare status name.
  const bare = !withData && format === "smart";
  const shape = (record: StatusRecord) => (withData ? { status: record.status, message: record.message, "status-data": {} } : { status: record.status });
  if (!boolFlag(args, "application")) {
    const status = session.unit().status;
    session.print(formatValue(bare ? status.status : shape(status), format));
    return;
  }
  if (!session.isLeader()) throw commandError("finding application status: this unit is not the leader");
  const appStatus = session.application().status;
  if (bare) {
    session.print(formatValue(appStatus.status, format));
    return;
  }
  const units = Object.values(session.model.units).filter((u) => u.app === session.env.app);
  session.print(formatValue({ "application-status": { ...shape(appStatus), units: Object.fromEntries(units.map((u) => [u.name, shape(u.status)])) } }, format));
}

export function applicationVersionSet(session: Session, argv: string[]): void {
  const args = parseArgs(argv, []);
  const [version, ...rest] = args.positionals;
  if (version === undefined) throw usageError("no version specified");
  checkEmpty(rest);
  const unit = session.unit();
  unit.workloadVersion = version;
  unit.workloadVersionHistory.push(version);
  session.changedNow();
}
