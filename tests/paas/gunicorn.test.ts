// Gunicorn (docs/paas-charm-contract.md §8.1-8.2): the rendered gunicorn.conf.py, the webserver options, the worker class rewrite.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkConfigCommand, renderGunicornConfig, shellSplit, webserverOptions, workerClassCommand } from "../../src/paas/index.ts";

describe("renderGunicornConfig", () => {
  it("settings in order workers, threads, keepalive, timeout; logs to stdout/stderr; no trailing newline", () => {
    const { settings } = webserverOptions({ "webserver-threads": 2, "webserver-timeout": 3, "webserver-keepalive": 4 });
    assert.equal(renderGunicornConfig({ port: 8000, appDir: "/flask/app", settings, tracing: false, jsonLogs: false }), [
      "bind = ['0.0.0.0:8000']",
      "chdir = '/flask/app'",
      "accesslog = '-'",
      "errorlog = '-'",
      "statsd_host = 'localhost:9125'",
      "threads = 2",
      "keepalive = 4",
      "timeout = 3",
    ].join("\n"));
  });

  it("tracing adds the OpenTelemetry imports, the request-id access log format and a per-worker tracer", () => {
    const text = renderGunicornConfig({ port: 8001, appDir: "/django/app", settings: { workers: 2 }, tracing: true, jsonLogs: false });
    const lines = text.split("\n");
    assert.deepEqual(lines.slice(0, 5), [
      "from opentelemetry import trace",
      "from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter",
      "from opentelemetry.sdk.trace import TracerProvider",
      "from opentelemetry.sdk.trace.export import BatchSpanProcessor",
      "",
    ]);
    assert.deepEqual(lines.slice(5, 11), ["bind = ['0.0.0.0:8001']", "chdir = '/django/app'", "accesslog = '-'", "errorlog = '-'", "statsd_host = 'localhost:9125'", "workers = 2"]);
    assert.equal(lines[11], `access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %({x-request-id}o)s'`);
    assert.ok(text.includes("def post_fork(server, worker):\n"));
    assert.ok(text.includes("    trace.set_tracer_provider(provider)"));
  });

  it("json logs: the JSON logger class before the settings, and post_fork wrapping each worker's app", () => {
    const text = renderGunicornConfig({ port: 8000, appDir: "/flask/app", settings: { workers: 2 }, tracing: false, jsonLogs: true });
    const lines = text.split("\n");
    const settingsAt = lines.indexOf("bind = ['0.0.0.0:8000']");
    assert.deepEqual(lines.slice(settingsAt - 2, settingsAt + 6), [
      "logger_class = _JsonLogger", "", "bind = ['0.0.0.0:8000']", "chdir = '/flask/app'", "accesslog = '-'", "errorlog = '-'", "statsd_host = 'localhost:9125'", "workers = 2",
    ]);
    assert.deepEqual(lines.slice(0, 5), ["import contextvars", "import json", "import logging", "import time", ""]);
    assert.ok(text.includes("class _JsonLogger(Statsd):\n"), "Gunicorn's statsd logger, so the request metrics stay");
    assert.ok(!text.includes("\naccess_log_format = "), "Gunicorn's default access format makes the body");
    assert.ok(text.endsWith([
      "", "", "def post_fork(server, worker):", "    load_app = worker.app.wsgi", "    worker.app.wsgi = lambda: _NoteSpanIds(load_app())",
    ].join("\n")));
  });

  it("json logs with tracing: one post_fork, the tracer provider first", () => {
    const text = renderGunicornConfig({ port: 8000, appDir: "/flask/app", settings: {}, tracing: true, jsonLogs: true });
    assert.ok(text.startsWith("from opentelemetry import trace\n"));
    assert.equal(text.split("def post_fork(").length, 2);
    assert.ok(text.endsWith([
      "    trace.set_tracer_provider(provider)", "    load_app = worker.app.wsgi", "    worker.app.wsgi = lambda: _NoteSpanIds(load_app())",
    ].join("\n")));
    assert.ok(text.includes(`access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %({x-request-id}o)s'`));
  });
});

