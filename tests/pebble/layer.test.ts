// Pure tests of the layer serializer, plan parser, durations and the layer comparison.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { diffLayer, diffService, goDuration, parseGoDuration, parsePlan, serializeLayer } from "../../pebble/layer.ts";
import type { Layer, PebblePlan, Service } from "../../pebble/layer.ts";

describe("durations", () => {
  const parsed: [string, number][] = [
    ["0", 0],
    ["500ms", 500],
    ["1.5s", 1500],
    ["1m30s", 90_000],
    ["2h45m", 9_900_000],
    ["1m0s", 60_000],
    ["250us", 0.25],
    ["-2s", -2000],
  ];
  for (const [text, ms] of parsed) test(`parses ${text}`, () => assert.equal(parseGoDuration(text), ms));
  for (const bad of ["", "5", "1.5", "5 s", "5sec", "s", "1d"]) {
    test(`rejects ${JSON.stringify(bad)}`, () => assert.throws(() => parseGoDuration(bad), /invalid Go duration/));
  }
  const formatted: [number, string][] = [
    [0, "0.000s"],
    [1, "0.001s"],
    [1500, "1.500s"],
    [30_000, "30.000s"],
  ];
  for (const [ms, text] of formatted) test(`formats ${ms} ms as ${text}`, () => assert.equal(goDuration(ms), text));
  test("refuses negative or infinite durations", () => {
    assert.throws(() => goDuration(-1), RangeError);
    assert.throws(() => goDuration(Infinity), RangeError);
  });
});

describe("serializeLayer", () => {
  test("emits Pebble's wire names, in a stable order, and nothing else", () => {
    const layer = {
      summary: "app layer",
      services: {
        web: {
          override: "replace",
          command: "/bin/app --port 8080",
          startup: "enabled",
          environment: { PORT: "8080", DEBUG: "false" },
          userId: 584792,
          workingDir: "/app",
          after: ["db"],
          onCheckFailure: { up: "restart" },
          backoffFactor: 1.5,
          killDelay: "30s",
          colour: "red", // unknown to Pebble: must not be sent
        },
      },
      checks: { up: { override: "replace", level: "alive", period: "10s", threshold: 3, http: { url: "http://localhost:8080/" } } },
      logTargets: { loki: { override: "merge", type: "loki", location: "http://loki/push", services: ["all"], labels: { app: "x" } } },
    } as unknown as Layer;
    assert.equal(
      serializeLayer(layer),
      [
        "summary: app layer",
        "services:",
        "  web:",
        "    override: replace",
        "    command: /bin/app --port 8080",
        "    startup: enabled",
        "    environment:",
        '      PORT: "8080"',
        '      DEBUG: "false"',
        "    user-id: 584792",
        "    working-dir: /app",
        "    after:",
        "      - db",
        "    on-check-failure:",
        "      up: restart",
        "    backoff-factor: 1.5",
        "    kill-delay: 30s",
        "checks:",
        "  up:",
        "    override: replace",
        "    level: alive",
        "    period: 10s",
        "    threshold: 3",
        "    http:",
        "      url: http://localhost:8080/",
        "log-targets:",
        "  loki:",
        "    override: merge",
        "    type: loki",
        "    location: http://loki/push",
        "    services:",
        "      - all",
        "    labels:",
        "      app: x",
        "",
      ].join("\n"),
    );
  });

  test("leaves out empty sections", () => {
    assert.equal(serializeLayer({ services: {} }), "{}\n");
  });

  const invalid: [string, Layer, RegExp][] = [
    ["a missing override", { services: { s: { command: "x" } as Service } }, /services\.s needs override/],
    ["a bad duration", { services: { s: { override: "replace", killDelay: "5" } } }, /invalid Go duration "5"/],
    ["a fractional id", { services: { s: { override: "replace", userId: 1.5 } } }, /services\.s\.user-id must be an integer/],
  ];
  for (const [what, layer, message] of invalid) test(`refuses ${what}`, () => assert.throws(() => serializeLayer(layer), message));
});

describe("parsePlan", () => {
  test("reads Pebble's plan YAML into camelCase fields of the right types, dropping unknown sections and fields", () => {
    const yaml = [
      "services:",
      "    web:",
      "        override: replace",
      "        command: sleep 1",
      "        working-dir: /srv",
      "        kill-delay: 1m0s",
      "        environment:",
      "            PORT: 8080",
      "        future-field: x",
      "checks:",
      "    up:",
      "        override: replace",
      "        threshold: 3",
      "        exec:",
      "            command: true",
      "            service-context: web",
      "workloads:",
      "    w: {}",
      "",
    ].join("\n");
    assert.deepEqual(parsePlan(yaml), {
      services: { web: { override: "replace", command: "sleep 1", workingDir: "/srv", killDelay: "1m0s", environment: { PORT: "8080" } } },
      checks: { up: { override: "replace", threshold: 3, exec: { command: "true", serviceContext: "web" } } },
      logTargets: {},
    });
  });

  test("an empty plan has empty sections", () => {
    assert.deepEqual(parsePlan("{}\n"), { services: {}, checks: {}, logTargets: {} });
  });

  test("a serialized layer parses back to the same data", () => {
    const layer: Layer = {
      services: { a: { override: "merge", command: "a", environment: { K: "1" }, requires: ["b"], backoffDelay: "1s" } },
      checks: { c: { override: "replace", tcp: { port: 80, host: "h" }, startup: "disabled" } },
      logTargets: { t: { override: "replace", type: "syslog", location: "udp://x:514" } },
    };
    assert.deepEqual(parsePlan(serializeLayer(layer)), { services: layer.services, checks: layer.checks, logTargets: layer.logTargets });
  });
});

