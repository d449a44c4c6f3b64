// Gunicorn for Flask and Django (docs/paas-charm-contract.md §8.1-8.2): the gunicorn.conf.py the charm renders from
// the `webserver-*` options, the `--check-config` run that validates it, and the worker class, which is
// chosen through the `-k` argument of the rock's command.
import type { ConfigValue } from "./frameworks/index.ts";
import { gunicornJsonLogger, gunicornJsonPostFork } from "./jsonLogs.ts";

/** Config file settings in the order they are written, with the options they come from. */
const NUMERIC_SETTINGS = [
  ["workers", "webserver-workers"],
  ["threads", "webserver-threads"],
  ["keepalive", "webserver-keepalive"],
  ["timeout", "webserver-timeout"],
] as const;

export type GunicornSetting = (typeof NUMERIC_SETTINGS)[number][0];

export interface WebserverOptions {
  settings: Partial<Record<GunicornSetting, number>>;
  invalid: string[];
  reasons: string[];
}

export const WEBSERVER_CHECK_FAILED = "Webserver configuration check failed, please review your charm configuration or database relation";

/** The `webserver-*` numbers: unset ones are left to Gunicorn's defaults; others must be integers > 0. */
export function webserverOptions(config: Readonly<Record<string, ConfigValue>>): WebserverOptions {
  const result: WebserverOptions = { settings: {}, invalid: [], reasons: [] };
  for (const [setting, option] of NUMERIC_SETTINGS) {
    const value = config[option];
    if (value === undefined) continue;
    if (typeof value === "number" && Number.isInteger(value) && value > 0) {
      result.settings[setting] = value;
    } else {
      result.invalid.push(option);
      result.reasons.push(`${option}: must be an integer greater than 0`);
    }
  }
  return result;
}

export interface GunicornConfigInput {
  port: number;
  appDir: string;
  settings: WebserverOptions["settings"];
  /** Tracing related: spans of every request go to the OTLP endpoint from the OTEL_* variables. */
  tracing: boolean;
  /** paas-config.yaml `framework_logging_format: json`: error and access lines as JSON (jsonLogs.ts). */
  jsonLogs: boolean;
}

/** gunicorn.conf.py (no trailing newline). Logs go to stdout/stderr, which Pebble collects and forwards. */
export function renderGunicornConfig(input: GunicornConfigInput): string {
  const lines: string[] = [];
  if (input.tracing) {
    lines.push(
      "from opentelemetry import trace",
      "from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter",
      "from opentelemetry.sdk.trace import TracerProvider",
      "from opentelemetry.sdk.trace.export import BatchSpanProcessor",
      "",
    );
  }
  if (input.jsonLogs) lines.push(...gunicornJsonLogger(), "");
  lines.push(
    `bind = ['0.0.0.0:${input.port}']`,
    `chdir = ${pythonString(input.appDir)}`,
    "accesslog = '-'",
    "errorlog = '-'",
    "statsd_host = 'localhost:9125'",
  );
  for (const [setting] of NUMERIC_SETTINGS) {
    const value = input.settings[setting];
    if (value !== undefined) lines.push(`${setting} = ${value}`);
  }
  if (input.tracing) {
    lines.push(`access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %({x-request-id}o)s'`);
  }
  if (input.tracing || input.jsonLogs) lines.push("", "", "def post_fork(server, worker):");
  if (input.tracing) {
    lines.push(
      "    # Each worker exports its own spans; a provider made before the fork would not survive it.",
      "    provider = TracerProvider()",
      "    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))",
      "    trace.set_tracer_provider(provider)",
    );
  }
  if (input.jsonLogs) lines.push(...gunicornJsonPostFork());
  return lines.join("\n");
}

export type WorkerClassOutcome =
  /** Use the rock's command (`command` absent) or this rewritten one; `gevent` must be importable first. */
  | { command?: string; requiresGevent: boolean }
  | { blocked: string };

/** §8.2: only sync and gevent; the class is the word after `-k` (or after `-k [`) in the rock's command. */
export function workerClassCommand(framework: "flask" | "django", rockCommand: string | undefined, workerClass: ConfigValue | undefined): WorkerClassOutcome {
  if (workerClass === undefined || workerClass === "") return { requiresGevent: false };
  const doc = asyncDoc(framework);
  if (workerClass !== "sync" && workerClass !== "gevent") return { blocked: `Only 'gevent' and 'sync' are allowed. ${doc}` };
  const words = shellSplit(rockCommand ?? "");
  const k = words.indexOf("-k");
  const at = words[k + 1] === "[" ? k + 2 : k + 1;
  if (k < 0 || at >= words.length) {
    return { blocked: "Worker class is set through `juju config` but the `-k` worker class argument is not in the service command." };
  }
  const requiresGevent = workerClass === "gevent";
  if (words[at] === workerClass) return { requiresGevent };
  words[at] = workerClass;
  return { command: words.join(" "), requiresGevent };
}

/** Run before using gevent workers; a non-zero exit blocks with `geventMissingMessage`. */
export const GEVENT_CHECK_COMMAND: readonly string[] = ["python3", "-c", "import gevent"];

export function geventMissingMessage(framework: "flask" | "django"): string {
  return `gunicorn[gevent] must be installed in the rock. ${asyncDoc(framework)}`;
}

/** The service command with `--check-config`, Pebble's `[ ]` default-argument brackets removed. */
export function checkConfigCommand(serviceCommand: string): string[] {
  return [...shellSplit(serviceCommand).filter((word) => word !== "[" && word !== "]"), "--check-config"];
}

function asyncDoc(framework: "flask" | "django"): string {
  return `https://bit.ly/${framework}-async-doc`;
}

function pythonString(text: string): string {
  return `'${text.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'`;
}

/** POSIX shell word splitting (quotes and backslashes; no expansions), as Python's shlex.split. */
export function shellSplit(command: string): string[] {
  const words: string[] = [];
  let word = "";
  let inWord = false;
  let quote: "'" | '"' | undefined;
  for (let i = 0; i < command.length; i++) {
    const c = command[i]!;
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else word += c;
    } else if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === "\\" && i + 1 < command.length && '\\"$`\n'.includes(command[i + 1]!)) word += command[++i];
      else word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === "\\" && i + 1 < command.length) {
      word += command[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = "";
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote) throw new Error(`the service command has an unclosed ${quote} quote: ${JSON.stringify(command)}`);
  if (inWord) words.push(word);
  return words;
}
