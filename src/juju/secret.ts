// secret-* hook tools. Content never travels in argv: each value is written to a file in a private
// (0700) temp directory, passed as `key#file=<path>`, and the directory is removed right after the call.
// Every value read or written is registered for log redaction.
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runHookTool, runHookToolJson } from "./hookTool.ts";
import { registerSecret } from "./redact.ts";

export type SecretContent = Record<string, string>;
export type SecretRotatePolicy = "never" | "hourly" | "daily" | "weekly" | "monthly" | "quarterly" | "yearly";
export type SecretOwner = "application" | "unit";

export interface SecretMetadata {
  label?: string;
  description?: string;
  /** A Date, an RFC 3339 time, or a duration such as `24h`. */
  expire?: Date | string;
  rotate?: SecretRotatePolicy;
}

/** Names a secret by id (any of Juju's forms) and/or by this unit's label for it. */
export interface SecretRef {
  id?: string;
  label?: string;
}

export interface SecretInfo {
  /** Canonical: `secret://<model-uuid>/<id>`. */
  id: string;
  revision: number;
  label: string | undefined;
  owner: SecretOwner | undefined;
  description: string | undefined;
  rotation: SecretRotatePolicy | undefined;
  expiry: string | undefined;
  rotates: string | undefined;
}

export class SecretContentError extends Error {
  override name = "SecretContentError";
}

// Juju's rule for content keys: at least 3 characters, lowercase, starting with a letter, no leading/trailing '-'.
const CONTENT_KEY = /^[a-z](?:-?[a-z0-9]){2,}$/;

/** `secret:<id>` stays as is; a bare id becomes `secret://<model-uuid>/<id>` (ops' canonical form). */
export function canonicalSecretId(id: string, modelUuid: string): string {
  const trimmed = id.trim();
  return trimmed.startsWith("secret:") ? trimmed : `secret://${modelUuid}/${trimmed}`;
}

/** Creates a secret (owner application: leader only) and returns its id as Juju prints it (`secret://<model-uuid>/<id>`). */
export async function secretAdd(content: SecretContent, options: SecretMetadata & { owner?: SecretOwner } = {}): Promise<string> {
  if (Object.keys(content).length === 0) throw new SecretContentError("a secret needs at least one key; Juju refuses empty content");
  const output = await withContentFiles(content, (contentArgs) =>
    runHookTool("secret-add", [...metadataArgs(options), ...(options.owner ? ["--owner", options.owner] : []), ...contentArgs]),
  );
  return output.trim();
}

/**
 * The secret's content. Without options: the revision this unit tracks (the first read pins the latest).
 * `refresh` reads the latest and tracks it; `peek` reads the latest once. With both id and label, Juju
 * (re)labels the secret for this unit.
 */
export async function secretGet(ref: SecretRef, options: { refresh?: boolean; peek?: boolean } = {}): Promise<SecretContent> {
  if (options.refresh && options.peek) throw new SecretContentError("secret-get takes refresh or peek, not both");
  const args = [...refArgs(ref), ...(options.refresh ? ["--refresh"] : []), ...(options.peek ? ["--peek"] : [])];
  const content = (await runHookToolJson<SecretContent | null>("secret-get", args)) ?? {};
  for (const value of Object.values(content)) registerSecret(value);
  return content;
}

/** Updates metadata and, when `content` is given, replaces the whole content with a new revision. */
export async function secretSet(id: string, options: SecretMetadata & { content?: SecretContent } = {}): Promise<void> {
  const content = options.content ?? {};
  await withContentFiles(content, (contentArgs) => runHookTool("secret-set", [id, ...metadataArgs(options), ...contentArgs]));
}

/** Removes one revision, or the whole secret when `revision` is not given. */
export async function secretRemove(id: string, options: { revision?: number } = {}): Promise<void> {
  await runHookTool("secret-remove", [id, ...(options.revision === undefined ? [] : ["--revision", String(options.revision)])]);
}

