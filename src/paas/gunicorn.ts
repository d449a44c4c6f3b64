// Gunicorn for Flask and Django (paas-charm-spec.md §8.1-8.2): the config file rendered from the
// `webserver-*` options, and the worker class set through the rock command's `-k` argument.
import type { Framework } from "./frameworks.ts";
import type { ConfigValue } from "./options.ts";

const NUMERIC_OPTIONS = [["workers", "webserver-workers"], ["threads", "webserver-threads"], ["keepalive", "webserver-keepalive"], ["timeout", "webserver-timeout"]] as const;

/** The gunicorn.conf.py text: logs to stdout/stderr (Pebble forwards them), statsd for the metrics exporter. */
export function renderGunicornConfig(fw: Framework, port: number, config: Record<string, ConfigValue>): string {
  const lines = [
    `bind = ['0.0.0.0:${port}']`,
    `chdir = '${fw.appDir}'`,
    "accesslog = '-'",
    "errorlog = '-'",
    "statsd_host = 'localhost:9125'",
  ];
  for (const [setting, option] of NUMERIC_OPTIONS) {
    const value = config[option];
    if (typeof value === "number") lines.push(`${setting} = ${value}`);
  }
  return lines.join("\n");
}

/** The webserver-* options that must be positive integers; the names of those that are not. */
export function invalidGunicornOptions(config: Record<string, ConfigValue>): string[] {
  return NUMERIC_OPTIONS.map(([, option]) => option).filter((option) => {
    const value = config[option];
    return value !== undefined && !(typeof value === "number" && Number.isInteger(value) && value > 0);
  });
}

export type WorkerClassOutcome = { command?: string } | { blocked: string };

/** §8.2: only sync and gevent; the rock's command must carry `-k`, whose class is replaced. */
export function workerClassCommand(fw: Framework, rockCommand: string | undefined, workerClass: ConfigValue | undefined): WorkerClassOutcome {
  if (workerClass === undefined || workerClass === "") return {};
  const doc = `https://bit.ly/${fw.name}-async-doc`;
  if (workerClass !== "sync" && workerClass !== "gevent") return { blocked: `Only 'gevent' and 'sync' are allowed. ${doc}` };
  const tokens = (rockCommand ?? "").split(/\s+/).filter(Boolean);
  const k = tokens.indexOf("-k");
  if (k < 0 || k + 1 >= tokens.length) return { blocked: "Worker class is set through `juju config` but the `-k` worker class argument is not in the service command." };
  const at = tokens[k + 1] === "[" ? k + 2 : k + 1;
  if (tokens[at] === workerClass) return {};
  tokens[at] = workerClass;
  return { command: tokens.join(" ") };
}
