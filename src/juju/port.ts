// open-port / close-port / opened-ports, and setPorts: the diff that leaves exactly the desired ports open.
// On K8s the ports are opened on the application's Service; changes are committed when the hook succeeds.
import { runHookTool, runHookToolJson } from "./hookTool.ts";

export type PortProtocol = "tcp" | "udp" | "icmp";

export interface Port {
  protocol: PortProtocol;
  /** Undefined for icmp. */
  port: number | undefined;
  /** Upper end of a range (`1000-2000/udp`), as opened-ports may report; K8s charms open single ports. */
  toPort?: number;
}

/** Juju's form: `8080/tcp`, `1000-2000/udp`, `icmp`. */
export function formatPort(port: Port): string {
  if (port.protocol === "icmp") return "icmp";
  const range = port.toPort === undefined ? `${port.port}` : `${port.port}-${port.toPort}`;
  return `${range}/${port.protocol}`;
}

export function parsePort(text: string): Port {
  if (text === "icmp") return { protocol: "icmp", port: undefined };
  const match = /^(\d+)(?:-(\d+))?(?:\/(tcp|udp))?$/.exec(text);
  if (!match) throw new Error(`opened-ports printed ${JSON.stringify(text)}, which is not a port like 8080/tcp`);
  const port: Port = { protocol: (match[3] ?? "tcp") as PortProtocol, port: Number(match[1]) };
  if (match[2] !== undefined) port.toPort = Number(match[2]);
  return port;
}

export async function openPort(port: Port): Promise<void> {
  await runHookTool("open-port", [formatPort(port)]);
}

export async function closePort(port: Port): Promise<void> {
  await runHookTool("close-port", [formatPort(port)]);
}

/** Ports opened by earlier hooks (not those opened in this one). */
export async function openedPorts(): Promise<Port[]> {
  return ((await runHookToolJson<string[] | null>("opened-ports", [])) ?? []).map(parsePort);
}

/**
 * Opens and closes ports so that exactly `desired` are open: one call per change. `opened` is what
 * opened-ports showed this dispatch; without it, opened-ports is asked first.
 */
export async function setPorts(desired: readonly Port[], opened?: readonly Port[]): Promise<void> {
  const wanted = new Set(desired.map(formatPort));
  const current = (opened ?? (await openedPorts())).map(formatPort);
  for (const port of current) if (!wanted.has(port)) await runHookTool("close-port", [port]);
  for (const port of wanted) if (!current.includes(port)) await runHookTool("open-port", [port]);
}
