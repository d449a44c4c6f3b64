// `juju integrate a[:ep] b[:ep]` and `juju remove-relation`: which endpoints the user means, inferred
// by interface and role when left out, with Juju's error texts.
import type { Model, Relation, RelationEnd } from "../model.ts";
import { JujuError } from "./errors.ts";

export function parseEndpoint(text: string): { app: string; endpoint?: string } {
  const [app, endpoint] = text.split(":");
  return endpoint ? { app: app!, endpoint } : { app: app! };
}

function key(a: RelationEnd, b: RelationEnd): string {
  return `${a.app}:${a.endpoint} ${b.app}:${b.endpoint}`;
}

/** The one pair of endpoints with the same interface, one providing and one requiring. */
export function inferRelation(model: Model, first: string, second: string): [RelationEnd, RelationEnd] {
  const a = parseEndpoint(first);
  const b = parseEndpoint(second);
  const appA = model.applications[a.app];
  const appB = model.applications[b.app];
  if (!appA) throw new JujuError(`application "${a.app}" not found (not found)`);
  if (!appB) throw new JujuError(`application "${b.app}" not found (not found)`);
  for (const side of [a, b]) {
    const charm = model.applications[side.app]!.charm;
    if (side.endpoint && !charm.endpoints[side.endpoint]) throw new JujuError(`application "${side.app}" has no "${side.endpoint}" relation`);
  }
  const candidates: Array<[RelationEnd, RelationEnd]> = [];
  for (const [nameA, metaA] of Object.entries(appA.charm.endpoints)) {
    if (a.endpoint && nameA !== a.endpoint) continue;
    for (const [nameB, metaB] of Object.entries(appB.charm.endpoints)) {
      if (b.endpoint && nameB !== b.endpoint) continue;
      const complementary = (metaA.role === "provides" && metaB.role === "requires") || (metaA.role === "requires" && metaB.role === "provides");
      if (complementary && metaA.interface === metaB.interface) candidates.push([{ app: a.app, endpoint: nameA }, { app: b.app, endpoint: nameB }]);
    }
  }
  if (candidates.length === 0) throw new JujuError(`no relations found`);
  if (candidates.length > 1) {
    throw new JujuError(`ambiguous relation: "${first} ${second}" could refer to ${candidates.map(([x, y]) => `"${key(x, y)}"`).join("; ")}`);
  }
  const [endA, endB] = candidates[0]!;
  const existing = liveRelations(model).find((r) => sameEnds(r, endA, endB));
  if (existing) throw new JujuError(`cannot add relation "${key(endA, endB)}": relation ${key(endA, endB)} already exists (already exists)`);
  return [endA, endB];
}

/** The live relation `juju remove-relation a[:ep] b[:ep]` (or `juju remove-relation <id>`) names. */
export function findRelation(model: Model, first: string, second?: string): Relation {
  if (second === undefined) {
    const relation = /^\d+$/.test(first) ? liveRelations(model).find((r) => r.id === Number(first)) : undefined;
    if (!relation) throw new JujuError(`relation "${first}" not found (not found)`);
    return relation;
  }
  const a = parseEndpoint(first);
  const b = parseEndpoint(second);
  for (const side of [a, b]) if (!model.applications[side.app]) throw new JujuError(`application "${side.app}" not found (not found)`);
  const matches = liveRelations(model).filter((r) => r.ends.length === 2 && [[a, b], [b, a]].some(([x, y]) =>
    r.ends[0]!.app === x!.app && r.ends[1]!.app === y!.app &&
    (!x!.endpoint || r.ends[0]!.endpoint === x!.endpoint) && (!y!.endpoint || r.ends[1]!.endpoint === y!.endpoint)));
  if (matches.length === 0) throw new JujuError(`relation "${first} ${second}" not found (not found)`);
  if (matches.length > 1) {
    throw new JujuError(`ambiguous relation: "${first} ${second}" could refer to ${matches.map((r) => `"${key(r.ends[0]!, r.ends[1]!)}"`).join("; ")}`);
  }
  return matches[0]!;
}

function liveRelations(model: Model): Relation[] {
  return Object.values(model.relations).filter((r) => !r.broken);
}

function sameEnds(relation: Relation, a: RelationEnd, b: RelationEnd): boolean {
  const has = (end: RelationEnd) => relation.ends.some((e) => e.app === end.app && e.endpoint === end.endpoint);
  return relation.ends.length === 2 && has(a) && has(b);
}
