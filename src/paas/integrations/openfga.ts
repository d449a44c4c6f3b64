// openfga v1 (openfga_k8s.v1.openfga OpenFGARequires, store name = app name).
import { field } from "./databag.ts";
import { secretContent, waiting, type Integration } from "./types.ts";

export const openfgaIntegration: Integration = {
  name: "openfga",
  rerunsMigrations: false,
  secretIds(relation) {
    const id = field(relation.remoteAppData, "token_secret_id");
    return id === undefined ? [] : [id];
  },
  evaluate(relation, secrets, ctx) {
    const app = ctx.leader ? { store_name: ctx.appName } : undefined;
    const withWrites = <T extends object>(outcome: T): T => (app ? { ...outcome, app } : outcome);

    const bag = relation.remoteAppData;
    const httpApiUrl = field(bag, "http_api_url");
    const grpcApiUrl = field(bag, "grpc_api_url");
    if (httpApiUrl === undefined || grpcApiUrl === undefined) return withWrites(waiting("openfga: waiting for the provider to publish its API URLs"));
    let token = field(bag, "token");
    const tokenId = field(bag, "token_secret_id");
    if (tokenId !== undefined) {
      const content = secretContent(secrets, tokenId);
      if (content === undefined) return withWrites(waiting("openfga: the provider's token secret is not readable yet"));
      token = content.token || undefined;
    }
    const storeId = field(bag, "store_id");
    const env: Record<string, string> = {};
    if (ctx.framework === "spring-boot") {
      if (storeId !== undefined) env["openfga.store-id"] = storeId;
      env["openfga.credentials.method"] = "API_TOKEN";
      if (token !== undefined) env["openfga.credentials.config.api-token"] = token;
      env["openfga.api-url"] = httpApiUrl;
    } else {
      if (storeId !== undefined) env.FGA_STORE_ID = storeId;
      if (token !== undefined) env.FGA_TOKEN = token;
      env.FGA_GRPC_API_URL = grpcApiUrl;
      env.FGA_HTTP_API_URL = httpApiUrl;
    }
    return withWrites({ state: "ready" as const, env });
  },
};
