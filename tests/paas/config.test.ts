// Charm config: which options are the user's (docs/paas-charm-contract.md §2.4), how they become variables (§2.5), and the one
// Blocked message every framework gives for bad options (§2.6, without the 8-space artefact, sorted).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  configProblemMessage, FRAMEWORKS, isUserDefinedOption, resolveConfig,
  type ConfigInput, type FrameworkName, type OptionDecl,
} from "../../src/paas/index.ts";

function resolve(framework: FrameworkName, declarations: Record<string, OptionDecl>, config: ConfigInput["config"], secrets: ConfigInput["secrets"] = {}) {
  return resolveConfig({ framework: FRAMEWORKS[framework], paasConfig: { framework, scrapeConfigs: [] }, config, declarations, secrets });
}

function message(framework: FrameworkName, declarations: Record<string, OptionDecl>, config: ConfigInput["config"], secrets: ConfigInput["secrets"] = {}) {
  return configProblemMessage(resolve(framework, declarations, config, secrets));
}

describe("user-defined options (§2.4)", () => {
  const cases: Array<[FrameworkName, string, boolean]> = [
    ["flask", "flask-config", false],
    ["flask", "user-defined-config", true],
    ["flask", "webserver-anything", false],
    ["flask", "app-anything", false],
    ["flask", "secret-key", false], // equals Flask's secret_key field
    ["flask", "metrics-port", true], // Flask never had metrics options: FLASK_METRICS_PORT is the framework's anyway
    ["django", "django-anything", false],
    ["django", "allowed-hosts", false],
    ["fastapi", "port", true],
    ["fastapi", "metrics-port", false],
    ["go", "port", false],
    ["go", "metrics-path", false],
    ["expressjs", "node-env", false],
    ["expressjs", "secret-key", true],
    ["spring-boot", "spring-boot-x", false],
    ["spring-boot", "server-port", false],
    ["spring-boot", "oidc-scopes", true],
  ];
  for (const [framework, option, expected] of cases) {
    it(`${framework}: ${option} is ${expected ? "" : "not "}user-defined`, () => assert.equal(isUserDefinedOption(FRAMEWORKS[framework], option), expected));
  }
});

describe("user-defined options → variables (§2.5)", () => {
  it("strings verbatim, other types as JSON, dashes to underscores, prefix per framework", () => {
    const declarations: Record<string, OptionDecl> = {
      "a-string": { type: "string" }, "an-int": { type: "int" }, "a-float": { type: "float" }, "a-bool": { type: "boolean" }, "unset": { type: "string" },
    };
    const config = { "a-string": "x y", "an-int": 128, "a-float": 1.5, "a-bool": false };
    assert.deepEqual(resolve("flask", declarations, config).userEnv, { FLASK_A_STRING: "x y", FLASK_AN_INT: "128", FLASK_A_FLOAT: "1.5", FLASK_A_BOOL: "false" });
    assert.deepEqual(resolve("go", declarations, config).userEnv, { APP_A_STRING: "x y", APP_AN_INT: "128", APP_A_FLOAT: "1.5", APP_A_BOOL: "false" });
  });

  it("flattens a secret option per content key", () => {
    const resolved = resolve("flask", { "secret-test": { type: "secret" } }, { "secret-test": "secret:abc" }, { "secret-test": { foo: "foo", bar: "bar", "foo-bar": "foobar" } });
    assert.deepEqual(resolved.userEnv, { FLASK_SECRET_TEST_FOO: "foo", FLASK_SECRET_TEST_BAR: "bar", FLASK_SECRET_TEST_FOO_BAR: "foobar" });
  });

  it("an unreadable secret option is invalid and tells how to grant it, without values", () => {
    const resolved = resolve("fastapi", { creds: { type: "secret" } }, { creds: "secret:abc" }, { creds: undefined });
    assert.deepEqual([resolved.invalid, resolved.userEnv], [["creds"], {}]);
    assert.match(resolved.reasons[0]!, /^creds: .*juju grant-secret/);
  });
});

