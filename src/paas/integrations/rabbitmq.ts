// rabbitmq (paas-charm's own RabbitMQRequires): rabbitmq-k8s answers in its app bag,
// rabbitmq-server (VM) in every unit bag.
import { field, unitsInOrder } from "./databag.ts";
import { PyUrlError, pyQuoteAll, pyUnquote, pyUrlparse, urlEnv } from "./pyUrl.ts";
import { invalid, waiting, type Integration } from "./types.ts";

const PORT = 5672;
const VHOST = "/";

function credentials(app: Record<string, string>, units: Array<[string, Record<string, string>]>): { hostname: string; password: string } | undefined {
  const appHost = field(app, "hostname");
  const appPassword = field(app, "password");
  if (appHost !== undefined && appPassword !== undefined) return { hostname: appHost, password: appPassword };
  for (const [, unit] of units) {
    const hostname = field(unit, "hostname");
    const password = field(unit, "password");
    if (hostname !== undefined && password !== undefined) return { hostname, password };
  }
  return undefined;
}

export const rabbitmqIntegration: Integration = {
  name: "rabbitmq",
  rerunsMigrations: true,
  secretIds: () => [],
  evaluate(relation, _secrets, ctx) {
    const app = ctx.leader ? { username: ctx.appName, vhost: VHOST } : undefined;
    const withWrites = <T extends object>(outcome: T): T => (app ? { ...outcome, app } : outcome);

    const units = unitsInOrder(relation.remoteUnitsData);
    const found = credentials(relation.remoteAppData, units);
    if (found === undefined) return withWrites(waiting("rabbitmq: waiting for the provider to publish hostname and password"));
    const unitHosts = units.map(([, unit]) => field(unit, "hostname")).filter((host): host is string => host !== undefined);
    const hostnames = unitHosts.length > 0 ? unitHosts : [field(relation.remoteAppData, "hostname") ?? found.hostname];
    const uri = (host: string): string => `amqp://${ctx.appName}:${found.password}@${host}:${PORT}/${pyQuoteAll(VHOST)}`;
    try {
      const connectString = uri(found.hostname);
      const parsed = pyUrlparse(connectString);
      if (ctx.framework === "spring-boot") {
        return withWrites({
          state: "ready" as const,
          env: {
            "spring.rabbitmq.virtual-host": VHOST,
            "spring.rabbitmq.username": ctx.appName,
            "spring.rabbitmq.password": found.password,
            "spring.rabbitmq.host": found.hostname,
            "spring.rabbitmq.port": String(PORT),
          },
        });
      }
      const env = urlEnv("RABBITMQ", connectString);
      if (parsed.path.length > 1) env.RABBITMQ_VHOST = pyUnquote(parsed.path.split("/")[1] ?? "");
      env.RABBITMQ_CONNECT_STRINGS = hostnames.map(uri).join(",");
      return withWrites({ state: "ready" as const, env });
    } catch (error) {
      if (error instanceof PyUrlError) return withWrites(invalid("rabbitmq", `rabbitmq: the provider's hostname does not form a valid URL (${error.message})`));
      throw error;
    }
  },
};
