// s3 (data_platform_libs.v0.s3 S3Requirer), plus the secret-based variant where the keys sit in `secret-extra`.
import { field, isStringList, parseJson, pyJsonDumps } from "./databag.ts";
import { invalid, secretContent, waiting, type Integration } from "./types.ts";

/** Keys a provider writes that carry no connection data. */
const BOOKKEEPING_KEYS = new Set(["data", "lib-version"]);

/** A JSON list of strings (v0), or a comma-separated string (s3-integrator 2 sends its raw config). */
function stringList(raw: string | undefined): string[] {
  if (raw === undefined) return [];
  const parsed = parseJson(raw);
  if (parsed.ok && isStringList(parsed.value)) return parsed.value;
  if (parsed.ok && typeof parsed.value === "string") return [parsed.value];
  return raw.split(",").map((item) => item.trim()).filter((item) => item !== "");
}

export const s3Integration: Integration = {
  name: "s3",
  rerunsMigrations: true,
  secretIds(relation) {
    const id = field(relation.remoteAppData, "secret-extra");
    return id === undefined ? [] : [id];
  },
  evaluate(relation, secrets, ctx) {
    const bag = relation.remoteAppData;
    const app = ctx.leader ? { bucket: ctx.appName } : undefined;
    const withWrites = <T extends object>(outcome: T): T => (app ? { ...outcome, app } : outcome);

    if (Object.keys(bag).every((key) => BOOKKEEPING_KEYS.has(key))) return withWrites(waiting("s3: waiting for the provider to publish credentials"));
    let accessKey = field(bag, "access-key");
    let secretKey = field(bag, "secret-key");
    const secretId = field(bag, "secret-extra");
    if (secretId !== undefined) {
      const content = secretContent(secrets, secretId);
      if (content === undefined) return withWrites(waiting("s3: the provider's credentials secret is not readable yet"));
      accessKey = content["access-key"] || accessKey;
      secretKey = content["secret-key"] || secretKey;
    }
    const bucket = field(bag, "bucket");
    const absent = [["access-key", accessKey], ["secret-key", secretKey], ["bucket", bucket]].filter(([, value]) => !value).map(([key]) => key);
    if (absent.length > 0 || !accessKey || !secretKey || !bucket) return withWrites(invalid("s3", `s3: the provider data lacks ${absent.join(", ")}`));

    const region = field(bag, "region");
    const endpoint = field(bag, "endpoint");
    if (ctx.framework === "spring-boot") {
      const env: Record<string, string> = {
        "spring.cloud.aws.credentials.accessKey": accessKey,
        "spring.cloud.aws.credentials.secretKey": secretKey,
        "spring.cloud.aws.s3.bucket": bucket,
      };
      if (region) env["spring.cloud.aws.region.static"] = region;
      if (endpoint) env["spring.cloud.aws.s3.endpoint"] = endpoint;
      return withWrites({ state: "ready" as const, env });
    }
    const uriStyle = field(bag, "s3-uri-style");
    const attributes = stringList(field(bag, "attributes"));
    const chain = stringList(field(bag, "tls-ca-chain"));
    const optional: Array<[string, string | undefined]> = [
      ["S3_REGION", region],
      ["S3_STORAGE_CLASS", field(bag, "storage-class")],
      ["S3_BUCKET", bucket],
      ["S3_ENDPOINT", endpoint],
      ["S3_PATH", field(bag, "path")],
      ["S3_API_VERSION", field(bag, "s3-api-version")],
      ["S3_URI_STYLE", uriStyle],
      ["S3_ADDRESSING_STYLE", uriStyle === "host" ? "virtual" : uriStyle],
      ["S3_ATTRIBUTES", attributes.length > 0 ? pyJsonDumps(attributes) : undefined],
      ["S3_TLS_CA_CHAIN", chain.length > 0 ? pyJsonDumps(chain) : undefined],
    ];
    const env: Record<string, string> = { S3_ACCESS_KEY: accessKey, S3_SECRET_KEY: secretKey };
    for (const [key, value] of optional) if (value !== undefined) env[key] = value;
    return withWrites({ state: "ready" as const, env });
  },
};
