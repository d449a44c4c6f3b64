import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { readJujuContext } from "../../src/juju/context.ts";
import { parseEvent, type JujuEvent } from "../../src/juju/event.ts";
import { parseActions, parseConfig, parseMetadata, type CharmMeta } from "../../src/juju/metadata.ts";
import { baseEnv } from "./env.ts";

// Names with dashes everywhere, including ones that end like a hook suffix.
const meta: CharmMeta = {
  metadata: parseMetadata({
    name: "flask-app",
    containers: { "flask-app": { resource: "flask-app-image" }, "app-pebble": {} },
    peers: { "secret-storage": { interface: "secret-storage" } },
    requires: {
      "http-proxy": { interface: "http_proxy", optional: true, limit: 1 },
      postgresql: { interface: "postgresql_client", limit: 1 },
      "db-relation": { interface: "legacy" },
    },
    provides: { "metrics-endpoint": { interface: "prometheus_scrape" } },
    storage: { "app-data": { type: "filesystem", location: "/data" } },
  }),
  config: parseConfig({}),
  actions: parseActions({ "rotate-secret-key": { description: "Rotate the secret key." } }),
};

function event(path: string, env: Record<string, string> = {}): JujuEvent {
  const hook = path.startsWith("hooks/") ? path.slice(6) : "";
  return parseEvent(readJujuContext(baseEnv({ JUJU_DISPATCH_PATH: path, JUJU_HOOK_NAME: hook, ...env })), meta);
}

const relationEnv = (endpoint: string, id: number, remoteUnit = "") => ({
  JUJU_RELATION: endpoint,
  JUJU_RELATION_ID: `${endpoint}:${id}`,
  JUJU_REMOTE_APP: "other",
  JUJU_REMOTE_UNIT: remoteUnit,
});

