// valkey_client through the data_interfaces v1 "requests" protocol, one request for resource "*".
import { isRecord, parseJson, pyJsonDumps, sha256Hex, stableDigest, type Databag } from "./databag.ts";
import { PyUrlError, dbUrlEnv } from "./pyUrl.ts";
import { invalid, secretContent, waiting, type EvalContext, type Integration, type RelationView } from "./types.ts";

const ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

interface Request {
  requestId: string;
  /** The serialised `requests` value to publish. */
  requests: string;
}

function salt(relation: RelationView, ctx: EvalContext): string {
  const digest = stableDigest(ctx.modelName, ctx.appName, "valkey", String(relation.id));
  let text = "";
  for (let i = 0; i < 16; i++) text += ALPHANUMERIC[Number.parseInt(digest.slice(i * 2, i * 2 + 2), 16) % ALPHANUMERIC.length];
  return text;
}

function newRequest(relation: RelationView, ctx: EvalContext): Request {
  const requestSalt = salt(relation, ctx);
  const requestId = sha256Hex(`*:${requestSalt}`).slice(0, 16);
  const requests = pyJsonDumps([{
    resource: "*",
    "request-id": requestId,
    salt: requestSalt,
    "extra-user-roles": null,
    "extra-group-roles": null,
    "external-node-connectivity": false,
    "entity-type": null,
    "entity-permissions": null,
    "secret-mtls": null,
  }]);
  return { requestId, requests };
}

function parseList(text: string | undefined): Record<string, unknown>[] {
  const parsed = parseJson(text);
  return parsed.ok && Array.isArray(parsed.value) ? parsed.value.filter(isRecord) : [];
}

/** Keep a request we already published (the leader can read it) so its id never changes. */
function ourRequest(relation: RelationView, ctx: EvalContext): Request {
  const published = relation.localAppData.requests;
  const existing = parseList(published).find((entry) => entry.resource === "*" && typeof entry["request-id"] === "string");
  if (published !== undefined && existing) return { requestId: existing["request-id"] as string, requests: published };
  return newRequest(relation, ctx);
}

function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}

export const valkeyIntegration: Integration = {
  name: "valkey",
  rerunsMigrations: true,
  secretIds(relation) {
    return parseList(relation.remoteAppData.requests)
      .flatMap((response) => [response["secret-user"], response["secret-tls"]])
      .filter((id): id is string => typeof id === "string" && id !== "");
  },
  evaluate(relation, secrets, ctx) {
    const request = ourRequest(relation, ctx);
    const app: Databag | undefined = ctx.leader ? { version: "v1", requests: request.requests } : undefined;
    const withWrites = <T extends object>(outcome: T): T => (app ? { ...outcome, app } : outcome);

    const responses = parseList(relation.remoteAppData.requests);
    // A non-leader cannot read our request id; the provider answers only our single request.
    const response = responses.find((entry) => entry["request-id"] === request.requestId)
      ?? (!ctx.leader && responses.length === 1 ? responses[0] : undefined);
    if (response === undefined) return withWrites(waiting("valkey: waiting for the provider to answer our request"));
    const endpoints = text(response.endpoints);
    if (!endpoints) return withWrites(waiting("valkey: waiting for the provider to publish endpoints"));

    let credentials = "";
    const userSecret = text(response["secret-user"]);
    if (userSecret) {
      const user = secretContent(secrets, userSecret);
      if (user === undefined) return withWrites(waiting("valkey: the provider's user secret is not readable yet"));
      if (user.username && user.password) credentials = `${user.username}:${user.password}@`;
    }
    const tlsSecret = text(response["secret-tls"]);
    if (tlsSecret) {
      const tls = secretContent(secrets, tlsSecret);
      if (tls === undefined) return withWrites(waiting("valkey: the provider's TLS secret is not readable yet"));
      if ((tls.tls ?? "").toLowerCase() === "true") return withWrites(invalid("valkey", "valkey: TLS-enabled Valkey is not supported"));
    }
    const schemeEnd = endpoints.indexOf("://");
    const url = schemeEnd >= 0
      ? `${endpoints.slice(0, schemeEnd + 3)}${credentials}${endpoints.slice(schemeEnd + 3)}`
      : `valkey://${credentials}${endpoints}`;
    try {
      const env = {
        ...dbUrlEnv("VALKEY", url),
        VALKEY_DB_READ_ONLY_ENDPOINTS: text(response["read-only-endpoints"]),
        VALKEY_DB_SENTINEL_ENDPOINTS: text(response["sentinel-endpoints"]),
        VALKEY_MODE: text(response.mode),
        VALKEY_VERSION: text(response.version),
      };
      return withWrites({ state: "ready" as const, env });
    } catch (error) {
      if (error instanceof PyUrlError) return withWrites(invalid("valkey", `valkey: the endpoints do not form a valid URL (${error.message})`));
      throw error;
    }
  },
};
