// The application's generated secret key (paas-charm 2.0's design, docs/paas-charm-contract.md §6.1, §6.3): one
// application-owned Juju secret labelled `app-secret-key` holding `{"value": <key>}`, created by the leader.
// A key the Python charm left in the peer app databag is adopted, so refreshing to this charm keeps users'
// sessions. The functions here decide; the charm reads and writes the secret.
import { randomBytes } from "node:crypto";

export const SECRET_KEY_LABEL = "app-secret-key";

/** Where the generated key stands, as observed this hook. */
export interface SecretKeyObservation {
  leader: boolean;
  /** Content of the `app-secret-key` secret; undefined when it does not exist (yet). */
  secretContent?: Readonly<Record<string, string>>;
  /** `<framework>_secret_key` from the `secret-storage` peer app databag (the Python charm's store). */
  legacyPeerValue?: string;
}

/** What the leader must write: create the secret, or give the existing one new content. */
export type SecretKeyWrite = { action: "create"; value: string } | { action: "set-content"; value: string };

export interface SecretKeyDecision {
  /** The key every unit uses; undefined on a non-leader until the leader has created it. */
  key?: string;
  write?: SecretKeyWrite;
}

/** 64 random bytes, base64url without padding: 86 characters of [A-Za-z0-9_-], as Python's token_urlsafe(64). */
export function generateSecretKey(random: (size: number) => Uint8Array = randomBytes): string {
  return Buffer.from(random(64)).toString("base64url");
}

export function decideSecretKey(observed: SecretKeyObservation, generate: () => string = generateSecretKey): SecretKeyDecision {
  const existing = observed.secretContent;
  if (existing?.value) return { key: existing.value };
  if (!observed.leader) return {};
  const value = observed.legacyPeerValue || generate();
  // A secret with no usable value (emptied by hand) is repaired rather than duplicated under the same label.
  return { key: value, write: existing ? { action: "set-content", value } : { action: "create", value } };
}

export type RotationDecision = { fail: string } | { write: SecretKeyWrite; key: string };

/** rotate-secret-key (§6.3): the leader replaces the value; users must log in again. */
export function decideRotation(observed: SecretKeyObservation, generate: () => string = generateSecretKey): RotationDecision {
  if (!observed.leader) return { fail: "only leader unit can rotate secret key" };
  if (observed.secretContent === undefined) return { fail: "charm is still initializing" };
  const value = generate();
  return { key: value, write: { action: "set-content", value } };
}
