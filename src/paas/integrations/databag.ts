// Small helpers for reading string-to-string relation databags and writing JSON the way the
// Python charm libraries do, so our requirer data is byte-identical to theirs.
import { createHash } from "node:crypto";

export type Databag = Record<string, string>;
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** A non-empty string value of `key`, or undefined. */
export function field(bag: Databag, key: string): string | undefined {
  const value = bag[key];
  return typeof value === "string" && value !== "" ? value : undefined;
}

export function parseJson(text: string | undefined): { ok: true; value: unknown } | { ok: false } {
  if (text === undefined) return { ok: false };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === "string");
}

function pyString(text: string): string {
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const c = text[i] as string;
    if (c === '"') out += '\\"';
    else if (c === "\\") out += "\\\\";
    else if (c === "\n") out += "\\n";
    else if (c === "\r") out += "\\r";
    else if (c === "\t") out += "\\t";
    else if (c === "\b") out += "\\b";
    else if (c === "\f") out += "\\f";
    else if (code < 0x20 || code > 0x7e) out += "\\u" + code.toString(16).padStart(4, "0");
    else out += c;
  }
  return out + '"';
}

/** Python `json.dumps(value[, sort_keys=True])`: `", "` and `": "` separators, ASCII-only output. */
export function pyJsonDumps(value: JsonValue, sortKeys = false): string {
  if (value === null) return "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") return String(value);
  if (typeof value === "string") return pyString(value);
  if (Array.isArray(value)) return "[" + value.map((item) => pyJsonDumps(item, sortKeys)).join(", ") + "]";
  const keys = Object.keys(value);
  if (sortKeys) keys.sort();
  return "{" + keys.map((key) => `${pyString(key)}: ${pyJsonDumps(value[key] as JsonValue, sortKeys)}`).join(", ") + "}";
}

/** Remote unit bags in unit-number order (Juju gives no order; this makes results reproducible). */
export function unitsInOrder(units: Record<string, Databag>): Array<[string, Databag]> {
  const unitNumber = (name: string): number => Number.parseInt(name.slice(name.lastIndexOf("/") + 1), 10);
  return Object.entries(units).sort(([a], [b]) => {
    const [na, nb] = [unitNumber(a), unitNumber(b)];
    if (Number.isFinite(na) && Number.isFinite(nb) && na !== nb) return na - nb;
    return a < b ? -1 : a > b ? 1 : 0;
  });
}

/**
 * Stable pseudo-random text for identifiers the Python libraries draw at random (http-proxy
 * requirer uuid, valkey salt): deriving them from the relation keeps this module pure and makes
 * every unit compute the same value.
 */
export function stableDigest(...parts: string[]): string {
  return createHash("sha256").update(parts.join("\u0000")).digest("hex");
}

export function sha256Hex(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
