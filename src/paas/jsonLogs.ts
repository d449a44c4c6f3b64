// `framework_logging_format: json` (paas-config.yaml): the web server writes one JSON object per line in
// the OpenTelemetry log data model, with the fields paas-charm 1.12.3 gives them — `timestamp` (UTC,
// milliseconds, `Z`), `severityText` (WARNING as WARN, CRITICAL as FATAL), `body`, `traceId`/`spanId` while
// an OpenTelemetry span is live, and `attributes` (`logger.name`, `exception.*`, and on access lines the
// HTTP request: method, path, query, client address, status; Gunicorn adds `duration_ms` and the
// `x-request-id` header). Gunicorn (Flask, Django) gets it through its config file: a logger class and a
// post_fork hook that notes the span ids of each request. Uvicorn (FastAPI) gets a formatter module and a
// dictConfig file the charm writes into the container, named by PYTHONPATH and UVICORN_LOG_CONFIG.
// The Python is standard library only; OpenTelemetry is used when the app has it installed.
import type { WorkloadFiles } from "./types.ts";

/** The OpenTelemetry record shape, shared by the Gunicorn config and the Uvicorn module. */
const OTEL_RECORD = `
try:
    from opentelemetry import trace as _otel_trace
except ImportError:
    _otel_trace = None

_OTEL_SEVERITY = {"WARNING": "WARN", "CRITICAL": "FATAL"}


def _otel_timestamp(seconds):
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds)) + ".%03dZ" % int(seconds % 1 * 1000)


def _live_span_ids():
    """traceId and spanId of the span open now; none without one (or without OpenTelemetry)."""
    if _otel_trace is None:
        return {}
    context = _otel_trace.get_current_span().get_span_context()
    if not (context and context.is_valid):
        return {}
    return {"traceId": "%032x" % context.trace_id, "spanId": "%016x" % context.span_id}


def _record_attributes(formatter, record, extra):
    attributes = {"logger.name": record.name, **extra}
    if record.exc_info:
        kind, error = record.exc_info[0], record.exc_info[1]
        if kind is not None:
            attributes["exception.type"] = kind.__qualname__
        if error is not None:
            attributes["exception.message"] = str(error)
        attributes["exception.stacktrace"] = formatter.formatException(record.exc_info)
    return attributes


def _otel_json(seconds, level, body, span_ids, attributes):
    line = {"timestamp": _otel_timestamp(seconds), "severityText": _OTEL_SEVERITY.get(level, level), "body": body}
    line.update(span_ids)
    line["attributes"] = attributes
    return json.dumps(line, default=str)
`;

/**
 * Gunicorn's part of gunicorn.conf.py: the logger class (Gunicorn's statsd logger, so the statsd metrics
 * keep flowing) whose error and access lines are JSON. Helpers start with `_`: Gunicorn takes every other
 * name of the file that matches a setting as that setting.
 */
const GUNICORN_LOGGER = `import contextvars
import json
import logging
import time

from gunicorn.instrument.statsd import Statsd
${OTEL_RECORD}

# The span of a request ends before Gunicorn writes its access line: its ids are noted on the way.
_request_span_ids = contextvars.ContextVar("request_span_ids", default={})


class _NoteSpanIds:
    """Wraps the WSGI app: notes the request's span ids when the app starts its response."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        _request_span_ids.set({})

        def start_response_noting_ids(status, headers, exc_info=None):
            _request_span_ids.set(_live_span_ids())
            return start_response(status, headers, exc_info)

        return self.app(environ, start_response_noting_ids)


class _JsonFormatter(logging.Formatter):
    def format(self, record):
        attributes = _record_attributes(self, record, {})
        return _otel_json(record.created, record.levelname, record.getMessage(), _request_span_ids.get(), attributes)


class _JsonLogger(Statsd):
    def setup(self, cfg):
        super().setup(cfg)
        for handler in self.error_log.handlers:
            handler.setFormatter(_JsonFormatter())

    def access(self, resp, req, environ, request_time):
        try:
            status = int(resp.status.split(" ", 1)[0])
        except (AttributeError, ValueError):
            status = resp.status
        method = environ.get("REQUEST_METHOD", "")
        path = environ.get("PATH_INFO", "")
        query = environ.get("QUERY_STRING", "")
        client = environ.get("REMOTE_ADDR", "")
        duration_ms = request_time.seconds * 1000 + request_time.microseconds / 1000
        try:
            body = self.cfg.access_log_format % self.atoms_wrapper_class(self.atoms(resp, req, environ, request_time))
        except (TypeError, ValueError, KeyError):
            body = '%s - "%s %s %s" %s' % (client, method, path, environ.get("SERVER_PROTOCOL", ""), status)
        attributes = {
            "logger.name": "gunicorn.access",
            "http.request.method": method,
            "url.path": path,
            "http.response.status_code": status,
            "duration_ms": round(duration_ms, 3),
        }
        if query:
            attributes["url.query"] = query
        if client:
            attributes["client.address"] = client
        if environ.get("HTTP_X_REQUEST_ID"):
            attributes["http.request.header.x-request-id"] = environ["HTTP_X_REQUEST_ID"]
        if self.cfg.accesslog:
            self.access_log.info(_otel_json(time.time(), "INFO", body, _request_span_ids.get(), attributes))
        # Statsd's own access() would also write the plain line: its request metrics are sent here.
        self.histogram("gunicorn.request.duration", duration_ms)
        self.increment("gunicorn.requests", 1)
        if isinstance(status, int):
            self.increment("gunicorn.request.status.%d" % status, 1)


logger_class = _JsonLogger`;

