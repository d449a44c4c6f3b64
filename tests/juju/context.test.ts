import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { JujuContextError, readJujuContext } from "../../src/juju/context.ts";
import { baseEnv } from "./env.ts";
import { compareJujuVersions, jujuVersionAtLeast, parseJujuVersion } from "../../src/juju/version.ts";

describe("readJujuContext", () => {
  it("reads the always-set variables", () => {
    const context = readJujuContext(baseEnv());
    assert.equal(context.dispatchPath, "hooks/install");
    assert.equal(context.hookName, "install");
    assert.equal(context.unitName, "flask-app/2");
    assert.equal(context.appName, "flask-app");
    assert.equal(context.unitNumber, 2);
    assert.equal(context.modelName, "prod");
    assert.equal(context.modelUuid, "0f2c8b1e-1111-4222-8333-444455556666");
    assert.equal(context.charmDir, "/var/lib/juju/agents/unit-flask-app-2/charm");
    assert.equal(context.version.text, "3.6.8");
    assert.deepEqual(context.proxy, { http: undefined, https: undefined, noProxy: undefined });
    assert.equal(context.kubernetes, undefined);
  });

  it("normalises the empty variables of a relation-changed caused by the remote app databag to undefined", () => {
    const context = readJujuContext(baseEnv({
      JUJU_DISPATCH_PATH: "hooks/secret-storage-relation-changed",
      JUJU_HOOK_NAME: "secret-storage-relation-changed",
      JUJU_RELATION: "secret-storage",
      JUJU_RELATION_ID: "secret-storage:12",
      JUJU_REMOTE_APP: "flask-app",
      JUJU_REMOTE_UNIT: "",
    }));
    assert.equal(context.relationName, "secret-storage");
    assert.equal(context.relationId, 12);
    assert.equal(context.remoteApp, "flask-app");
    assert.equal(context.remoteUnit, undefined);
    assert.equal(context.departingUnit, undefined);
  });

  it("reads every kind-specific variable", () => {
    const context = readJujuContext(baseEnv({
      JUJU_DISPATCH_PATH: "actions/rotate-secret-key",
      JUJU_HOOK_NAME: "",
      JUJU_ACTION_NAME: "rotate-secret-key",
      JUJU_ACTION_UUID: "2",
      JUJU_REMOTE_UNIT: "postgresql/1",
      JUJU_DEPARTING_UNIT: "postgresql/1",
      JUJU_WORKLOAD_NAME: "app",
      JUJU_NOTICE_ID: "42",
      JUJU_NOTICE_TYPE: "custom",
      JUJU_NOTICE_KEY: "example.com/migrated",
      JUJU_PEBBLE_CHECK_NAME: "http-ready",
      JUJU_SECRET_ID: "secret:cq2ac5ie4h9b7gvs8i0g",
      JUJU_SECRET_LABEL: "db-pw",
      JUJU_SECRET_REVISION: "3",
      JUJU_STORAGE_ID: "data/0",
      JUJU_STORAGE_LOCATION: "/var/lib/app",
      JUJU_STORAGE_KIND: "filesystem",
      JUJU_CHARM_HTTP_PROXY: "http://proxy:3128",
      JUJU_CHARM_HTTPS_PROXY: "http://proxy:3129",
      JUJU_CHARM_NO_PROXY: "127.0.0.1,.svc",
      KUBERNETES_SERVICE_HOST: "10.152.183.1",
      KUBERNETES_SERVICE_PORT: "443",
    }));
    assert.equal(context.hookName, undefined);
    assert.equal(context.actionName, "rotate-secret-key");
    assert.equal(context.actionUuid, "2");
    assert.equal(context.remoteUnit, "postgresql/1");
    assert.equal(context.departingUnit, "postgresql/1");
    assert.equal(context.workloadName, "app");
    assert.deepEqual([context.noticeId, context.noticeType, context.noticeKey], ["42", "custom", "example.com/migrated"]);
    assert.equal(context.pebbleCheckName, "http-ready");
    assert.deepEqual([context.secretId, context.secretLabel, context.secretRevision], ["secret:cq2ac5ie4h9b7gvs8i0g", "db-pw", 3]);
    assert.deepEqual([context.storageId, context.storageLocation, context.storageKind], ["data/0", "/var/lib/app", "filesystem"]);
    assert.deepEqual(context.proxy, { http: "http://proxy:3128", https: "http://proxy:3129", noProxy: "127.0.0.1,.svc" });
    assert.deepEqual(context.kubernetes, { serviceHost: "10.152.183.1", servicePort: "443" });
  });

  it("falls back to the legacy CHARM_DIR", () => {
    const env = baseEnv({ CHARM_DIR: "/charm" });
    delete env.JUJU_CHARM_DIR;
    assert.equal(readJujuContext(env).charmDir, "/charm");
  });

  it("names every missing required variable", () => {
    assert.throws(() => readJujuContext({ JUJU_DISPATCH_PATH: "hooks/install" }), {
      name: "JujuContextError",
      message: "not running as a Juju hook: JUJU_UNIT_NAME, JUJU_MODEL_NAME, JUJU_MODEL_UUID, JUJU_VERSION, JUJU_CHARM_DIR are not set; " +
        "the charm is started by Juju through dispatch (to run it by hand, export the JUJU_* variables Juju sets)",
    });
  });

  const invalid: [string, Record<string, string>, RegExp][] = [
    ["unit name without a number", { JUJU_UNIT_NAME: "flask-app" }, /JUJU_UNIT_NAME "flask-app" is not of the form <app>\/<number>/],
    ["unparsable version", { JUJU_VERSION: "three" }, /JUJU_VERSION "three" is not a Juju version/],
    ["relation id without a number", { JUJU_RELATION_ID: "db:x" }, /JUJU_RELATION_ID "db:x" does not end in :<number>/],
    ["secret revision not a number", { JUJU_SECRET_REVISION: "latest" }, /JUJU_SECRET_REVISION "latest" is not a whole number/],
  ];
  for (const [name, overrides, message] of invalid) {
    it(`rejects ${name}`, () => {
      assert.throws(() => readJujuContext(baseEnv(overrides)), (error: Error) => error instanceof JujuContextError && message.test(error.message));
    });
  }
});

