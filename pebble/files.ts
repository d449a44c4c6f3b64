// The /v1/files API: push (multipart written by hand), pull (multipart parsed by hand), list,
// make-dirs and remove. Per-path failures become PathError with Pebble's kind.
import { randomBytes } from "node:crypto";
import type { PebbleConnection } from "./connection.ts";
import { PathError, PebbleAPIError, PebbleError } from "./errors.ts";

/** Owner of a file or directory; a group needs a user too (Pebble's rule). */
export interface Ownership {
  user?: string;
  userId?: number;
  group?: string;
  groupId?: number;
}

export interface PushOptions extends Ownership {
  /** Create missing parent directories (mode 0755). */
  makeDirs?: boolean;
  /** Mode bits, e.g. 0o600. Pebble's default is 0o644. */
  permissions?: number;
}

export interface MakeDirOptions extends Ownership {
  makeParents?: boolean;
  /** Mode bits, e.g. 0o750. Pebble's default is 0o755. */
  permissions?: number;
}

export interface ListFilesOptions {
  /** A Go `path.Match` glob applied to entry names. */
  pattern?: string;
  /** Describe the directory itself instead of its entries. */
  itself?: boolean;
}

export interface FileInfo {
  path: string;
  name: string;
  type: "file" | "directory" | "symlink" | "socket" | "named-pipe" | "device" | "unknown";
  /** Only for regular files. */
  size?: number;
  /** Mode bits, e.g. 0o644. */
  permissions: number;
  lastModified: string;
  userId: number | null;
  user: string;
  groupId: number | null;
  group: string;
}

const FILE_ERROR_KINDS = new Set(["not-found", "permission-denied", "generic-file-error"]);

/** Writes `data` to `path` atomically (temporary file, then rename). */
export async function push(client: PebbleConnection, path: string, data: string | Buffer, options: PushOptions = {}): Promise<void> {
  const boundary = randomBytes(16).toString("hex"); // Pebble requires at least 32 characters
  const metadata = {
    action: "write",
    files: [{ path, ...(options.makeDirs ? { "make-dirs": true } : {}), ...modeField(options.permissions), ...ownerFields(options) }],
  };
  const body = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Type: application/json\r\nContent-Disposition: form-data; name="request"\r\n\r\n` +
        `${JSON.stringify(metadata)}\r\n` +
        `--${boundary}\r\nContent-Type: application/octet-stream\r\n` +
        `Content-Disposition: form-data; name="files"; filename="${quoteEscape(path)}"\r\n\r\n`,
    ),
    typeof data === "string" ? Buffer.from(data, "utf8") : data,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const response = await client.requestRaw("POST", "/v1/files", {
    headers: { Accept: "application/json", "Content-Type": `multipart/form-data; boundary="${boundary}"` },
    body,
  });
  throwPathErrors(client.parseEnvelope("POST", "/v1/files", response).result);
}

/** Reads the file at `path`. A missing file raises PathError with kind "not-found". */
export async function pull(client: PebbleConnection, path: string): Promise<Buffer> {
  // Accept is compared as an exact string by Pebble.
  const response = await client.requestRaw("GET", "/v1/files", { query: { action: "read", path }, headers: { Accept: "multipart/form-data" } });
  const contentType = response.headers["content-type"] ?? "";
  const boundary = /^multipart\/form-data;.*\bboundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  if (!boundary) {
    // Request-level failures are plain JSON envelopes.
    client.parseEnvelope("GET", "/v1/files", response);
    throw new PebbleError(`Pebble answered a file read with content-type ${JSON.stringify(contentType)}, expected multipart/form-data`);
  }
  const parts = parseMultipart(response.body, (boundary[1] ?? boundary[2])!);
  const responsePart = parts.find((part) => part.name === "response");
  if (!responsePart) throw new PebbleError(`Pebble's answer for ${path} has no "response" part`);
  const envelope = client.parseEnvelope("GET", "/v1/files", { ...response, body: responsePart.body });
  throwPathErrors(envelope.result);
  const files = parts.filter((part) => part.name === "files");
  if (files.length !== 1 || files[0]!.filename !== path) {
    throw new PebbleError(`Pebble's answer for ${path} holds ${files.map((part) => JSON.stringify(part.filename)).join(", ") || "no file"}`);
  }
  return files[0]!.body;
}