describe("parseEvent", () => {
  const lifecycle = [
    "install", "start", "stop", "remove", "config-changed", "upgrade-charm", "update-status", "leader-elected",
    "leader-settings-changed", "collect-metrics",
  ];
  for (const hook of lifecycle) {
    it(`hooks/${hook} → lifecycle`, () => assert.deepEqual(event(`hooks/${hook}`), { kind: "lifecycle", hook }));
  }

  for (const hook of ["secret-changed", "secret-expired", "secret-remove", "secret-rotate"]) {
    it(`hooks/${hook} → secret event with id, label and revision`, () => {
      assert.deepEqual(event(`hooks/${hook}`, { JUJU_SECRET_ID: "secret:cq2ac5ie4h9b7gvs8i0g", JUJU_SECRET_LABEL: "", JUJU_SECRET_REVISION: "4" }), {
        kind: "secret", hook, secretId: "secret:cq2ac5ie4h9b7gvs8i0g", secretLabel: undefined, secretRevision: 4,
      });
    });
  }

  const relations: [string, string, string, number][] = [
    ["secret-storage-relation-changed", "secret-storage", "changed", 3],
    ["secret-storage-relation-created", "secret-storage", "created", 3],
    ["http-proxy-relation-broken", "http-proxy", "broken", 8],
    ["http-proxy-relation-joined", "http-proxy", "joined", 8],
    ["postgresql-relation-departed", "postgresql", "departed", 5],
    ["metrics-endpoint-relation-changed", "metrics-endpoint", "changed", 9],
    ["db-relation-relation-changed", "db-relation", "changed", 2],
  ];
  for (const [hook, endpoint, relationKind, id] of relations) {
    it(`hooks/${hook} → relation ${relationKind} on ${endpoint}`, () => {
      const parsed = event(`hooks/${hook}`, relationEnv(endpoint, id, relationKind === "departed" ? "other/1" : ""));
      assert.equal(parsed.kind, "relation");
      if (parsed.kind !== "relation") return;
      assert.deepEqual(
        [parsed.hook, parsed.relationKind, parsed.endpoint.name, parsed.relationId, parsed.remoteApp],
        [hook, relationKind, endpoint, id, "other"],
      );
      assert.equal(parsed.remoteUnit, relationKind === "departed" ? "other/1" : undefined);
    });
  }

  it("carries the departing unit and the endpoint's metadata", () => {
    const parsed = event("hooks/http-proxy-relation-departed", { ...relationEnv("http-proxy", 8, "other/0"), JUJU_DEPARTING_UNIT: "flask-app/2" });
    assert.deepEqual(parsed, {
      kind: "relation",
      hook: "http-proxy-relation-departed",
      relationKind: "departed",
      endpoint: { name: "http-proxy", role: "requires", interface: "http_proxy", limit: 1, optional: true, scope: "global" },
      relationId: 8,
      remoteApp: "other",
      remoteUnit: "other/0",
      departingUnit: "flask-app/2",
    });
  });

  it("hooks/flask-app-pebble-ready → workload event of container flask-app", () => {
    assert.deepEqual(event("hooks/flask-app-pebble-ready", { JUJU_WORKLOAD_NAME: "flask-app" }), {
      kind: "workload", hook: "flask-app-pebble-ready", workloadKind: "pebble-ready", container: "flask-app", notice: undefined, checkName: undefined,
    });
  });

  it("hooks/app-pebble-pebble-ready → container app-pebble", () => {
    const parsed = event("hooks/app-pebble-pebble-ready");
    assert.equal(parsed.kind === "workload" && parsed.container, "app-pebble");
  });

  it("custom notices and check events carry their variables", () => {
    assert.deepEqual(
      event("hooks/flask-app-pebble-custom-notice", { JUJU_NOTICE_ID: "7", JUJU_NOTICE_TYPE: "custom", JUJU_NOTICE_KEY: "paas/migrated" }),
      {
        kind: "workload", hook: "flask-app-pebble-custom-notice", workloadKind: "pebble-custom-notice", container: "flask-app",
        notice: { id: "7", type: "custom", key: "paas/migrated" }, checkName: undefined,
      },
    );
    for (const kind of ["pebble-check-failed", "pebble-check-recovered"]) {
      const parsed = event(`hooks/flask-app-${kind}`, { JUJU_PEBBLE_CHECK_NAME: "http-ready" });
      assert.deepEqual(parsed.kind === "workload" && [parsed.workloadKind, parsed.checkName], [kind, "http-ready"]);
    }
  });

  it("storage hooks", () => {
    assert.deepEqual(event("hooks/app-data-storage-attached", { JUJU_STORAGE_ID: "app-data/0", JUJU_STORAGE_LOCATION: "/data" }), {
      kind: "storage", hook: "app-data-storage-attached", storageKind: "attached", storage: "app-data", storageId: "app-data/0", location: "/data",
    });
    assert.equal(event("hooks/app-data-storage-detaching").kind, "storage");
  });

  it("actions/rotate-secret-key → action", () => {
    assert.deepEqual(event("actions/rotate-secret-key", { JUJU_ACTION_NAME: "rotate-secret-key", JUJU_ACTION_UUID: "2" }), {
      kind: "action", action: "rotate-secret-key", actionUuid: "2",
    });
  });

  const unknown = [
    "hooks/mysql-relation-changed", // endpoint not declared (a rolled-back charm)
    "hooks/workload-pebble-ready", // container not declared
    "hooks/data-storage-attached",
    "hooks/-relation-changed",
    "hooks/meter-status-changed",
    "hooks/secret-storage-relation-exploded",
    "actions/get-password", // action not declared
    "something/else",
  ];
  for (const path of unknown) {
    it(`${path} → unknown`, () => assert.deepEqual(event(path), { kind: "unknown", dispatchPath: path }));
  }

  it("refuses a declared relation event whose relation id Juju did not set", () => {
    assert.throws(() => event("hooks/postgresql-relation-changed"), {
      name: "JujuContextError",
      message: "JUJU_RELATION_ID is not set for the postgresql-relation-changed hook; Juju always sets it for this event",
    });
  });

  it("refuses a secret event without JUJU_SECRET_ID", () => {
    assert.throws(() => event("hooks/secret-changed"), { name: "JujuContextError", message: /JUJU_SECRET_ID is not set/ });
  });
});
