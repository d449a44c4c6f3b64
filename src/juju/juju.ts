// The per-dispatch facade: context, metadata and event of this dispatch, and the caches that let a reconcile
// ask for what it needs with the fewest hook-tool calls. Writes go through the wrapper modules directly
// (except relation data, whose cache Relations keeps in step).
import { cached } from "./cache.ts";
import { configGet, type ConfigValues } from "./config.ts";
import { readJujuContext, type JujuContext } from "./context.ts";
import { parseEvent, type JujuEvent } from "./event.ts";
import { Leadership } from "./leader.ts";
import { loadCharmMeta, type CharmMeta } from "./metadata.ts";
import { networkGet, type Network } from "./network.ts";
import { Relations } from "./relation.ts";
import { canonicalSecretId, secretGet, type SecretContent, type SecretRef } from "./secret.ts";

export class Juju {
  readonly context: JujuContext;
  readonly meta: CharmMeta;
  readonly event: JujuEvent;
  readonly relations: Relations;
  readonly #leadership = new Leadership();
  readonly #config = new Map<"config", Promise<ConfigValues>>();
  readonly #secrets = new Map<string, Promise<SecretContent>>();
  readonly #networks = new Map<string, Promise<Network>>();

  /** `event`: the dispatch's event when the caller parsed it already. */
  constructor(context: JujuContext, meta: CharmMeta, event: JujuEvent = parseEvent(context, meta)) {
    this.context = context;
    this.meta = meta;
    this.event = event;
    this.relations = new Relations(context, meta.metadata.relations, () => this.isLeader());
  }

  /** Reads the environment and the charm's yaml files (JujuContextError / CharmMetadataError when they are unusable). */
  static async load(env: Record<string, string | undefined> = process.env): Promise<Juju> {
    const context = readJujuContext(env);
    return new Juju(context, await loadCharmMeta(context.charmDir));
  }

  /** The application config: one config-get per dispatch. */
  config(): Promise<ConfigValues> {
    return cached(this.#config, "config", configGet);
  }

  /** Leadership: one is-leader per 30 s. */
  isLeader(): Promise<boolean> {
    return this.#leadership.get();
  }

  /** A secret's tracked content, read once per dispatch per id/label. For refresh or peek call secretGet. */
  secret(ref: SecretRef): Promise<SecretContent> {
    const id = ref.id === undefined ? undefined : this.canonicalSecretId(ref.id);
    return cached(this.#secrets, JSON.stringify([id, ref.label]), () => secretGet(ref));
  }

  /** A binding's network, read once per dispatch per binding and relation. */
  network(binding: string, relationId?: number): Promise<Network> {
    return cached(this.#networks, `${binding}\0${relationId ?? ""}`, () => networkGet(binding, relationId));
  }

  /** `secret://<model-uuid>/<id>` for a bare id; `secret:` forms unchanged. */
  canonicalSecretId(id: string): string {
    return canonicalSecretId(id, this.context.modelUuid);
  }
}
