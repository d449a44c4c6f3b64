// The tabular `juju status`: Model, App, Unit and Integration sections, columns padded as Juju pads
// them (two spaces between columns, numbers right-aligned).
import type { IntegrationRow } from "../controller/protocol.ts";

interface StatusInfo { current?: string; message?: string; version?: string }
interface UnitJson { "workload-status"?: StatusInfo; "juju-status"?: StatusInfo; leader?: boolean; address?: string; "open-ports"?: string[] }
interface AppJson {
  charm?: string; "charm-name"?: string; "charm-channel"?: string; "charm-rev"?: number; scale?: number; address?: string; exposed?: boolean;
  version?: string; "application-status"?: StatusInfo; units?: Record<string, UnitJson>;
}
export interface StatusJson {
  model: { name: string; controller: string; cloud: string; region?: string; version: string };
  applications: Record<string, AppJson>;
  controller?: { timestamp?: string };
}

/** `juju status` as a table; the Integration section only with `--relations` (`integrations` given), as in Juju 3. */
export function statusTable(status: StatusJson, integrations?: IntegrationRow[]): string {
  const m = status.model;
  const sections = [
    table([["Model", "Controller", "Cloud/Region", "Version", "SLA", "Timestamp"], [m.name, m.controller, `${m.cloud}/${m.region ?? ""}`, m.version, "unsupported", status.controller?.timestamp ?? ""]]),
  ];
  const apps = Object.entries(status.applications);
  if (apps.length === 0) return sections[0]!;
  sections.push(table([
    ["App", "Version", "Status", "Scale", "Charm", "Channel", "Rev", "Address", "Exposed", "Message"],
    ...apps.map(([name, app]) => [name, app.version ?? "", app["application-status"]?.current ?? "", String(app.scale ?? 0), app["charm-name"] ?? "", app["charm-channel"] ?? "", String(app["charm-rev"] ?? ""), app.address ?? "", app.exposed ? "yes" : "no", app["application-status"]?.message ?? ""]),
  ], [3, 6]));
  const unitRows = apps.flatMap(([, app]) => Object.entries(app.units ?? {}).map(([name, unit]) => [
    `${name}${unit.leader ? "*" : ""}`, unit["workload-status"]?.current ?? "", unit["juju-status"]?.current ?? "", unit.address ?? "", (unit["open-ports"] ?? []).join(","), unit["workload-status"]?.message ?? "",
  ]));
  sections.push(table([["Unit", "Workload", "Agent", "Address", "Ports", "Message"], ...unitRows]));
  if (integrations?.length) {
    // Juju sorts by provider, then requirer, as Go compares strings; a joined relation has no message.
    const sorted = [...integrations].sort((a, b) => compare(a.provider, b.provider) || compare(a.requirer, b.requirer));
    sections.push(table([["Integration provider", "Requirer", "Interface", "Type", "Message"], ...sorted.map((r) => [r.provider, r.requirer, r.interface, r.type])]));
  }
  return sections.join("\n");
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function table(rows: string[][], rightAligned: number[] = []): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? "").length)));
  return rows.map((row) => row.map((cell, column) => {
    const last = column === row.length - 1;
    if (rightAligned.includes(column)) return cell.padStart(widths[column]!);
    return last ? cell : cell.padEnd(widths[column]!);
  }).join("  ").trimEnd()).join("\n") + "\n";
}
