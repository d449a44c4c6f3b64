// postgresql-k8s as the simulator plays it: a scripted provider of postgresql_client backed by a real local
// PostgreSQL. On a request it creates the database and a role for the relation, then publishes what the
// real charm publishes (interfaces.md §3.2, §3.5): endpoints, database, version, and the credentials in a
// `secret-user` Juju secret granted to the requirer (`secret-tls` says TLS is off).
import { randomBytes } from "node:crypto";
import type { SimEvent } from "../events.ts";
import type { CharmMeta, Model } from "../model.ts";
import { addSecret, grantSecret } from "../modelBuilder.ts";
import type { ScriptedApp } from "../simulation.ts";

/** A PostgreSQL server the workloads can reach at `host:port`. */
export interface PostgresServer {
  host: string;
  port: number;
  version: string;
  /** Creates (idempotently) `database` owned by a login role `user` with `password`. */
  createDatabase(database: string, user: string, password: string): Promise<unknown>;
}

export const postgresqlCharm: CharmMeta = {
  name: "postgresql-k8s",
  endpoints: {
    database: { role: "provides", interface: "postgresql_client" },
    "database-peers": { role: "peers", interface: "postgresql_peers" },
  },
  extraBindings: [],
  config: {},
  actions: {},
};

export function postgresqlProvider(server: PostgresServer, name = "postgresql-k8s"): ScriptedApp {
  return {
    name,
    charm: { ...postgresqlCharm, name },
    async handle(event: SimEvent, unit: string, model: Model) {
      if (event.kind !== "relation" || event.endpoint !== "database" || event.hook !== "changed") return;
      if (!model.units[unit]?.leader) return;
      const relation = model.relations[String(event.relationId)];
      if (!relation || relation.broken) return;
      const request = relation.appData[event.remoteApp] ?? {};
      const ours = relation.appData[name] ?? {};
      const database = request.database;
      if (!database || ours["secret-user"]) return;
      const user = `relation_id_${relation.id}`;
      const password = randomBytes(12).toString("base64url");
      await server.createDatabase(database, user, password);
      const endpoint = `${server.host}:${server.port}`;
      const uri = (host: string) => `postgresql://${user}:${password}@${host}/${database}`;
      const owner = { kind: "application" as const, name };
      const userSecret = addSecret(model, { owner, content: { username: user, password, uris: uri(endpoint), "read-only-uris": uri(endpoint) } });
      const tlsSecret = addSecret(model, { owner, content: { tls: "False" } });
      for (const id of [userSecret, tlsSecret]) grantSecret(model, id, relation.id, event.remoteApp);
      relation.appData[name] = {
        ...ours,
        database,
        endpoints: endpoint,
        "read-only-endpoints": endpoint,
        "secret-user": `secret://${model.uuid}/${userSecret}`,
        "secret-tls": `secret://${model.uuid}/${tlsSecret}`,
        version: server.version,
      };
    },
  };
}
