// Provider data is validated, never trusted: what a remote charm publishes becomes the app's environment
// or a hook-tool argument only once it has the shape it claims. Each check returns why a value is
// unusable (naming the field, never quoting a value that may be a credential), or undefined.
import { PyUrlError, pyUrlparse } from "./pyUrl.ts";

/**
 * Linux's MAX_ARG_STRLEN (32 pages of 4 KiB): the longest single `NAME=value` string, NUL included, that
 * execve accepts. A longer environment entry makes Pebble's exec fail with E2BIG ("argument list too long").
 */
export const MAX_ENV_ENTRY_BYTES = 32 * 4096;

/** C0 controls and DEL: they break connect strings and log lines, and NUL cannot be in an environment at all. */
const CONTROL = /[\u0000-\u001f\u007f]/;

const SECRET_URI = /^(secret:)?(\/\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\/)?[0-9a-v]{20}$/;

/** Juju's secret URI forms (core/secrets ParseURI): `secret:<xid>`, `secret://<model-uuid>/<xid>`, or the bare xid. */
export function isSecretUri(text: string): boolean {
  return SECRET_URI.test(text);
}

export function hasControlCharacter(text: string): boolean {
  return CONTROL.test(text);
}

/** The first field whose value alone is longer than an environment variable can hold. */
export function oversizedField(fields: Record<string, string | undefined>): string | undefined {
  return Object.keys(fields).find((name) => Buffer.byteLength(fields[name] ?? "") >= MAX_ENV_ENTRY_BYTES);
}

/** Why `value` of provider field `field` cannot be a plain text value (host, username, database, password). */
export function textProblem(field: string, value: string): string | undefined {
  if (hasControlCharacter(value)) return `${field} contains a control character`;
  if (Buffer.byteLength(value) >= MAX_ENV_ENTRY_BYTES) return `${field} is ${Buffer.byteLength(value)} bytes, more than an environment variable can hold (${MAX_ENV_ENTRY_BYTES})`;
  return undefined;
}

function portProblem(field: string, text: string): string | undefined {
  if (!/^[0-9]{1,5}$/.test(text)) return `${field} has a port that is not a number`;
  const port = Number.parseInt(text, 10);
  return port >= 1 && port <= 65535 ? undefined : `${field} has port ${port}, outside 1-65535`;
}

/** One `host[:port]` (IPv6 in brackets): a host without spaces or controls and, when given, a port in 1-65535. */
export function hostPortProblem(field: string, text: string): string | undefined {
  let host = text;
  let port: string | undefined;
  if (text.startsWith("[")) {
    const close = text.indexOf("]");
    if (close < 0) return `${field} has an unclosed IPv6 bracket`;
    host = text.slice(1, close);
    const rest = text.slice(close + 1);
    if (rest !== "" && !rest.startsWith(":")) return `${field} has text after its IPv6 address`;
    if (rest.startsWith(":")) port = rest.slice(1);
  } else {
    const colon = text.lastIndexOf(":");
    if (colon >= 0) [host, port] = [text.slice(0, colon), text.slice(colon + 1)];
  }
  if (host === "" || /[\s/@]/.test(host) || hasControlCharacter(host)) return `${field} has no usable host`;
  return port === undefined ? undefined : portProblem(field, port);
}

/** A comma-separated list of `host:port` (data_interfaces `endpoints`). */
export function endpointsProblem(field: string, text: string): string | undefined {
  const sizeOrControl = textProblem(field, text);
  if (sizeOrControl) return sizeOrControl;
  for (const entry of text.split(",")) {
    const problem = hostPortProblem(field, entry.trim());
    if (problem) return problem;
  }
  return undefined;
}

/**
 * A connection URI as Python's urlparse reads it: a scheme, at least one host, and ports in 1-65535 for
 * every host of a multi-host authority (`mongodb://u:p@h1:27017,h2:27017/db`).
 */
export function uriProblem(field: string, text: string): string | undefined {
  const sizeOrControl = textProblem(field, text);
  if (sizeOrControl) return sizeOrControl;
  let parsed;
  try {
    parsed = pyUrlparse(text);
  } catch (error) {
    if (error instanceof PyUrlError) return `${field} is not a URL (${error.message})`;
    throw error;
  }
  if (!parsed.scheme || !parsed.netloc) return `${field} is not a URL with a scheme and a host`;
  const hosts = parsed.netloc.slice(parsed.netloc.lastIndexOf("@") + 1);
  for (const host of hosts.split(",")) {
    const problem = hostPortProblem(field, host);
    if (problem) return problem;
  }
  return undefined;
}

export interface EnvProblem {
  variable: string;
  reason: string;
  /** The value cannot reach the process at all (E2BIG), as opposed to reaching it broken. */
  oversized: boolean;
}

/** Why an environment fragment cannot reach the app's process intact: the first variable with a control character or too long. */
export function envProblem(env: Record<string, string>): EnvProblem | undefined {
  for (const [name, value] of Object.entries(env)) {
    const bytes = Buffer.byteLength(name) + 1 + Buffer.byteLength(value) + 1;
    if (bytes > MAX_ENV_ENTRY_BYTES) return { variable: name, reason: `${name} would be ${bytes} bytes, more than an environment variable can hold (${MAX_ENV_ENTRY_BYTES})`, oversized: true };
    if (hasControlCharacter(value)) return { variable: name, reason: `${name} would contain a control character`, oversized: false };
  }
  return undefined;
}

/** The Blocked message for provider data too large for the app's environment: the relation and the field. */
export function oversizedMessage(integration: string, field: string): string {
  return `Invalid ${integration} relation data: ${field} is too large for the app's environment.`;
}
