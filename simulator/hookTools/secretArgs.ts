// What secret tools take on the command line: secret URIs, `key=value` / `key#base64=` / `key#file=`
// content, --expire and --rotate (Juju's core/secrets rules, docs/juju-contract.md §2.2).
import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { commandError, usageError } from "./args.ts";

const xid = /^[0-9a-v]{20}$/;
const keyRule = /^([a-z](?:-?[a-z0-9]){2,})$/;
const maxValueBytes = 1000 * 1000;
const maxContentBytes = 1000 * 1000;
export const rotatePolicies = ["never", "hourly", "daily", "weekly", "monthly", "quarterly", "yearly"];

/** Accepts `secret:<id>`, `secret://<model-uuid>/<id>` or the bare id; returns the id. */
export function parseSecretId(text: string): string {
  let id = text;
  if (text.startsWith("secret://")) id = text.slice(text.lastIndexOf("/") + 1);
  else if (text.startsWith("secret:")) id = text.slice("secret:".length);
  if (!xid.test(id)) throw usageError(`secret URI ${JSON.stringify(text)} not valid`);
  return id;
}

/** The URI as Juju's URI.String() prints it: `secret:<id>`, or `secret://<model-uuid>/<id>` when given so. */
export function secretUriText(text: string): string {
  const id = parseSecretId(text);
  const source = text.startsWith("secret://") ? text.slice("secret://".length, text.lastIndexOf("/")) : "";
  return source ? `secret://${source}/${id}` : `secret:${id}`;
}

/** Content from arguments: plain values, `#base64` values (decoded here) and `#file` paths. */
export function secretContentFromArgs(args: string[]): Record<string, string> {
  const raw: Record<string, string> = {};
  for (const arg of args) {
    // Base64 padding may end in '=', so the key ends at the first '=' of the unpadded text.
    const idx = arg.replace(/=+$/, "").indexOf("=");
    if (idx < 1) throw usageError(`key value ${JSON.stringify(arg)} not valid`);
    let key = arg.slice(0, idx);
    let value = arg.slice(idx + 1);
    if (key.endsWith("#file")) {
      key = key.slice(0, -"#file".length);
      try {
        value = readFileSync(value, "utf8");
      } catch (error) {
        throw usageError(`reading content for secret key ${JSON.stringify(key)}: open ${value}: ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file or directory" : (error as Error).message}`);
      }
    }
    raw[key] = value;
  }
  return decodeContent(raw);
}

/** `--file`: a YAML or JSON map of keys (with optional #base64 suffix) to values. */
export function secretContentFromFile(path: string): Record<string, string> {
  let data: unknown;
  try {
    data = parseYaml(readFileSync(path, "utf8"));
  } catch (error) {
    throw usageError(`cannot read secret content from ${path}: ${(error as Error).message.split("\n")[0]}`);
  }
  if (data === null || typeof data !== "object" || Array.isArray(data)) throw usageError(`cannot read secret content from ${path}: expected a map of keys to values`);
  return decodeContent(Object.fromEntries(Object.entries(data).map(([k, v]) => [k, String(v)])));
}

function decodeContent(raw: Record<string, string>): Record<string, string> {
  const content: Record<string, string> = {};
  let total = 0;
  for (const [rawKey, value] of Object.entries(raw)) {
    if (value.length > maxValueBytes) throw usageError(`secret content for key ${JSON.stringify(rawKey)} too large: ${value.length} bytes`);
    total += value.length;
    const base64 = rawKey.endsWith("#base64");
    const key = base64 ? rawKey.slice(0, -"#base64".length) : rawKey;
    if (!keyRule.test(key)) throw usageError(`key ${JSON.stringify(key)} not valid`);
    if (base64 && !/^[A-Za-z0-9+/]*={0,2}$/.test(value)) throw usageError(`illegal base64 data for key ${JSON.stringify(key)}`);
    content[key] = base64 ? Buffer.from(value, "base64").toString("utf8") : value;
  }
  if (total > maxContentBytes) throw usageError(`secret content too large: ${total} bytes`);
  return content;
}

/** `--expire`: RFC 3339, `YYYY-MM-DDTHH:MM:SS` (UTC) or a Go duration like `24h` or `1h30m`. */
export function parseExpire(text: string): string {
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(text)) return new Date(text).toISOString();
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/.test(text)) return new Date(`${text}Z`).toISOString();
  const ms = parseGoDuration(text);
  if (ms === undefined) throw usageError(`expire time or duration ${JSON.stringify(text)} not valid`);
  if (ms <= 0) throw usageError(`negative expire duration ${JSON.stringify(text)} not valid`);
  return new Date(Date.now() + ms).toISOString();
}

const unitMs: Record<string, number> = { ns: 1e-6, us: 1e-3, "µs": 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

function parseGoDuration(text: string): number | undefined {
  const match = /^([+-]?)((?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+)$/.exec(text);
  if (!match) return text === "0" ? 0 : undefined;
  let total = 0;
  for (const part of (match[2] ?? "").matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) total += Number(part[1]) * (unitMs[part[2] ?? "s"] ?? 0);
  return match[1] === "-" ? -total : total;
}

export function checkRotate(policy: string | undefined): void {
  if (policy !== undefined && policy !== "" && !rotatePolicies.includes(policy)) throw usageError(`rotate policy ${JSON.stringify(policy)} not valid`);
}

export function secretNotFound(what: string): Error {
  return commandError(`secret ${JSON.stringify(what)} not found`);
}