/** The top of gunicorn.conf.py with JSON logs: the logger class and what it needs. */
export function gunicornJsonLogger(): string[] {
  return GUNICORN_LOGGER.split("\n");
}

/** post_fork lines (four-space indented): each worker's app notes its span ids for the access line. */
export function gunicornJsonPostFork(): string[] {
  return [
    "    load_app = worker.app.wsgi",
    "    worker.app.wsgi = lambda: _NoteSpanIds(load_app())",
  ];
}

/** Where paas-charm puts Uvicorn's logging files: in /tmp, so a new container gets them again. */
export const UVICORN_LOG_DIR = "/tmp/fastapi/log_config";
const UVICORN_MODULE = "uvicorn_log_handler";
const UVICORN_CONFIG_FILE = "uvicorn-log-config.json";

const UVICORN_HANDLER = `"""JSON log lines for Uvicorn (framework_logging_format: json), loaded by ${UVICORN_CONFIG_FILE}."""

import contextvars
import json
import logging
import time
${OTEL_RECORD}

_ACCESS_LOGGER = "uvicorn.access"

# Uvicorn writes a request's error lines after its span ended: they get the last ids seen in the task.
_last_span_ids = contextvars.ContextVar("last_span_ids", default={})


class SpanIdsFilter(logging.Filter):
    def filter(self, record):
        ids = _live_span_ids()
        if ids:
            _last_span_ids.set(ids)
        elif record.name == _ACCESS_LOGGER:
            # An access line without a span closes an untraced request: the next one starts clean.
            _last_span_ids.set({})
        else:
            ids = _last_span_ids.get()
        for key, value in ids.items():
            setattr(record, key, value)
        return True


def _access_attributes(args):
    """Uvicorn's access line arguments: client "host:port", method, path?query, HTTP version, status."""
    args = args if isinstance(args, (tuple, list)) else ()
    client, method, target = (str(args[i]) if len(args) > i else None for i in range(3))
    status = args[4] if len(args) > 4 else None
    attributes = {}
    if method:
        attributes["http.request.method"] = method
    if target:
        path, _, query = target.partition("?")
        attributes["url.path"] = path
        if query:
            attributes["url.query"] = query
    if client:
        attributes["client.address"] = client.rpartition(":")[0] or client
    if status is not None:
        try:
            attributes["http.response.status_code"] = int(str(status))
        except ValueError:
            attributes["http.response.status_code"] = status
    return attributes


class JsonFormatter(logging.Formatter):
    def format(self, record):
        span_ids = {key: getattr(record, key) for key in ("traceId", "spanId") if getattr(record, key, None)}
        http = _access_attributes(record.args) if record.name == _ACCESS_LOGGER else {}
        attributes = _record_attributes(self, record, http)
        return _otel_json(record.created, record.levelname, record.getMessage(), span_ids, attributes)
`;

/** Uvicorn's logging as its own default config has it (errors on stderr, access on stdout), as JSON. */
const UVICORN_LOG_CONFIG = {
  version: 1,
  disable_existing_loggers: false,
  formatters: { json: { "()": `${UVICORN_MODULE}.JsonFormatter` } },
  filters: { span_ids: { "()": `${UVICORN_MODULE}.SpanIdsFilter` } },
  handlers: {
    default: { class: "logging.StreamHandler", stream: "ext://sys.stderr", formatter: "json", filters: ["span_ids"] },
    access: { class: "logging.StreamHandler", stream: "ext://sys.stdout", formatter: "json", filters: ["span_ids"] },
  },
  loggers: {
    uvicorn: { handlers: ["default"], level: "INFO", propagate: false },
    "uvicorn.error": { level: "INFO" },
    "uvicorn.access": { handlers: ["access"], level: "INFO", propagate: false },
  },
};

export function uvicornJsonLogFiles(): WorkloadFiles {
  return {
    dir: UVICORN_LOG_DIR,
    files: [
      { name: `${UVICORN_MODULE}.py`, content: UVICORN_HANDLER },
      { name: UVICORN_CONFIG_FILE, content: `${JSON.stringify(UVICORN_LOG_CONFIG, null, 2)}\n` },
    ],
  };
}

/** The variables that make Uvicorn load them; the module dir goes before any PYTHONPATH the app has. */
export function uvicornJsonLogEnv(appEnv: Readonly<Record<string, string>>): Record<string, string> {
  return {
    PYTHONPATH: appEnv.PYTHONPATH ? `${UVICORN_LOG_DIR}:${appEnv.PYTHONPATH}` : UVICORN_LOG_DIR,
    UVICORN_LOG_CONFIG: `${UVICORN_LOG_DIR}/${UVICORN_CONFIG_FILE}`,
  };
}