describe("Juju versions", () => {
  it("parses Juju's forms", () => {
    assert.deepEqual(parseJujuVersion("3.6.8"), { major: 3, minor: 6, patch: 8, tag: undefined, build: 0, text: "3.6.8" });
    assert.deepEqual(parseJujuVersion("3.0-beta2"), { major: 3, minor: 0, patch: 2, tag: "beta", build: 0, text: "3.0-beta2" });
    assert.deepEqual(parseJujuVersion("2.9.42.1"), { major: 2, minor: 9, patch: 42, tag: undefined, build: 1, text: "2.9.42.1" });
    assert.deepEqual(parseJujuVersion("4.0"), { major: 4, minor: 0, patch: 0, tag: undefined, build: 0, text: "4.0" });
  });

  const ordered = ["2.9.42", "2.9.42.1", "3.0-beta1", "3.0-beta2", "3.0-rc1", "3.0.0", "3.0.3", "3.6.2", "3.6.10", "4.0.0"];
  it("orders versions (pre-releases before the release, numbers numerically)", () => {
    for (let i = 0; i + 1 < ordered.length; i++) {
      const [a, b] = [parseJujuVersion(ordered[i]!), parseJujuVersion(ordered[i + 1]!)];
      assert.ok(compareJujuVersions(a, b) < 0, `${a.text} < ${b.text}`);
      assert.ok(compareJujuVersions(b, a) > 0, `${b.text} > ${a.text}`);
    }
    assert.equal(compareJujuVersions(parseJujuVersion("3.6"), parseJujuVersion("3.6.0")), 0);
  });

  it("gates features", () => {
    assert.equal(jujuVersionAtLeast(parseJujuVersion("3.6.8"), "3.6.2"), true);
    assert.equal(jujuVersionAtLeast(parseJujuVersion("3.6.1"), "3.6.2"), false);
    assert.equal(jujuVersionAtLeast(parseJujuVersion("3.6.2"), "3.6.2"), true);
  });
});
