// postgresql_client / mysql_client / mongodb_client through data_interfaces v0 DatabaseRequires.
import { field, pyJsonDumps, type Databag } from "./databag.ts";
import { endpointsProblem, isSecretUri, oversizedField, oversizedMessage, textProblem, uriProblem } from "./providerData.ts";
import { PyUrlError, dbUrlEnv, portNumber, pyUrlparse } from "./pyUrl.ts";
import { invalid, secretContent, waiting, type EvalContext, type Integration, type Outcome, type RelationView, type SecretContents } from "./types.ts";

export type DatabaseKind = "postgresql" | "mysql" | "mongodb";

export const DATABASE_INTERFACES: Record<string, DatabaseKind> = {
  postgresql_client: "postgresql",
  mysql_client: "mysql",
  mongodb_client: "mongodb",
};

/** data_interfaces `RequirerData.SECRET_FIELDS`, in the library's order. */
export const REQUESTED_SECRETS = pyJsonDumps(["username", "password", "tls", "tls-ca", "uris", "read-only-uris", "entity-name", "entity-password"]);
export const PROVIDED_SECRETS = pyJsonDumps(["mtls-cert"]);

/** Fields that live in the provider's `secret-user` secret once secrets were requested. */
const USER_SECRET_FIELDS = new Set(["username", "password", "uris"]);

function resolve(relation: RelationView, secrets: SecretContents): { fields: Record<string, string | undefined> } | { pending: string } | { invalid: string } {
  const bag = relation.remoteAppData;
  const secretId = field(bag, "secret-user");
  if (secretId !== undefined && !isSecretUri(secretId)) return { invalid: "secret-user is not a Juju secret URI" };
  const content = secretId === undefined ? undefined : secretContent(secrets, secretId);
  if (secretId !== undefined && content === undefined) return { pending: "the provider's user secret is not readable yet" };
  const fields: Record<string, string | undefined> = {};
  for (const key of ["uris", "endpoints", "username", "password", "database"]) {
    const fromSecret = content !== undefined && USER_SECRET_FIELDS.has(key) ? content[key] : undefined;
    fields[key] = typeof fromSecret === "string" && fromSecret !== "" ? fromSecret : field(bag, key);
  }
  return { fields };
}

/** The first field that would reach the app broken: a URI that does not parse, a port out of range, a control character. */
function fieldProblem(fields: Record<string, string | undefined>): string | undefined {
  const { uris, endpoints, username, password, database } = fields;
  if (uris !== undefined) return uriProblem("uris", uris);
  return (endpoints !== undefined ? endpointsProblem("endpoints", endpoints) : undefined)
    ?? (username !== undefined ? textProblem("username", username) : undefined)
    ?? (password !== undefined ? textProblem("password", password) : undefined)
    ?? (database !== undefined ? textProblem("database", database) : undefined);
}

/** The connection URL paas-charm hands to the workload: `uris` verbatim, else built without URL-encoding. */
function connectionUrl(kind: DatabaseKind, fields: Record<string, string | undefined>, appName: string): string | undefined {
  if (fields.uris) return fields.uris;
  const { endpoints, username, password } = fields;
  if (!endpoints || !username || !password) return undefined;
  const primary = endpoints.split(",")[0] ?? "";
  return `${kind}://${username}:${password}@${primary}/${fields.database ?? appName}`;
}

function springBootEnv(kind: DatabaseKind, url: string, generic: Record<string, string>): Record<string, string> {
  const first = url.split(",")[0] ?? "";
  if (kind === "mongodb") return { "spring.data.mongodb.uri": url };
  const parsed = pyUrlparse(first);
  const port = portNumber(parsed);
  const env: Record<string, string> = {
    ...generic,
    "spring.datasource.url": `jdbc:${parsed.scheme}://${parsed.hostname ?? ""}${port === undefined ? "" : `:${port}`}${parsed.path}`,
    "spring.jpa.hibernate.ddl-auto": "none",
  };
  if (parsed.username) env["spring.datasource.username"] = parsed.username;
  if (parsed.password) env["spring.datasource.password"] = parsed.password;
  return env;
}

export function databaseIntegration(kind: DatabaseKind): Integration {
  return {
    name: kind,
    rerunsMigrations: true,
    secretIds(relation) {
      const id = field(relation.remoteAppData, "secret-user");
      return id === undefined || !isSecretUri(id) ? [] : [id];
    },
    evaluate(relation: RelationView, secrets: SecretContents, ctx: EvalContext): Outcome {
      const request: Databag = { database: ctx.appName, "requested-secrets": REQUESTED_SECRETS, "provided-secrets": PROVIDED_SECRETS };
      // The library also copies the secret lists into the leader's unit bag.
      const unit: Databag | undefined = ctx.leader ? { "requested-secrets": REQUESTED_SECRETS, "provided-secrets": PROVIDED_SECRETS } : undefined;
      const withWrites = (outcome: Outcome): Outcome => ({ ...outcome, app: request, ...(unit ? { unit } : {}) });

      const bag = relation.remoteAppData;
      if (field(bag, "subordinated") === "true") {
        const unitReady = Object.values(relation.remoteUnitsData).some((unitBag) => unitBag.state === "ready");
        if (!unitReady) return withWrites(waiting(`${kind}: waiting for a subordinate provider unit to report state "ready"`));
      }
      const resolved = resolve(relation, secrets);
      if ("invalid" in resolved) return withWrites(invalid(kind, `${kind}: ${resolved.invalid}`));
      if ("pending" in resolved) return withWrites(waiting(`${kind}: ${resolved.pending}`));
      const oversized = oversizedField(resolved.fields);
      if (oversized) return withWrites(invalid(kind, `${kind}: ${oversized} is too large for an environment variable`, oversizedMessage(kind, oversized)));
      const problem = fieldProblem(resolved.fields);
      if (problem) return withWrites(invalid(kind, `${kind}: ${problem}`));
      const url = connectionUrl(kind, resolved.fields, ctx.appName);
      if (url === undefined) return withWrites(waiting(`${kind}: waiting for the provider to publish uris, or endpoints with username and password`));
      try {
        const generic = dbUrlEnv(kind.toUpperCase(), url);
        const env = ctx.framework === "spring-boot" ? springBootEnv(kind, url, generic) : generic;
        return withWrites({ state: "ready", env });
      } catch (error) {
        if (error instanceof PyUrlError) return withWrites(invalid(kind, `${kind}: the connection URL is malformed (${error.message})`));
        throw error;
      }
    },
  };
}