describe("Blocked messages (§2.6), the same for every framework", () => {
  const nonOptional: Record<string, OptionDecl> = {
    "non-optional-string": { type: "string", optional: false }, "non-optional-int": { type: "int", optional: false }, "optional-int": { type: "int" },
  };
  const cases: Array<{ name: string; framework: FrameworkName; declarations?: Record<string, OptionDecl>; config: ConfigInput["config"]; secrets?: ConfigInput["secrets"]; expected: string | undefined }> = [
    { name: "valid config", framework: "flask", config: { "flask-env": "production" }, expected: undefined },
    { name: "empty flask-env", framework: "flask", config: { "flask-env": "" }, expected: "invalid options: flask-env" },
    { name: "missing non-optional options, sorted", framework: "flask", declarations: nonOptional, config: {}, expected: "missing options: non-optional-int, non-optional-string" },
    { name: "missing and invalid", framework: "flask", declarations: nonOptional, config: { "non-optional-int": "x" }, expected: "missing options: non-optional-string, invalid options: non-optional-int" },
    { name: "several invalid, sorted", framework: "flask", config: { "flask-preferred-url-scheme": "ftp", "flask-debug": "yes", "flask-permanent-session-lifetime": 0 }, expected: "invalid options: flask-debug, flask-permanent-session-lifetime, flask-preferred-url-scheme" },
    { name: "fastapi log level (a hook error in paas-charm)", framework: "fastapi", config: { "webserver-log-level": "foo" }, expected: "invalid options: webserver-log-level" },
    { name: "fastapi workers", framework: "fastapi", config: { "webserver-workers": 0 }, expected: "invalid options: webserver-workers" },
    { name: "go empty app-secret-key", framework: "go", config: { "app-secret-key": "" }, expected: "invalid options: app-secret-key" },
    { name: "go port out of range", framework: "go", config: { port: 70000 }, expected: "invalid options: port" },
    { name: "expressjs empty node-env", framework: "expressjs", config: { "node-env": "" }, expected: "invalid options: node-env" },
    { name: "spring boot empty profiles", framework: "spring-boot", config: { "app-profiles": "" }, expected: "invalid options: app-profiles" },
    { name: "spring boot metrics port", framework: "spring-boot", config: { "metrics-port": -1 }, expected: "invalid options: metrics-port" },
    { name: "secret key and its id both set", framework: "flask", config: { "app-secret-key": "a", "app-secret-key-id": "secret:x" }, secrets: { "app-secret-key-id": { value: "b" } }, expected: "invalid options: app-secret-key, app-secret-key-id" },
    { name: "1.12 and 2.0 secret key names both set", framework: "django", config: { "app-secret-key": "a", "django-secret-key": "b" }, expected: "invalid options: app-secret-key, django-secret-key" },
    { name: "secret id without value key", framework: "flask", config: { "app-secret-key-id": "secret:x" }, secrets: { "app-secret-key-id": { key: "b" } }, expected: "invalid options: app-secret-key-id" },
    { name: "secret id with several keys", framework: "go", config: { "app-secret-key-id": "secret:x" }, secrets: { "app-secret-key-id": { value: "a", other: "b" } }, expected: "invalid options: app-secret-key-id" },
    { name: "secret id not granted", framework: "spring-boot", config: { "app-secret-key-id": "secret:x" }, secrets: {}, expected: "invalid options: app-secret-key-id" },
    { name: "1.12 flask secret id", framework: "flask", config: { "flask-secret-key-id": "secret:x" }, secrets: { "flask-secret-key-id": {} }, expected: "invalid options: flask-secret-key-id" },
  ];
  for (const { name, framework, declarations = {}, config, secrets = {}, expected } of cases) {
    it(`${framework}: ${name}`, () => assert.equal(message(framework, declarations, config, secrets), expected));
  }

  it("reasons name the option and never the value", () => {
    const resolved = resolve("flask", {}, { "app-secret-key": "s3cr3t", "app-secret-key-id": "secret:x" }, { "app-secret-key-id": { value: "v4lue" } });
    assert.ok(resolved.reasons.length > 0);
    for (const reason of resolved.reasons) assert.doesNotMatch(reason, /s3cr3t|v4lue/);
  });
});

