// Typed failures of hook tools. Callers branch on the class, never on message text; the mapping from
// Juju's stderr to a class lives here only (docs/juju-contract.md §2.1, §3).
//
// Messages hold the tool name, its exit code and Juju's own error text — never the arguments or the
// stdin data, which may carry relation data or secret content.

/** A hook tool exited non-zero (or could not be started). `jujuMessage` is Juju's stderr without `ERROR `. */
export class HookToolError extends Error {
  override name = "HookToolError";
  readonly tool: string;
  /** The tool's exit status: 2 for bad arguments, 1 when the command itself failed; undefined if it never ran. */
  readonly exitCode: number | undefined;
  readonly jujuMessage: string;

  constructor(tool: string, exitCode: number | undefined, jujuMessage: string) {
    super(`${tool} failed${exitCode === undefined ? "" : ` (exit ${exitCode})`}: ${jujuMessage}`);
    this.tool = tool;
    this.exitCode = exitCode;
    this.jujuMessage = jujuMessage;
  }
}

/** The relation id is unknown to this unit or the relation is already broken. */
export class RelationNotFoundError extends HookToolError {
  override name = "RelationNotFoundError";
}

/** A secret-* tool could not find the secret (unknown id/label, or not owned by this unit/app). */
export class SecretNotFoundError extends HookToolError {
  override name = "SecretNotFoundError";
}

/** A leader-only operation (app status, app-owned secrets, leader-set) by a unit that is not the leader. */
export class NotLeaderError extends HookToolError {
  override name = "NotLeaderError";
}

/**
 * Juju refused access: `permission denied` / `access denied` (a secret not granted to this app, cloud
 * credentials without `juju trust`) and `cannot write relation settings` (a non-leader writing its app
 * databag). The latter is folded in here because the caller's remedy is the same — this unit lacks the
 * right — and ops treats all of them as one class of security event.
 */
export class PermissionDeniedError extends HookToolError {
  override name = "PermissionDeniedError";
}

/** An action-* tool was called outside an action dispatch. */
export class NotInActionError extends HookToolError {
  override name = "NotInActionError";
}

/** The most specific error class for a failed tool, chosen from Juju's stderr text. */
export function hookToolError(tool: string, exitCode: number | undefined, stderr: string): HookToolError {
  const message = jujuMessage(stderr, exitCode);
  if (message.includes("relation not found")) return new RelationNotFoundError(tool, exitCode, message);
  // `secret "secret:<id>" not found` (3.6), `getting latest secret revision: secret not found` (4.1); a
  // missing key of a secret that exists (`secret key value "k" not found`) is not a missing secret.
  if (tool.startsWith("secret-") && / not found$/.test(message) && !message.startsWith("secret key value ")) return new SecretNotFoundError(tool, exitCode, message);
  if (message.includes("not the leader")) return new NotLeaderError(tool, exitCode, message);
  if (message.includes("not running an action")) return new NotInActionError(tool, exitCode, message);
  // Juju 4.x refuses an ungranted secret with `"<unit>" is not allowed to read this secret` (and to manage
  // one it does not own) in its domain/secret service, where 3.6 says `permission denied`.
  if (/permission denied|access denied|cannot write relation settings|is not allowed to (?:read|manage) this secret/.test(message)) {
    return new PermissionDeniedError(tool, exitCode, message);
  }
  return new HookToolError(tool, exitCode, message);
}

/** Juju's error text: stderr without the `ERROR ` prefix of each line and without surrounding blank space. */
function jujuMessage(stderr: string, exitCode: number | undefined): string {
  const text = stderr
    .split("\n")
    .map((line) => line.replace(/^ERROR /, ""))
    .join("\n")
    .trim();
  return text || `no error text on stderr (exit ${exitCode ?? "unknown"})`;
}
