// oauth (hydra.v0.oauth OAuthRequirer) on the charm's single endpoint with interface `oauth`.
import { field, pyJsonDumps, type Databag } from "./databag.ts";
import { invalid, secretContent, waiting, type EvalContext, type Framework, type Outcome, type RelationView, type SecretContents } from "./types.ts";

export const OAUTH_NAME = "oauth";

const PROVIDER_FIELDS = ["issuer_url", "authorization_endpoint", "token_endpoint", "introspection_endpoint", "userinfo_endpoint", "jwks_endpoint", "scope"] as const;

export const SCOPE_ERROR = "The 'openid' scope is required for OAuth integration, please add it to the scopes.";
export const INGRESS_REQUIRED = "Ingress relation is required for OIDC to work correctly!";
export const MULTIPLE_OAUTH = "Multiple OAuth relations are not supported at the moment";

export interface OAuthOptions {
  redirectPath: string;
  scopes: string;
  userNameAttribute: string;
}

function option(config: Record<string, unknown>, key: string, fallback: string): string {
  const value = config[key];
  return typeof value === "string" ? value : fallback;
}

/** The `<endpoint>-redirect-path`, `<endpoint>-scopes`, `<endpoint>-user-name-attribute` options. */
export function oauthOptions(endpoint: string, config: Record<string, unknown>): OAuthOptions {
  return {
    redirectPath: option(config, `${endpoint}-redirect-path`, "/callback"),
    scopes: option(config, `${endpoint}-scopes`, "openid profile email"),
    userNameAttribute: option(config, `${endpoint}-user-name-attribute`, "sub"),
  };
}

export function redirectUri(baseUrl: string, redirectPath: string): string {
  return `${baseUrl.replace(/\/+$/, "")}/${redirectPath.replace(/^\/+/, "")}`;
}

/** Client registration we publish (leader); lists are JSON, strings raw, as the library writes them. */
export function clientConfig(baseUrl: string, options: OAuthOptions): Databag {
  return {
    redirect_uri: redirectUri(baseUrl, options.redirectPath),
    scope: options.scopes,
    grant_types: pyJsonDumps(["authorization_code"]),
    audience: pyJsonDumps([]),
    token_endpoint_auth_method: "client_secret_basic",
  };
}

function envPrefix(framework: Framework): string {
  return framework === "flask" ? "FLASK_" : framework === "django" ? "DJANGO_" : "APP_";
}

function oauthEnv(endpoint: string, provider: Record<string, string>, clientId: string, clientSecret: string, options: OAuthOptions, ctx: EvalContext): Record<string, string> {
  if (ctx.framework === "spring-boot") {
    const registration = `spring.security.oauth2.client.registration.${endpoint}`;
    const providerKey = `spring.security.oauth2.client.provider.${endpoint}`;
    return {
      [`${registration}.client-id`]: clientId,
      [`${registration}.client-secret`]: clientSecret,
      [`${registration}.redirect-uri`]: redirectUri(ctx.baseUrl, options.redirectPath),
      [`${registration}.scope`]: options.scopes.split(/\s+/).filter((scope) => scope !== "").join(","),
      [`${registration}.user-name-attribute`]: options.userNameAttribute,
      [`${providerKey}.authorization-uri`]: provider.authorization_endpoint ?? "",
      [`${providerKey}.issuer-uri`]: provider.issuer_url ?? "",
      [`${providerKey}.jwk-set-uri`]: provider.jwks_endpoint ?? "",
      [`${providerKey}.token-uri`]: provider.token_endpoint ?? "",
      [`${providerKey}.user-info-uri`]: provider.userinfo_endpoint ?? "",
      [`${providerKey}.user-name-attribute`]: options.userNameAttribute,
      [`${registration}.authorization-grant-type`]: "authorization_code",
    };
  }
  // The endpoint name is upper-cased as-is (a `-` stays), like paas-charm.
  const prefix = `${envPrefix(ctx.framework)}${endpoint.toUpperCase()}_`;
  return {
    [`${prefix}CLIENT_ID`]: clientId,
    [`${prefix}CLIENT_SECRET`]: clientSecret,
    [`${prefix}API_BASE_URL`]: provider.issuer_url ?? "",
    [`${prefix}AUTHORIZE_URL`]: provider.authorization_endpoint ?? "",
    [`${prefix}ACCESS_TOKEN_URL`]: provider.token_endpoint ?? "",
    [`${prefix}USER_URL`]: provider.userinfo_endpoint ?? "",
    [`${prefix}CLIENT_KWARGS`]: pyJsonDumps({ scope: options.scopes }),
    [`${prefix}JWKS_URL`]: provider.jwks_endpoint ?? "",
  };
}

export function oauthSecretIds(relation: RelationView): string[] {
  const id = field(relation.remoteAppData, "client_secret_id");
  return id === undefined ? [] : [id];
}

/** Whether hydra has created our client: both keys present in its app bag. */
export function clientCreated(relation: RelationView): boolean {
  return field(relation.remoteAppData, "client_id") !== undefined && field(relation.remoteAppData, "client_secret_id") !== undefined;
}

export function evaluateOAuth(endpoint: string, relation: RelationView, secrets: SecretContents, ctx: EvalContext): Outcome & { scopeError?: string } {
  const options = oauthOptions(endpoint, ctx.config);
  const scopeOk = options.scopes.includes("openid");
  const app = ctx.leader && scopeOk ? clientConfig(ctx.baseUrl, options) : undefined;
  const withWrites = <T extends object>(outcome: T): T => (app ? { ...outcome, app } : outcome);
  const scope = scopeOk ? {} : { scopeError: SCOPE_ERROR };

  const bag = relation.remoteAppData;
  const clientId = field(bag, "client_id");
  const secretId = field(bag, "client_secret_id");
  if (clientId === undefined || secretId === undefined) return withWrites({ ...waiting(`${OAUTH_NAME}: waiting for the provider to create the client`), ...scope });
  const missing = PROVIDER_FIELDS.filter((key) => field(bag, key) === undefined);
  if (missing.length > 0) return withWrites({ ...invalid(OAUTH_NAME, `${OAUTH_NAME}: the provider data lacks ${missing.join(", ")}`), ...scope });
  const content = secretContent(secrets, secretId);
  if (content === undefined) return withWrites({ ...waiting(`${OAUTH_NAME}: the client secret is not readable yet`), ...scope });
  const clientSecret = content.secret;
  if (!clientSecret) return withWrites({ ...invalid(OAUTH_NAME, `${OAUTH_NAME}: the client secret has no "secret" key`), ...scope });
  return withWrites({ state: "ready" as const, env: oauthEnv(endpoint, bag, clientId, clientSecret, options, ctx), ...scope });
}