describe("operator secret key (§6.2)", () => {
  const cases: Array<{ name: string; framework: FrameworkName; config: ConfigInput["config"]; secrets?: ConfigInput["secrets"]; expected: string | undefined }> = [
    { name: "plain 2.0 option", framework: "flask", config: { "app-secret-key": "k" }, expected: "k" },
    { name: "plain 1.12 option", framework: "flask", config: { "flask-secret-key": "k" }, expected: "k" },
    { name: "2.0 secret id", framework: "django", config: { "app-secret-key-id": "secret:x" }, secrets: { "app-secret-key-id": { value: "k" } }, expected: "k" },
    { name: "1.12 secret id", framework: "django", config: { "django-secret-key-id": "secret:x" }, secrets: { "django-secret-key-id": { value: "k" } }, expected: "k" },
    { name: "empty secret id means unset", framework: "go", config: { "app-secret-key-id": "" }, expected: undefined },
    { name: "nothing set", framework: "expressjs", config: {}, expected: undefined },
  ];
  for (const { name, framework, config, secrets = {}, expected } of cases) {
    it(`${framework}: ${name}`, () => assert.equal(resolve(framework, {}, config, secrets).operatorSecretKey, expected));
  }
});

describe("ports", () => {
  const bothDeclared: ConfigInput["declarations"] = { port: { type: "int", default: 8080 }, "app-port": { type: "int", default: 8080 } };
  const cases: Array<{ framework: FrameworkName; port?: number; config: ConfigInput["config"]; declarations?: ConfigInput["declarations"]; expected: number }> = [
    { framework: "flask", config: {}, expected: 8000 },
    { framework: "flask", port: 8001, config: {}, expected: 8001 },
    { framework: "fastapi", config: {}, expected: 8000 },
    { framework: "fastapi", config: { "webserver-port": 8080 }, expected: 8080 },
    { framework: "fastapi", port: 9000, config: { "webserver-port": 8080 }, expected: 9000 },
    { framework: "go", config: { "app-port": 8081 }, expected: 8081 },
    { framework: "go", config: { port: 8082, "app-port": 8081 }, expected: 8082 },
    { framework: "go", config: { port: "x" }, expected: 8080 },
    // Both declared with defaults: the one the operator changed wins, whichever it is.
    { framework: "go", config: { port: 8080, "app-port": 9001 }, declarations: bothDeclared, expected: 9001 },
    { framework: "expressjs", config: { port: 9002, "app-port": 8080 }, declarations: bothDeclared, expected: 9002 },
    { framework: "expressjs", config: { port: 9003, "app-port": 9004 }, declarations: bothDeclared, expected: 9003 },
    { framework: "go", config: { port: 8080, "app-port": 8080 }, declarations: bothDeclared, expected: 8080 },
    { framework: "expressjs", config: {}, expected: 8080 },
    { framework: "spring-boot", config: { "app-port": 8083 }, expected: 8083 },
  ];
  for (const { framework, port, config, declarations = {}, expected } of cases) {
    it(`${framework} ${JSON.stringify({ port, ...config })}${Object.keys(declarations).length ? " (both declared)" : ""} → ${expected}`, () => {
      assert.equal(resolveConfig({ framework: FRAMEWORKS[framework], paasConfig: { framework, scrapeConfigs: [], ...(port ? { port } : {}) }, config, declarations, secrets: {} }).port, expected);
    });
  }
});
