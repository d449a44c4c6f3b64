// A whole-run check that no secret value reaches a hook tool's argv (juju-log and status-set messages,
// relation-set, action-set, ... all travel there). When $PAAS_SIM_SECRET_AUDIT names a file, every hook
// tool compares its own argv with every secret content the model holds, committed or pending in the
// hook; a match is appended to that file as tool, unit and secret id, never the value. `npm test` sets
// the variable for the whole suite and fails when the file is not empty.
import { appendFileSync } from "node:fs";
import type { Model } from "../model.ts";
import type { Journal } from "./pending.ts";

export const SECRET_AUDIT_ENV = "PAAS_SIM_SECRET_AUDIT";
/** Shorter values ("True", a port) would match innocent text; every generated secret is far longer. */
const MIN_LENGTH = 8;

export interface SecretLeak {
  tool: string;
  unit: string;
  secret: string;
  key: string;
}

/** Each secret content value of the model and of the hook's pending secret-add/secret-set. */
function secretValues(model: Model, journal: Journal): Array<{ secret: string; key: string; value: string }> {
  const values: Array<{ secret: string; key: string; value: string }> = [];
  const add = (secret: string, content: Record<string, string> | undefined) => {
    for (const [key, value] of Object.entries(content ?? {})) if (value.length >= MIN_LENGTH) values.push({ secret, key, value });
  };
  for (const [id, secret] of Object.entries(model.secrets)) for (const revision of secret.revisions) add(id, revision.content);
  for (const op of journal.ops) {
    if (op.op === "secret-add") for (const revision of op.secret.revisions) add(op.secret.id, revision.content);
    if (op.op === "secret-set") add(op.id, op.content);
  }
  return values;
}

export function findLeaks(tool: string, unit: string, argv: readonly string[], model: Model, journal: Journal): SecretLeak[] {
  const leaks: SecretLeak[] = [];
  for (const { secret, key, value } of secretValues(model, journal)) {
    if (argv.some((arg) => arg.includes(value))) leaks.push({ tool, unit, secret, key });
  }
  return leaks;
}

export function auditArgv(auditFile: string | undefined, tool: string, unit: string, argv: readonly string[], model: Model, journal: Journal): void {
  if (!auditFile) return;
  for (const leak of findLeaks(tool, unit, argv, model, journal)) appendFileSync(auditFile, `${JSON.stringify(leak)}\n`);
}
