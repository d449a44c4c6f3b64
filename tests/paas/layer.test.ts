// The Pebble layer (docs/paas-charm-contract.md §4.2, §8.4): the rock's services with the app env, workers everywhere, schedulers on
// unit 0 only, other services untouched, plus the charm's ready check on the app port.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildLayer, healthCheckName, MissingServiceError, type LayerInput } from "../../src/paas/index.ts";
import { ROCK_SERVICES, type TestService } from "./support.ts";

const env = { FLASK_SECRET_KEY: "test" };
const rockServices: Record<string, TestService> = {
  ...ROCK_SERVICES.flask,
  "real-worker": { override: "replace", startup: "enabled", command: "celery worker" },
  "Another-Real-WorkeR": { override: "replace", startup: "enabled", command: "celery worker 2" },
  "real-scheduler": { override: "replace", startup: "enabled", command: "celery beat" },
  "ANOTHER-REAL-SCHEDULER": { override: "merge", startup: "enabled", command: "celery beat 2", environment: { ROCK: "1" } },
  "not-worker-service": { override: "replace", startup: "enabled", command: "other" },
};
const input = (unitNumber: number, extra: Partial<LayerInput<TestService>> = {}): LayerInput<TestService> => ({ rockServices, serviceName: "flask", env, unitNumber, port: 8000, ...extra });

describe("buildLayer", () => {
  it("main service: override replace, full env, every other rock field kept", () => {
    assert.deepEqual(buildLayer(input(0)).services.flask, {
      override: "replace", startup: "enabled", command: "/bin/python3 -m gunicorn -c /flask/gunicorn.conf.py app:app -k [ sync ]",
      after: ["statsd-exporter"], user: "_daemon_", environment: env,
    });
  });

  it("a rewritten command replaces the rock's", () => {
    assert.equal(buildLayer(input(0, { command: "gunicorn -k [ gevent ]" })).services.flask!.command, "gunicorn -k [ gevent ]");
  });

  const cases: Array<{ unit: number; name: string; expected: TestService | undefined }> = [
    { unit: 0, name: "real-worker", expected: { override: "replace", startup: "enabled", command: "celery worker", environment: env } },
    { unit: 1, name: "Another-Real-WorkeR", expected: { override: "replace", startup: "enabled", command: "celery worker 2", environment: env } },
    { unit: 0, name: "real-scheduler", expected: { override: "replace", startup: "enabled", command: "celery beat", environment: env } },
    { unit: 0, name: "ANOTHER-REAL-SCHEDULER", expected: { override: "replace", startup: "enabled", command: "celery beat 2", environment: env } },
    { unit: 1, name: "real-scheduler", expected: { override: "replace", startup: "disabled", command: "celery beat" } },
    { unit: 1, name: "ANOTHER-REAL-SCHEDULER", expected: { override: "replace", startup: "disabled", command: "celery beat 2", environment: { ROCK: "1" } } },
    { unit: 0, name: "not-worker-service", expected: undefined },
    { unit: 0, name: "statsd-exporter", expected: undefined },
  ];
  for (const { unit, name, expected } of cases) {
    it(`unit ${unit}: ${name}`, () => assert.deepEqual(buildLayer(input(unit)).services[name], expected));
  }

  it("ready check: TCP on the app port by default, HTTP with a health-check path", () => {
    assert.equal(healthCheckName("flask"), "flask-ready");
    assert.deepEqual(buildLayer(input(0)).checks, {
      "flask-ready": { override: "replace", level: "ready", period: "10s", timeout: "3s", threshold: 3, tcp: { port: 8000 } },
    });
    assert.deepEqual(buildLayer(input(0, { port: 8080, healthCheckPath: "/healthz" })).checks["flask-ready"], {
      override: "replace", level: "ready", period: "10s", timeout: "3s", threshold: 3, http: { url: "http://localhost:8080/healthz" },
    });
  });

  it("a rock without the framework's service is rejected with what it has", () => {
    assert.throws(() => buildLayer({ ...input(0), serviceName: "django" }), (error: unknown) =>
      error instanceof MissingServiceError && /no service "django" \(found: ANOTHER-REAL-SCHEDULER, Another-Real-WorkeR, flask,/.test(error.message));
  });
});
