// The tabular `juju status`: Model, App, Unit and Integration sections, columns padded as Juju pads
// them (two spaces between columns, numbers right-aligned).
interface StatusInfo { current?: string; message?: string; version?: string }
interface UnitJson { "workload-status"?: StatusInfo; "juju-status"?: StatusInfo; leader?: boolean; address?: string; "open-ports"?: string[] }
interface AppJson {
  charm?: string; "charm-name"?: string; "charm-channel"?: string; "charm-rev"?: number; scale?: number; address?: string; exposed?: boolean;
  version?: string; "application-status"?: StatusInfo; units?: Record<string, UnitJson>; relations?: Record<string, Array<{ "related-application": string; interface: string }>>;
}
interface StatusJson {
  model: { name: string; controller: string; cloud: string; region?: string; version: string };
  applications: Record<string, AppJson>;
  controller?: { timestamp?: string };
}

export function statusTable(status: StatusJson): string {
  const m = status.model;
  const sections = [
    table([["Model", "Controller", "Cloud/Region", "Version", "SLA", "Timestamp"], [m.name, m.controller, `${m.cloud}/${m.region ?? ""}`, m.version, "unsupported", status.controller?.timestamp ?? ""]]),
  ];
  const apps = Object.entries(status.applications);
  if (apps.length === 0) return `${sections[0]}\nModel "admin/${m.name}" is empty.\n`;
  sections.push(table([
    ["App", "Version", "Status", "Scale", "Charm", "Channel", "Rev", "Address", "Exposed", "Message"],
    ...apps.map(([name, app]) => [name, app.version ?? "", app["application-status"]?.current ?? "", String(app.scale ?? 0), app["charm-name"] ?? "", app["charm-channel"] ?? "", String(app["charm-rev"] ?? ""), app.address ?? "", app.exposed ? "yes" : "no", app["application-status"]?.message ?? ""]),
  ], [3, 6]));
  const unitRows = apps.flatMap(([, app]) => Object.entries(app.units ?? {}).map(([name, unit]) => [
    `${name}${unit.leader ? "*" : ""}`, unit["workload-status"]?.current ?? "", unit["juju-status"]?.current ?? "", unit.address ?? "", (unit["open-ports"] ?? []).join(","), unit["workload-status"]?.message ?? "",
  ]));
  sections.push(table([["Unit", "Workload", "Agent", "Address", "Ports", "Message"], ...unitRows]));
  const integrations = new Map<string, string[]>();
  for (const [name, app] of apps) {
    for (const [endpoint, related] of Object.entries(app.relations ?? {})) {
      for (const other of related) {
        const peer = other["related-application"] === name;
        const row = [`${name}:${endpoint}`, peer ? `${name}:${endpoint}` : `${other["related-application"]}`, other.interface, peer ? "peer" : "regular"];
        if (!peer && [...integrations.keys()].some((k) => k.startsWith(`${other["related-application"]}:`) && integrations.get(k)![1] === name)) continue;
        integrations.set(row[0]!, row);
      }
    }
  }
  if (integrations.size > 0) sections.push(table([["Integration provider", "Requirer", "Interface", "Type"], ...[...integrations.values()].sort((a, b) => a[0]!.localeCompare(b[0]!))]));
  return sections.join("\n");
}

function table(rows: string[][], rightAligned: number[] = []): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? "").length)));
  return rows.map((row) => row.map((cell, column) => {
    const last = column === row.length - 1;
    if (rightAligned.includes(column)) return cell.padStart(widths[column]!);
    return last ? cell : cell.padEnd(widths[column]!);
  }).join("  ").trimEnd()).join("\n") + "\n";
}
