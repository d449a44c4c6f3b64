// The registry of secret values that must never leave the charm in clear text. juju/log.ts applies it
// to every forwarded log message; juju/secret.ts registers every value it reads or writes.

const secrets = new Set<string>();
/** Longest first, so a secret that contains another is replaced whole. Rebuilt on registration. */
let ordered: string[] = [];

/** Remember a secret value so that `redact` replaces it with `***` from now on. Empty strings are ignored. */
export function registerSecret(value: string): void {
  if (!value || secrets.has(value)) return;
  secrets.add(value);
  ordered = [...secrets].sort((a, b) => b.length - a.length);
}

/** `text` with every registered secret value replaced by `***`. */
export function redact(text: string): string {
  let result = text;
  for (const secret of ordered) if (result.includes(secret)) result = result.split(secret).join("***");
  return result;
}
