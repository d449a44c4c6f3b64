// redis (redis_k8s.v0.redis RedisRequires): the requirer writes nothing.
import { field, unitsInOrder } from "./databag.ts";
import { PyUrlError, dbUrlEnv, portNumber, pyUrlparse } from "./pyUrl.ts";
import { invalid, waiting, type Integration } from "./types.ts";

/** paas-charm validates the URL with pydantic AnyUrl; a WHATWG parse with a numeric port is the equivalent. */
function isValidRedisUrl(url: string): boolean {
  if (!URL.canParse(url)) return false;
  const parsed = new URL(url);
  return parsed.hostname !== "" && parsed.port !== "";
}

function springBootEnv(url: string): Record<string, string> {
  const parsed = pyUrlparse(url);
  const env: Record<string, string> = { "spring.data.redis.url": url };
  if (parsed.hostname) env["spring.data.redis.host"] = parsed.hostname;
  const port = portNumber(parsed);
  if (port) env["spring.data.redis.port"] = String(port);
  if (parsed.username) env["spring.data.redis.username"] = parsed.username;
  if (parsed.password) env["spring.data.redis.password"] = parsed.password;
  return env;
}

export const redisIntegration: Integration = {
  name: "redis",
  rerunsMigrations: true,
  secretIds: () => [],
  evaluate(relation, _secrets, ctx) {
    const units = unitsInOrder(relation.remoteUnitsData);
    if (units.length === 0) return waiting("redis: waiting for a provider unit to join");
    const [, unit] = units.find(([, bag]) => field(bag, "port") !== undefined) ?? units[0]!;
    const port = field(unit, "port");
    if (port === undefined) return waiting("redis: waiting for a provider unit to publish its port");
    const host = field(relation.remoteAppData, "leader-host") ?? field(unit, "hostname");
    if (host === undefined) return waiting("redis: waiting for the provider to publish a host");
    const url = `redis://${host}:${port}`;
    if (!isValidRedisUrl(url)) return invalid("redis", "redis: the provider's host and port do not form a valid URL");
    try {
      return { state: "ready", env: ctx.framework === "spring-boot" ? springBootEnv(url) : dbUrlEnv("REDIS", url) };
    } catch (error) {
      if (error instanceof PyUrlError) return invalid("redis", `redis: the URL is malformed (${error.message})`);
      throw error;
    }
  },
};
