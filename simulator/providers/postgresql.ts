// postgresql-k8s as the simulator plays it: a scripted provider of postgresql_client backed by a real local
// PostgreSQL. On a request it creates the relation's role and the database, then publishes what the real
// charm publishes (docs/integrations.md, "Databases"): endpoints, database, version, and the credentials in a
// `secret-user` Juju secret granted to the requirer (`secret-tls` says TLS is off).
//
// Roles and ownership follow postgresql-k8s 14 (src/relations/postgresql_provider.py and its
// lib/charms/postgresql_k8s/v0/postgresql.py): the database is the operator's, the relation's role
// `relation_id_<id>` gets ALL on it; when that relation is the only one asking for the database, the role
// takes ownership of every table, sequence, function and view in it (so a re-integrated app owns the
// tables its earlier relation created), otherwise it is granted ALL on them. relation-broken deletes the
// role after REASSIGN OWNED BY it to the operator and DROP OWNED BY it.
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
  /** Runs SQL as the superuser in `database` (an error rejects). */
  sql(database: string, statements: string): Promise<void>;
}

/** The server's superuser: postgresql-k8s's `operator` user. */
const OPERATOR = "postgres";

/** Schemas of the database's own objects (postgresql.py leaves out pg_catalog and information_schema). */
const USER_SCHEMAS = "NOT IN ('pg_catalog', 'information_schema')";

/**
 * postgresql.py create_database: the database (the operator's), ALL on it for the role, then the
 * ownership of every object to the only relation asking for it, or grants when several share it.
 */
async function createDatabase(server: PostgresServer, database: string, user: string, password: string, relationsAskingForIt: number): Promise<void> {
  const exists = await server.sql("postgres", `DO $$ BEGIN IF EXISTS (SELECT FROM pg_database WHERE datname = '${database}') THEN RAISE EXCEPTION 'exists'; END IF; END $$;\n`)
    .then(() => false, () => true);
  await server.sql("postgres",
    `SELECT format('CREATE ROLE %I', '${user}') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${user}')\\gexec\n` +
    `ALTER ROLE "${user}" WITH LOGIN ENCRYPTED PASSWORD '${password}';\n` +
    (exists ? "" : `CREATE DATABASE "${database}";\n`) +
    `REVOKE ALL PRIVILEGES ON DATABASE "${database}" FROM PUBLIC;\n` +
    `GRANT ALL PRIVILEGES ON DATABASE "${database}" TO "${user}";\n`);
  // A new database of PostgreSQL 14 (what postgresql-k8s 14 runs) lets every role create in schema public;
  // 15 and later do not, and the local server may be newer.
  const schemaPublic = exists ? "" : "GRANT USAGE, CREATE ON SCHEMA public TO PUBLIC;\n";
  const privileges = relationsAskingForIt === 1
    ? `DO $$ DECLARE r RECORD; BEGIN
  FOR r IN (SELECT 'ALTER TABLE ' || quote_ident(schemaname) || '.' || quote_ident(tablename) || ' OWNER TO "${user}"' AS statement FROM pg_tables WHERE schemaname ${USER_SCHEMAS}
    UNION ALL SELECT 'ALTER SEQUENCE ' || quote_ident(sequence_schema) || '.' || quote_ident(sequence_name) || ' OWNER TO "${user}"' FROM information_schema.sequences WHERE sequence_schema ${USER_SCHEMAS}
    UNION ALL SELECT 'ALTER FUNCTION ' || quote_ident(n.nspname) || '.' || quote_ident(p.proname) || '(' || pg_get_function_identity_arguments(p.oid) || ') OWNER TO "${user}"' FROM pg_proc p JOIN pg_namespace n ON p.pronamespace = n.oid WHERE n.nspname ${USER_SCHEMAS} AND n.nspname NOT LIKE 'pg_%'
    UNION ALL SELECT 'ALTER VIEW ' || quote_ident(schemaname) || '.' || quote_ident(viewname) || ' OWNER TO "${user}"' FROM pg_views WHERE schemaname ${USER_SCHEMAS}) LOOP
    EXECUTE r.statement;
  END LOOP;
END $$;\n`
    : `DO $$ DECLARE s RECORD; BEGIN
  FOR s IN (SELECT schema_name FROM information_schema.schemata WHERE schema_name NOT LIKE 'pg_%' AND schema_name <> 'information_schema') LOOP
    EXECUTE format('GRANT ALL PRIVILEGES ON ALL TABLES IN SCHEMA %I TO "${user}"', s.schema_name);
    EXECUTE format('GRANT ALL PRIVILEGES ON ALL SEQUENCES IN SCHEMA %I TO "${user}"', s.schema_name);
    EXECUTE format('GRANT ALL PRIVILEGES ON ALL FUNCTIONS IN SCHEMA %I TO "${user}"', s.schema_name);
  END LOOP;
END $$;\n`;
  await server.sql(database, schemaPublic + privileges);
}

/** postgresql.py delete_user: what the role owns goes to the operator in every database, then the role goes. */
async function deleteUser(server: PostgresServer, user: string, databases: string[]): Promise<void> {
  for (const database of databases) {
    await server.sql(database, `DO $$ BEGIN IF EXISTS (SELECT FROM pg_roles WHERE rolname = '${user}') THEN
  REASSIGN OWNED BY "${user}" TO "${OPERATOR}"; DROP OWNED BY "${user}";
END IF; END $$;\n`);
  }
  await server.sql("postgres", `DROP ROLE IF EXISTS "${user}";\n`);
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
      if (event.kind !== "relation" || event.endpoint !== "database") return;
      if (!model.units[unit]?.leader) return;
      const relation = model.relations[String(event.relationId)];
      if (!relation) return;
      const user = `relation_id_${relation.id}`;
      const ours = (other: typeof relation) => other.ends.some((e) => e.app === name && e.endpoint === "database");
      const requested = (other: typeof relation) => other.ends.filter((e) => e.app !== name).map((e) => other.appData[e.app]?.database).find(Boolean);
      if (event.hook === "broken") {
        const database = requested(relation);
        await deleteUser(server, user, database ? [database] : []);
        return;
      }
      if (event.hook !== "changed" || relation.broken) return;
      const published = relation.appData[name] ?? {};
      const database = requested(relation);
      if (!database || published["secret-user"]) return;
      const asking = Object.values(model.relations).filter((other) => !other.broken && ours(other) && requested(other) === database).length;
      const password = randomBytes(12).toString("base64url");
      await createDatabase(server, database, user, password, Math.max(asking, 1));
      const endpoint = `${server.host}:${server.port}`;
      const uri = (host: string) => `postgresql://${user}:${password}@${host}/${database}`;
      const owner = { kind: "application" as const, name };
      const userSecret = addSecret(model, { owner, content: { username: user, password, uris: uri(endpoint), "read-only-uris": uri(endpoint) } });
      const tlsSecret = addSecret(model, { owner, content: { tls: "False" } });
      for (const id of [userSecret, tlsSecret]) grantSecret(model, id, relation.id, event.remoteApp);
      relation.appData[name] = {
        ...published,
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
