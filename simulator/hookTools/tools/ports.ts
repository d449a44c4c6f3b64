// open-port / close-port (pending until the hook succeeds) and opened-ports (committed only, so
// ports opened earlier in the same hook are not listed) — juju-runtime.md §1.2, §2.2.
import { checkEmpty, commandError, parseArgs, stringFlag, usageError } from "../args.ts";
import { chosenFormat, formatFlag, formatValue } from "../output.ts";
import type { Session } from "../session.ts";

const allEndpoints = "*";

/** Normalises `80`, `80/TCP`, `1000-2000/udp`, `icmp` to Juju's `80/tcp`, `1000-2000/udp`, `icmp`. */
export function parsePortRange(text: string): string {
  if (text.toLowerCase() === "icmp") return "icmp";
  const match = /^(\d+)(?:-(\d+))?(?:\/(\w+))?$/.exec(text);
  const protocol = (match?.[3] ?? "tcp").toLowerCase();
  if (!match || (protocol !== "tcp" && protocol !== "udp")) throw usageError(`invalid port range ${JSON.stringify(text)}`);
  const from = Number(match[1]);
  const to = match[2] === undefined ? from : Number(match[2]);
  if (from < 1 || to > 65535 || to < from) throw usageError(`invalid port range ${JSON.stringify(text)}`);
  return from === to ? `${from}/${protocol}` : `${from}-${to}/${protocol}`;
}

function portCommand(kind: "open-port" | "close-port") {
  return (session: Session, argv: string[]): void => {
    const args = parseArgs(argv, [{ names: ["endpoints"], kind: "string" }, formatFlag]);
    const [spec, ...rest] = args.positionals;
    if (spec === undefined) throw usageError("no port or range specified");
    const port = parsePortRange(spec);
    checkEmpty(rest);
    const endpointList = stringFlag(args, "endpoints");
    const endpoints = endpointList === undefined || endpointList === "" ? [allEndpoints] : endpointList.split(",").map((e) => e.trim());
    const declared = session.application().charm.endpoints;
    for (const endpoint of endpoints) {
      if (endpoint !== allEndpoints && !declared[endpoint]) throw commandError(`endpoint ${JSON.stringify(endpoint)} not found`);
    }
    session.addPending({ op: kind, unit: session.env.unit, port, endpoints });
  };
}

export const openPort = portCommand("open-port");
export const closePort = portCommand("close-port");

function sortKey(port: string): [string, number, number] {
  if (port === "icmp") return ["icmp", 0, 0];
  const [range = "", protocol = ""] = port.split("/");
  const [from = "0", to = from] = range.split("-");
  return [protocol, Number(from), Number(to)];
}

function comparePorts(a: string, b: string): number {
  const [pa, fa, ta] = sortKey(a);
  const [pb, fb, tb] = sortKey(b);
  return pa.localeCompare(pb) || fa - fb || ta - tb;
}

export function openedPorts(session: Session, argv: string[]): void {
  const args = parseArgs(argv, [formatFlag, { names: ["endpoints"], kind: "bool" }]);
  const format = chosenFormat(args);
  checkEmpty(args.positionals);
  const byPort = new Map<string, string[]>();
  for (const [endpoint, ports] of Object.entries(session.unit().openedPorts)) {
    for (const port of ports) byPort.set(port, [...(byPort.get(port) ?? []), endpoint]);
  }
  const ports = [...byPort.keys()].sort(comparePorts);
  const withEndpoints = args.flags.get("endpoints") === true;
  const lines = withEndpoints ? ports.map((port) => `${port} (${(byPort.get(port) ?? []).sort().join(", ")})`) : ports;
  session.print(formatValue(lines, format));
}
