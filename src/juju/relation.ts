// relation-ids / relation-list / relation-get / relation-set, and Relations: the per-dispatch view that
// caches reads, keeps the cache in step with writes, and refuses what Juju would refuse (as ops does).
import { cached } from "./cache.ts";
import type { JujuContext } from "./context.ts";
import { RelationNotFoundError } from "./errors.ts";
import { runHookTool, runHookToolJson } from "./hookTool.ts";
import type { RelationEndpointMeta } from "./metadata.ts";

/** A databag: string keys to string values. */
export type Databag = Record<string, string>;

export interface Relation {
  endpoint: string;
  id: number;
}

/** Ids of the relations on `endpoint` (`["db:3"]` → `[3]`); in its own -broken hook a relation is still listed. */
export async function relationIds(endpoint: string): Promise<number[]> {
  const ids = (await runHookToolJson<string[] | null>("relation-ids", [endpoint])) ?? [];
  return ids.map((id) => Number(id.slice(id.lastIndexOf(":") + 1)));
}

/** The remote units in scope on the relation. */
export async function relationList(relationId: number): Promise<string[]> {
  return (await runHookToolJson<string[] | null>("relation-list", ["-r", String(relationId)])) ?? [];
}

/** The remote application's name (undefined when Juju does not know it). */
export async function relationRemoteApp(relationId: number): Promise<string | undefined> {
  return (await runHookToolJson<string | null>("relation-list", ["-r", String(relationId), "--app"])) || undefined;
}

/** One whole databag: a unit's (`owner` = `app/n`) or, with `app`, an application's (`owner` = app name). */
export async function relationGet(relationId: number, owner: string, options: { app: boolean }): Promise<Databag> {
  const args = ["-r", String(relationId), ...(options.app ? ["--app"] : []), "-", owner];
  return (await runHookToolJson<Databag | null>("relation-get", args)) ?? {};
}

/** Merges `changes` into this unit's (or, with `app`, this application's) databag; `""` deletes a key. Data goes on stdin. */
export async function relationSet(relationId: number, changes: Databag, options: { app: boolean }): Promise<void> {
  const args = ["-r", String(relationId), ...(options.app ? ["--app"] : []), "--file", "-"];
  await runHookTool("relation-set", args, { stdin: JSON.stringify(changes) });
}

/** A read or write Juju would refuse, caught before calling it. */
export class RelationDataAccessError extends Error {
  override name = "RelationDataAccessError";
}

/** Relations of this dispatch: every read is made once, writes update what was read. */
export class Relations {
  readonly #context: JujuContext;
  readonly #endpoints: Record<string, RelationEndpointMeta>;
  readonly #isLeader: () => Promise<boolean>;
  readonly #ids = new Map<string, Promise<Relation[]>>();
  readonly #units = new Map<number, Promise<string[]>>();
  readonly #apps = new Map<number, Promise<string | undefined>>();
  readonly #bags = new Map<string, Promise<Databag>>();

  constructor(context: JujuContext, endpoints: Record<string, RelationEndpointMeta>, isLeader: () => Promise<boolean>) {
    this.#context = context;
    this.#endpoints = endpoints;
    this.#isLeader = isLeader;
  }

  /**
   * The live relations on `endpoint`. Juju still lists a relation in its own -broken hook; it is gone
   * there for the charm (as in ops), so its data leaves the app's environment in that very hook.
   */
  async list(endpoint: string): Promise<Relation[]> {
    this.#endpoint(endpoint);
    const broken = this.#context.dispatchPath.endsWith("-relation-broken") ? this.#context.relationId : undefined;
    return cached(this.#ids, endpoint, async () => (await relationIds(endpoint)).filter((id) => id !== broken).map((id) => ({ endpoint, id })));
  }

  /** Remote units in scope; in -departed/-broken the event's remote unit is kept so its data stays readable. */
  units(relation: Relation): Promise<string[]> {
    return cached(this.#units, relation.id, async () => {
      const units = await relationList(relation.id);
      const remote = this.#isEventRelation(relation) ? this.#context.remoteUnit : undefined;
      return remote && !units.includes(remote) ? [...units, remote] : units;
    });
  }

  /** The remote application, from the environment for the event's relation; undefined if the relation is gone. */
  remoteApp(relation: Relation): Promise<string | undefined> {
    if (this.#isEventRelation(relation) && this.#context.remoteApp) return Promise.resolve(this.#context.remoteApp);
    return cached(this.#apps, relation.id, async () => {
      try {
        return await relationRemoteApp(relation.id);
      } catch (error) {
        if (error instanceof RelationNotFoundError) return undefined;
        throw error;
      }
    });
  }

  /** A unit's databag (`owner` = `app/n`) or an application's (`owner` = app name). */
  async read(relation: Relation, owner: string): Promise<Databag> {
    const app = !owner.includes("/");
    if (app && owner === this.#context.appName && this.#endpoint(relation.endpoint).role !== "peer" && !(await this.#isLeader())) {
      throw new RelationDataAccessError(
        `${this.#context.unitName} is not the leader, so it cannot read its own application databag on ${describe(relation)}; ` +
          "only the leader can (peer relations excepted)",
      );
    }
    return cached(this.#bags, bagKey(relation, owner), () => relationGet(relation.id, owner, { app }));
  }

  /** This unit's databag (or, with `app`, this application's: leader only). */
  readOwn(relation: Relation, options: { app: boolean }): Promise<Databag> {
    return this.read(relation, options.app ? this.#context.appName : this.#context.unitName);
  }

  /**
   * Writes `changes` to this unit's databag (or, with `app`, this application's; leader only). `""` deletes
   * a key. When the bag was read in this dispatch, unchanged keys are dropped and nothing left means no call.
   */
  async write(relation: Relation, changes: Databag, options: { app: boolean }): Promise<void> {
    if (options.app && !(await this.#isLeader())) {
      throw new RelationDataAccessError(
        `${this.#context.unitName} is not the leader, so it cannot write the application databag on ${describe(relation)}`,
      );
    }
    for (const [key, value] of Object.entries(changes)) {
      if (!key) throw new RelationDataAccessError(`relation data keys must not be empty (${describe(relation)})`);
      if (typeof value !== "string") throw new RelationDataAccessError(`relation data value of ${JSON.stringify(key)} must be a string`);
    }
    const key = bagKey(relation, options.app ? this.#context.appName : this.#context.unitName);
    const known = this.#bags.has(key) ? await this.#bags.get(key)! : undefined;
    const effective = known
      ? Object.fromEntries(Object.entries(changes).filter(([k, v]) => (v === "" ? k in known : known[k] !== v)))
      : changes;
    if (Object.keys(effective).length === 0) return;
    await relationSet(relation.id, effective, options);
    if (!known) return;
    const updated = { ...known };
    for (const [k, v] of Object.entries(effective)) {
      if (v === "") delete updated[k];
      else updated[k] = v;
    }
    this.#bags.set(key, Promise.resolve(updated));
  }

  #isEventRelation(relation: Relation): boolean {
    return relation.id === this.#context.relationId;
  }

  #endpoint(name: string): RelationEndpointMeta {
    const endpoint = this.#endpoints[name];
    if (!endpoint) throw new RelationDataAccessError(`the charm declares no relation endpoint ${JSON.stringify(name)} in metadata.yaml`);
    return endpoint;
  }
}

function describe(relation: Relation): string {
  return `relation ${relation.endpoint}:${relation.id}`;
}

function bagKey(relation: Relation, owner: string): string {
  return `${relation.id}\0${owner}`;
}

