// User secrets (`juju add-secret`, `grant-secret`) and the JSON of `juju secrets` / `show-secret`.
import type { Model, Secret } from "../model.ts";
import { latestRevision } from "../modelBuilder.ts";
import { JujuError } from "./errors.ts";

/** A secret by `secret:<id>`, `secret://<model-uuid>/<id>`, bare id, or (user secrets) name. */
export function findSecret(model: Model, reference: string): Secret {
  const id = reference.replace(/^secret:(\/\/[^/]+\/)?/, "");
  const secret = model.secrets[id] ?? Object.values(model.secrets).find((s) => s.owner.kind === "model" && s.label === reference);
  if (!secret) throw new JujuError(`secret "${reference}" not found`);
  return secret;
}

/** One secret as `juju secrets --format json` shows it (keyed by id); `reveal` adds its latest content. */
export function secretJson(model: Model, secret: Secret, reveal: boolean): Record<string, unknown> {
  const revisions = secret.revisions;
  const created = revisions[0]?.createdAt ?? new Date().toISOString();
  const updated = revisions.at(-1)?.createdAt ?? created;
  const owner = secret.owner.kind === "model" ? "<model>" : secret.owner.name;
  const json: Record<string, unknown> = {
    revision: latestRevision(secret),
    owner,
    ...(secret.owner.kind === "model" && secret.label ? { name: secret.label } : {}),
    ...(secret.owner.kind !== "model" && secret.label ? { label: secret.label } : {}),
    ...(secret.description ? { description: secret.description } : {}),
    ...(secret.rotate ? { rotation: secret.rotate } : {}),
    ...(secret.expire ? { expires: secret.expire } : {}),
    created,
    updated,
  };
  if (secret.grants.length > 0) {
    json.access = secret.grants.map((g) => ({
      target: `${g.targetKind}-${g.target.replace("/", "-")}`,
      scope: g.relationId === undefined ? `model-${model.uuid}` : `relation-${g.relationId}`,
      role: "view",
    }));
  }
  if (reveal) json.content = { Data: { ...secret.revisions.at(-1)?.content } };
  return json;
}