describe("diffLayer", () => {
  const web: Service = { override: "replace", command: "app", startup: "enabled", environment: { A: "1" }, after: ["db"] };
  const plan = (services: PebblePlan["services"], checks: PebblePlan["checks"] = {}, logTargets: PebblePlan["logTargets"] = {}): PebblePlan => ({ services, checks, logTargets });

  const cases: [string, Layer, PebblePlan, string[]][] = [
    ["an identical service", { services: { web } }, plan({ web }), []],
    ["a service absent from the plan", { services: { web } }, plan({}), ["services.web"]],
    ["a changed command", { services: { web } }, plan({ web: { ...web, command: "other" } }), ["services.web.command"]],
    ["a changed environment value", { services: { web } }, plan({ web: { ...web, environment: { A: "2" } } }), ["services.web.environment.A"]],
    ["a new environment key", { services: { web: { ...web, environment: { A: "1", B: "2" } } } }, plan({ web }), ["services.web.environment.B"]],
    ["an environment key only in the plan (replace)", { services: { web } }, plan({ web: { ...web, environment: { A: "1", OLD: "x" } } }), ["services.web.environment.OLD"]],
    ["an environment key only in the plan (merge)", { services: { web: { ...web, override: "merge" } } }, plan({ web: { ...web, environment: { A: "1", OLD: "x" } } }), []],
    ["an empty environment and none", { services: { web: { ...web, environment: {} } } }, plan({ web: { ...web, environment: undefined } as Service }), []],
    ["the same duration spelled differently", { services: { web: { ...web, killDelay: "60s" } } }, plan({ web: { ...web, killDelay: "1m0s" } }), []],
    ["an unset duration and Pebble's default", { services: { web } }, plan({ web: { ...web, killDelay: "5s" } }), []],
    ["an unset duration and another value (replace)", { services: { web } }, plan({ web: { ...web, killDelay: "10s" } }), ["services.web.kill-delay"]],
    ["an unset field and another value (merge)", { services: { web: { ...web, override: "merge" } } }, plan({ web: { ...web, killDelay: "10s" } }), []],
    ["unset startup and disabled", { services: { web: { override: "replace", command: "app" } } }, plan({ web: { override: "replace", command: "app", startup: "disabled" } }), []],
    ["unset startup and enabled", { services: { web: { override: "replace", command: "app" } } }, plan({ web: { override: "replace", command: "app", startup: "enabled" } }), ["services.web.startup"]],
    ["a reordered list (replace)", { services: { web: { ...web, after: ["a", "b"] } } }, plan({ web: { ...web, after: ["b", "a"] } }), ["services.web.after"]],
    ["list items already present (merge)", { services: { web: { override: "merge", after: ["db"] } } }, plan({ web: { ...web, after: ["db", "x"] } }), []],
    ["a different override only", { services: { web } }, plan({ web: { ...web, override: "merge" } }), []],
    ["a check with Pebble's default threshold", { checks: { up: { override: "replace", tcp: { port: 80 } } } }, plan({}, { up: { override: "replace", threshold: 3, tcp: { port: 80 } } }), []],
    ["a check with a new URL", { checks: { up: { override: "replace", http: { url: "http://a/" } } } }, plan({}, { up: { override: "replace", http: { url: "http://b/" } } }), ["checks.up.http.url"]],
    ["a check of another type", { checks: { up: { override: "replace", tcp: { port: 80 } } } }, plan({}, { up: { override: "replace", http: { url: "http://b/" } } }), ["checks.up.http", "checks.up.tcp"]],
    ["a log target with a new label", { logTargets: { t: { override: "replace", type: "loki", location: "l", labels: { a: "1", b: "2" } } } }, plan({}, {}, { t: { override: "replace", type: "loki", location: "l", labels: { a: "1" } } }), ["log-targets.t.labels.b"]],
    ["summary only (the plan has none)", { summary: "new" }, plan({ web }), []],
  ];
  for (const [what, desired, current, expected] of cases) test(what, () => assert.deepEqual(diffLayer(desired, current), expected));

  test("names differing keys but never their values", () => {
    const differences = diffLayer({ services: { web: { ...web, environment: { TOKEN: "s3cr3t" } } } }, plan({ web }));
    assert.deepEqual(differences, ["services.web.environment.A", "services.web.environment.TOKEN"]);
    assert.ok(differences.every((d) => !d.includes("s3cr3t")));
  });
});

describe("diffService", () => {
  const web: Service = { override: "replace", command: "app", environment: { A: "1" } };
  test("nothing when the plan's service matches", () => assert.deepEqual(diffService(web, { ...web, killDelay: "5s" }), []));
  test("the differing fields", () => assert.deepEqual(diffService(web, { ...web, command: "x", environment: {} }), ["command", "environment.A"]));
  test("(missing) when the plan lacks the service", () => assert.deepEqual(diffService(web, undefined), ["(missing)"]));
});