/** Ids of the secrets this unit/app owns, canonicalised. */
export async function secretIds(modelUuid: string): Promise<string[]> {
  const ids = (await runHookToolJson<string[] | null>("secret-ids", [])) ?? [];
  return ids.map((id) => canonicalSecretId(id, modelUuid));
}

/** Metadata of a secret this unit/app owns (SecretNotFoundError otherwise). */
export async function secretInfoGet(ref: SecretRef, modelUuid: string): Promise<SecretInfo> {
  if (ref.id !== undefined && ref.label !== undefined) throw new SecretContentError("secret-info-get takes an id or a label, not both");
  const output = await runHookToolJson<Record<string, Record<string, unknown>>>("secret-info-get", refArgs(ref));
  const [id, info] = Object.entries(output ?? {})[0] ?? [];
  if (id === undefined || info === undefined) throw new SecretContentError("secret-info-get printed no secret");
  const text = (value: unknown): string | undefined => (typeof value === "string" && value ? value : undefined);
  return {
    id: canonicalSecretId(id, modelUuid),
    revision: Number(info.revision),
    label: text(info.label),
    owner: text(info.owner) as SecretOwner | undefined,
    description: text(info.description),
    rotation: text(info.rotation) as SecretRotatePolicy | undefined,
    expiry: text(info.expiry),
    rotates: text(info.rotates),
  };
}

/** Grants the relation's remote application (or one of its units) read access. */
export async function secretGrant(id: string, relationId: number, options: { unit?: string } = {}): Promise<void> {
  await runHookTool("secret-grant", [id, "-r", String(relationId), ...(options.unit ? ["--unit", options.unit] : [])]);
}

/** Revokes access granted over a relation, or to an app or unit. */
export async function secretRevoke(id: string, from: { relationId?: number; app?: string; unit?: string }): Promise<void> {
  const args = [
    ...(from.relationId === undefined ? [] : ["-r", String(from.relationId)]),
    ...(from.app ? ["--app", from.app] : []),
    ...(from.unit ? ["--unit", from.unit] : []),
  ];
  if (args.length === 0) throw new SecretContentError("secret-revoke needs a relation, an app or a unit to revoke from");
  await runHookTool("secret-revoke", [id, ...args]);
}

function refArgs(ref: SecretRef): string[] {
  if (ref.id === undefined && ref.label === undefined) throw new SecretContentError("a secret is named by its id or its label; neither was given");
  return [...(ref.id === undefined ? [] : [ref.id]), ...(ref.label === undefined ? [] : ["--label", ref.label])];
}

function metadataArgs(options: SecretMetadata): string[] {
  const expire = options.expire instanceof Date ? options.expire.toISOString() : options.expire;
  return [
    ...(options.label === undefined ? [] : ["--label", options.label]),
    ...(options.description === undefined ? [] : ["--description", options.description]),
    ...(expire === undefined ? [] : ["--expire", expire]),
    ...(options.rotate === undefined ? [] : ["--rotate", options.rotate]),
  ];
}

/** Runs `call` with `key#file=<path>` arguments for `content`, the files living only for the call. */
async function withContentFiles<T>(content: SecretContent, call: (contentArgs: string[]) => Promise<T>): Promise<T> {
  const keys = Object.keys(content);
  if (keys.length === 0) return call([]);
  for (const key of keys) {
    if (!CONTENT_KEY.test(key)) {
      throw new SecretContentError(
        `secret key ${JSON.stringify(key)} is invalid: keys need 3+ lowercase letters, digits or single hyphens, starting with a letter`,
      );
    }
  }
  const dir = await mkdtemp(join(tmpdir(), "juju-secret-"));
  try {
    await chmod(dir, 0o700);
    const args: string[] = [];
    for (const [key, value] of Object.entries(content)) {
      registerSecret(value);
      const path = join(dir, key);
      await writeFile(path, value, { mode: 0o600 });
      args.push(`${key}#file=${path}`);
    }
    return await call(args);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