describe("webserverOptions", () => {
  it("unset options are left out, invalid ones named", () => {
    assert.deepEqual(webserverOptions({ "webserver-workers": 0, "webserver-threads": 1.5, "webserver-timeout": 30 }), {
      settings: { timeout: 30 },
      invalid: ["webserver-workers", "webserver-threads"],
      reasons: ["webserver-workers: must be an integer greater than 0", "webserver-threads: must be an integer greater than 0"],
    });
  });
});

describe("workerClassCommand (§8.2)", () => {
  const flaskCommand = "/bin/python3 -m gunicorn -c /flask/gunicorn.conf.py app:app -k [ sync ]";
  const cases: Array<{ name: string; framework: "flask" | "django"; command: string; workerClass: string | undefined; expected: ReturnType<typeof workerClassCommand> }> = [
    { name: "unset keeps the rock's command", framework: "flask", command: flaskCommand, workerClass: undefined, expected: { requiresGevent: false } },
    { name: "same class keeps the rock's command", framework: "flask", command: flaskCommand, workerClass: "sync", expected: { requiresGevent: false } },
    { name: "gevent in the bracket form", framework: "flask", command: flaskCommand, workerClass: "gevent", expected: { command: "/bin/python3 -m gunicorn -c /flask/gunicorn.conf.py app:app -k [ gevent ]", requiresGevent: true } },
    {
      name: "quotes are dropped when re-joined", framework: "django", command: "/bin/python3 -m gunicorn -c /django/gunicorn.conf.py 'django_app.wsgi:application' -k sync",
      workerClass: "gevent", expected: { command: "/bin/python3 -m gunicorn -c /django/gunicorn.conf.py django_app.wsgi:application -k gevent", requiresGevent: true },
    },
    { name: "gevent already set still needs gevent importable", framework: "django", command: "gunicorn -k gevent", workerClass: "gevent", expected: { requiresGevent: true } },
    { name: "other classes are refused", framework: "flask", command: flaskCommand, workerClass: "eventlet", expected: { blocked: "Only 'gevent' and 'sync' are allowed. https://bit.ly/flask-async-doc" } },
    { name: "django's doc link", framework: "django", command: flaskCommand, workerClass: "uvicorn", expected: { blocked: "Only 'gevent' and 'sync' are allowed. https://bit.ly/django-async-doc" } },
    { name: "no -k in the command", framework: "flask", command: "gunicorn app:app", workerClass: "sync", expected: { blocked: "Worker class is set through `juju config` but the `-k` worker class argument is not in the service command." } },
    { name: "-k without a class", framework: "flask", command: "gunicorn app:app -k [", workerClass: "sync", expected: { blocked: "Worker class is set through `juju config` but the `-k` worker class argument is not in the service command." } },
  ];
  for (const { name, framework, command, workerClass, expected } of cases) {
    it(name, () => assert.deepEqual(workerClassCommand(framework, command, workerClass), expected));
  }
});

describe("checkConfigCommand", () => {
  it("drops Pebble's brackets and appends --check-config", () => {
    assert.deepEqual(checkConfigCommand("/bin/python3 -m gunicorn -c /flask/gunicorn.conf.py 'app:app' -k [ sync ]"),
      ["/bin/python3", "-m", "gunicorn", "-c", "/flask/gunicorn.conf.py", "app:app", "-k", "sync", "--check-config"]);
  });
});

describe("shellSplit", () => {
  const cases: Array<[string, string[]]> = [
    ["a  b\tc", ["a", "b", "c"]],
    [`bash -c "java -jar *.jar"`, ["bash", "-c", "java -jar *.jar"]],
    [`'it''s' "a \\"b\\"" c\\ d ''`, ["its", 'a "b"', "c d", ""]],
  ];
  for (const [command, expected] of cases) it(command, () => assert.deepEqual(shellSplit(command), expected));
  it("an unclosed quote is an error", () => assert.throws(() => shellSplit("a 'b"), /unclosed ' quote/));
});