export async function listFiles(client: PebbleConnection, path: string, options: ListFilesOptions = {}): Promise<FileInfo[]> {
  let entries: Record<string, unknown>[];
  try {
    entries = await client.requestSync<Record<string, unknown>[]>("GET", "/v1/files", {
      query: { action: "list", path, pattern: options.pattern, itself: options.itself ? "true" : undefined },
    });
  } catch (error) {
    if (error instanceof PebbleAPIError && error.kind && FILE_ERROR_KINDS.has(error.kind)) throw new PathError(path, error.kind, error.apiMessage);
    throw error;
  }
  return entries.map((e) => ({
    path: String(e.path),
    name: String(e.name),
    type: e.type as FileInfo["type"],
    ...(e.size !== undefined ? { size: Number(e.size) } : {}),
    permissions: parseInt(String(e.permissions), 8),
    lastModified: String(e["last-modified"]),
    userId: (e["user-id"] ?? null) as number | null,
    user: String(e.user ?? ""),
    groupId: (e["group-id"] ?? null) as number | null,
    group: String(e.group ?? ""),
  }));
}

export async function makeDir(client: PebbleConnection, path: string, options: MakeDirOptions = {}): Promise<void> {
  const dir = { path, ...(options.makeParents ? { "make-parents": true } : {}), ...modeField(options.permissions), ...ownerFields(options) };
  throwPathErrors(await client.requestSync("POST", "/v1/files", { body: { action: "make-dirs", dirs: [dir] } }));
}

/** Removes a file or empty directory; `recursive` removes a tree and accepts a missing path. */
export async function removePath(client: PebbleConnection, path: string, options: { recursive?: boolean } = {}): Promise<void> {
  throwPathErrors(await client.requestSync("POST", "/v1/files", { body: { action: "remove", paths: [{ path, recursive: options.recursive ?? false }] } }));
}

function modeField(permissions: number | undefined): Record<string, string> {
  if (permissions === undefined) return {};
  if (!Number.isInteger(permissions) || permissions < 0 || permissions > 0o777) {
    throw new RangeError(`permissions must be mode bits between 0o000 and 0o777, got ${permissions}`);
  }
  return { permissions: permissions.toString(8).padStart(3, "0") }; // exactly 3 octal digits
}

function ownerFields(owner: Ownership): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  if (owner.userId !== undefined) out["user-id"] = owner.userId;
  if (owner.user !== undefined) out.user = owner.user;
  if (owner.groupId !== undefined) out["group-id"] = owner.groupId;
  if (owner.group !== undefined) out.group = owner.group;
  return out;
}

function throwPathErrors(result: unknown): void {
  for (const entry of (result ?? []) as { path: string; error?: { message?: string; kind?: string } }[]) {
    if (entry.error) throw new PathError(entry.path, entry.error.kind ?? "", entry.error.message ?? "unknown error");
  }
}

function quoteEscape(text: string): string {
  return text.replace(/[\\"]/g, (c) => `\\${c}`);
}

interface Part {
  name: string;
  filename?: string;
  body: Buffer;
}

/** Splits a complete multipart body (Go's multipart.Writer output) into parts. */
function parseMultipart(body: Buffer, boundary: string): Part[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: Part[] = [];
  let at = body.indexOf(delimiter);
  if (at < 0) throw new PebbleError("malformed multipart answer from Pebble: no boundary");
  for (;;) {
    at += delimiter.length;
    if (body.subarray(at, at + 2).toString() === "--") return parts; // closing delimiter
    const headersEnd = body.indexOf("\r\n\r\n", at);
    const next = body.indexOf(Buffer.from(`\r\n--${boundary}`), headersEnd);
    if (headersEnd < 0 || next < 0) throw new PebbleError("malformed multipart answer from Pebble: truncated part");
    const headers = body.subarray(at, headersEnd).toString("utf8");
    const disposition = /^content-disposition:(.*)$/im.exec(headers)?.[1] ?? "";
    const name = dispositionParam(disposition, "name");
    const filename = dispositionParam(disposition, "filename");
    parts.push({ name: name ?? "", ...(filename !== undefined ? { filename } : {}), body: body.subarray(headersEnd + 4, next) });
    at = next + 2;
  }
}

/** Reads `key="quoted \"value\""` (or an unquoted token) from a Content-Disposition header. */
function dispositionParam(disposition: string, key: string): string | undefined {
  const match = new RegExp(`;\\s*${key}=(?:"((?:[^"\\\\]|\\\\.)*)"|([^;\\s]*))`, "i").exec(disposition);
  if (!match) return undefined;
  return match[1] !== undefined ? match[1].replace(/\\(.)/g, "$1") : match[2];
}
