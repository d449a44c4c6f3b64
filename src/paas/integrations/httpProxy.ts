// http_proxy (squid_forward_proxy.v0.http_proxy HttpProxyRequirer) with no domains and no auth requested.
import { isRecord, parseJson, pyJsonDumps, stableDigest, type Databag } from "./databag.ts";
import { PyUrlError, pyUrlparse } from "./pyUrl.ts";
import { secretContent, type IntegrationContext, type RelationView, type SecretContents } from "./types.ts";

export const HTTP_PROXY_BLOCKED = "http-proxy relation data is either unavailable, invalid or not usable.";

const AUTH_VALUES = new Set(["none", "srcip", "userpass", "srcip+userpass"]);

export interface HttpProxyOutcome {
  proxy?: { http: string; https: string };
  blocked?: string;
  reason?: string;
  app?: Databag;
}

/** A uuid4-shaped requirer id derived from the relation (the library draws a random uuid4). */
export function derivedRequirerId(relation: RelationView, ctx: IntegrationContext): string {
  const hex = stableDigest(ctx.modelName, ctx.appName, "http-proxy", String(relation.id));
  const variant = ((Number.parseInt(hex[16] ?? "0", 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function entries(text: string | undefined): Record<string, unknown>[] {
  const parsed = parseJson(text);
  return parsed.ok && Array.isArray(parsed.value) ? parsed.value.filter(isRecord) : [];
}

/** The leader reuses the id already published (possibly by the Python charm before an upgrade). */
function ourRequirerId(relation: RelationView, ctx: IntegrationContext): string {
  const published = entries(relation.localAppData.requests)[0]?.requirer;
  return typeof published === "string" && published !== "" ? published : derivedRequirerId(relation, ctx);
}

function findResponse(relation: RelationView, ctx: IntegrationContext, requirerId: string): Record<string, unknown> | undefined {
  const responses = entries(relation.remoteAppData.responses);
  const exact = responses.find((response) => response.requirer === requirerId);
  // Non-leaders cannot read the id the leader published; the relation carries only our one request.
  if (exact !== undefined || ctx.leader) return exact;
  return responses.length === 1 ? responses[0] : undefined;
}

export function httpProxySecretIds(relation: RelationView): string[] {
  return entries(relation.remoteAppData.responses)
    .map((response) => response.user)
    .filter((id): id is string => typeof id === "string" && id !== "");
}

function withCredentials(url: string, username: string, password: string): string {
  const parsed = pyUrlparse(url);
  return `${parsed.scheme}://${username}:${password}@${parsed.netloc}`;
}

function isUrl(value: unknown): value is string {
  return typeof value === "string" && URL.canParse(value);
}

export function evaluateHttpProxy(relation: RelationView, secrets: SecretContents, ctx: IntegrationContext): HttpProxyOutcome {
  const requirerId = ourRequirerId(relation, ctx);
  const app = ctx.leader ? { requests: pyJsonDumps([{ auth: [], domains: [], requirer: requirerId }], true) } : undefined;
  const blocked = (reason: string): HttpProxyOutcome => ({ blocked: HTTP_PROXY_BLOCKED, reason, ...(app ? { app } : {}) });

  const response = findResponse(relation, ctx, requirerId);
  if (response === undefined) return blocked("http-proxy: the provider has not answered our request");
  if (response.status !== "ready") return blocked("http-proxy: the provider's answer is not ready yet");
  const { auth, http_proxy: http, https_proxy: https } = response;
  if (typeof auth !== "string" || !AUTH_VALUES.has(auth) || !isUrl(http) || !isUrl(https)) {
    return blocked("http-proxy: the ready answer lacks a valid auth, http_proxy or https_proxy");
  }
  if (!auth.includes("userpass")) return { proxy: { http, https }, ...(app ? { app } : {}) };
  const userSecret = typeof response.user === "string" ? response.user : "";
  const user = userSecret ? secretContent(secrets, userSecret) : undefined;
  if (user === undefined || !user.username || !user.password) return blocked("http-proxy: the proxy credentials secret is missing or not readable");
  try {
    return {
      proxy: { http: withCredentials(http, user.username, user.password), https: withCredentials(https, user.username, user.password) },
      ...(app ? { app } : {}),
    };
  } catch (error) {
    if (error instanceof PyUrlError) return blocked("http-proxy: a proxy URL is malformed");
    throw error;
  }
}
