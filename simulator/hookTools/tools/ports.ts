// open-port / close-port (pending until the hook succeeds) and opened-ports, which lists the
// committed ports merged with this hook's pending changes (juju's portRangeChangeRecorder).
import { checkEmpty, commandError, parseArgs, stringFlag, usageError } from "../args.ts";
import { chosenFormat, deprecatedFormatWarning, formatFlag, formatValue } from "../output.ts";
import type { Session } from "../session.ts";

/** The endpoint name Juju stores for "every endpoint" (an empty name in Juju itself). */
const allEndpoints = "*";

interface PortRange { from: number; to: number; protocol: string }

/** Juju's network.ParsePortRange: `80`, `80/TCP`, `1000-2000/udp`, `icmp`; errors are its texts. */
function parsePortRange(text: string): PortRange {
  const slash = text.indexOf("/");
  const range = slash < 0 ? text : text.slice(0, slash);
  let protocol = slash < 0 ? "tcp" : text.slice(slash + 1);
  const parts = range.split("-");
  if (parts.length > 2) throw usageError(`invalid port range ${JSON.stringify(range)}`);
  const atoi = (part: string): number => {
    if (!/^[+-]?\d+$/.test(part)) throw usageError(`invalid port ${JSON.stringify(part)}: strconv.Atoi: parsing ${JSON.stringify(part)}: invalid syntax`);
    return Number(part);
  };
  let from: number;
  let to: number;
  if (parts.length === 1) {
    from = to = range === "icmp" ? -1 : atoi(range);
  } else {
    from = atoi(parts[0] ?? "");
    to = atoi(parts[1] ?? "");
  }
  if (from === -1) protocol = "icmp";
  const port = { from, to, protocol };
  if (!["tcp", "udp", "icmp"].includes(protocol)) throw usageError(`invalid protocol ${JSON.stringify(protocol)}, expected "tcp", "udp", or "icmp"`);
  if (protocol === "icmp") {
    if (from !== -1 || to !== -1) throw usageError(`protocol "icmp" doesn't support any ports; got "${from}"`);
  } else if (from > to) {
    throw usageError(`invalid port range ${formatPortRange(port)}`);
  } else if (from < 0 || from > 65535 || to < 0 || to > 65535) {
    throw usageError(`port range bounds must be between 0 and 65535, got ${from}-${to}`);
  }
  return port;
}

function formatPortRange(port: PortRange): string {
  if (port.protocol === "icmp") return "icmp";
  return port.from === port.to ? `${port.from}/${port.protocol}` : `${port.from}-${port.to}/${port.protocol}`;
}

function portCommand(kind: "open-port" | "close-port") {
  return (session: Session, argv: string[]): void => {
    const args = parseArgs(argv, [{ names: ["endpoints"], kind: "string" }, formatFlag]);
    const [spec, ...rest] = args.positionals;
    if (spec === undefined) throw usageError("no port or range specified");
    const port = parsePortRange(spec.toLowerCase());
    checkEmpty(rest);
    deprecatedFormatWarning(args, kind);
    // Kubernetes models take single ports only; Juju refuses a range when the command runs.
    if (port.from !== port.to) throw commandError("port ranges are not supported for k8s applications, please specify a single port");
    const endpointList = stringFlag(args, "endpoints") ?? "";
    // Juju checks the endpoint names only when the hook's changes are committed.
    const endpoints = endpointList === "" ? [allEndpoints] : endpointList.split(",").map((e) => e.trim());
    session.addPending({ op: kind, unit: session.env.unit, port: formatPortRange(port), endpoints });
  };
}

export const openPort = portCommand("open-port");
export const closePort = portCommand("close-port");

function sortKey(port: string): [string, number, number] {
  if (port === "icmp") return ["icmp", -1, -1];
  const [range = "", protocol = ""] = port.split("/");
  const [from = "0", to = from] = range.split("-");
  return [protocol, Number(from), Number(to)];
}

/** Juju's PortRange.LessThan: by protocol, then first port, then last port. */
function comparePorts(a: string, b: string): number {
  const [pa, fa, ta] = sortKey(a);
  const [pb, fb, tb] = sortKey(b);
  return (pa < pb ? -1 : pa > pb ? 1 : 0) || fa - fb || ta - tb;
}

export function openedPorts(session: Session, argv: string[]): void {
  const args = parseArgs(argv, [formatFlag, { names: ["endpoints"], kind: "bool" }]);
  const format = chosenFormat(args);
  checkEmpty(args.positionals);
  const byPort = new Map<string, string[]>();
  const unit = session.local().units[session.env.unit];
  if (!unit) throw commandError(`unit "${session.env.unit}" not found in the simulated model`);
  for (const [endpoint, ports] of Object.entries(unit.openedPorts)) {
    for (const port of ports) byPort.set(port, [...(byPort.get(port) ?? []), endpoint]);
  }
  const ports = [...byPort.keys()].sort(comparePorts);
  const withEndpoints = args.flags.get("endpoints") === true;
  const describe = (endpoints: string[]): string => (endpoints.includes(allEndpoints) ? allEndpoints : endpoints.sort().join(", "));
  const lines = withEndpoints ? ports.map((port) => `${port} (${describe(byPort.get(port) ?? [])})`) : ports;
  session.print(formatValue(lines, format));
}
