import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { charmFiles } from "../../packing/charmcraftYaml.ts";
import { loadCharmMeta } from "../../src/juju/metadata.ts";
import { repoRoot } from "../support/paths.ts";

const dirs: string[] = [];
after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function charmDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "charm-meta-"));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe("loadCharmMeta", () => {
  it("reads the files charmcraft packs from this project's charmcraft.yaml", async () => {
    const { files } = charmFiles(readFileSync(join(repoRoot, "charmcraft.yaml"), "utf8"), "amd64");
    const meta = await loadCharmMeta(charmDir(files));

    assert.equal(meta.metadata.name, "example-app");
    assert.deepEqual(meta.metadata.containers.app, { name: "app", resource: "app-image", mounts: [] });
    assert.deepEqual(meta.metadata.resources["app-image"], {
      name: "app-image", type: "oci-image", description: "expressjs application image.", filename: undefined,
    });
    assert.deepEqual(meta.metadata.relations["secret-storage"], {
      name: "secret-storage", role: "peer", interface: "secret-storage", limit: undefined, optional: false, scope: "global",
    });
    assert.deepEqual(meta.metadata.relations.postgresql, {
      name: "postgresql", role: "requires", interface: "postgresql_client", limit: 1, optional: false, scope: "global",
    });
    assert.equal(meta.metadata.relations["http-proxy"]?.optional, true);
    assert.equal(meta.metadata.relations["metrics-endpoint"]?.role, "provides");

    assert.deepEqual(meta.config["app-port"], {
      name: "app-port", type: "int", default: 8080, description: "Default port where the application will listen on.", optional: true,
    });
    assert.equal(meta.config["app-secret-key-id"]?.type, "secret");
    assert.equal(meta.config["app-secret-key-id"]?.default, undefined);

    assert.deepEqual(Object.keys(meta.actions), ["rotate-secret-key"]);
    assert.deepEqual(meta.actions["rotate-secret-key"]?.params, {});
    assert.deepEqual(meta.actions["rotate-secret-key"]?.required, []);
  });

  it("reads mounts, storage, required config, action params and extra bindings", async () => {
    const meta = await loadCharmMeta(charmDir({
      "metadata.yaml": [
        "name: web",
        "containers:",
        "  app:",
        "    resource: app-image",
        "    mounts: [{storage: data, location: /srv/data}]",
        "storage:",
        "  data: {type: filesystem, location: /srv/data}",
        "extra-bindings:",
        "  metrics: null",
        "requires:",
        "  logging: {interface: loki_push_api, scope: container}",
      ].join("\n"),
      "config.yaml": "options:\n  user-defined:\n    type: string\n    optional: false\n  ratio:\n    type: float\n    default: 0.5\n",
      "actions.yaml": [
        "create-superuser:",
        "  description: Create a user.",
        "  params:",
        "    username: {type: string}",
        "    email: {type: string, default: admin@example.com}",
        "  required: [username]",
        "  additionalProperties: false",
      ].join("\n"),
    }));
    assert.deepEqual(meta.metadata.containers.app?.mounts, [{ storage: "data", location: "/srv/data" }]);
    assert.deepEqual(meta.metadata.storage.data, { name: "data", type: "filesystem", location: "/srv/data" });
    assert.deepEqual(meta.metadata.extraBindings, ["metrics"]);
    assert.equal(meta.metadata.relations.logging?.scope, "container");
    assert.equal(meta.config["user-defined"]?.optional, false);
    assert.equal(meta.config.ratio?.default, 0.5);
    assert.deepEqual(meta.actions["create-superuser"], {
      name: "create-superuser",
      description: "Create a user.",
      params: { username: { type: "string" }, email: { type: "string", default: "admin@example.com" } },
      required: ["username"],
      additionalProperties: false,
    });
  });

  it("needs only metadata.yaml", async () => {
    const meta = await loadCharmMeta(charmDir({ "metadata.yaml": "name: bare\n" }));
    assert.deepEqual(meta, {
      metadata: { name: "bare", containers: {}, resources: {}, storage: {}, relations: {}, extraBindings: [] },
      config: {},
      actions: {},
    });
  });

  const broken: [string, Record<string, string>, RegExp][] = [
    ["no metadata.yaml", {}, /cannot read .*metadata\.yaml: .*is JUJU_CHARM_DIR the unpacked charm\?/],
    ["no name", { "metadata.yaml": "summary: x\n" }, /metadata\.yaml: name is required/],
    ["endpoint without interface", { "metadata.yaml": "name: a\nrequires:\n  db: {limit: 1}\n" }, /metadata\.yaml: requires\.db\.interface is required/],
    ["unknown config type", { "metadata.yaml": "name: a\n", "config.yaml": "options:\n  x: {type: list}\n" }, /config\.yaml: option x has type "list"; expected one of string, int, float, boolean, secret/],
    ["a list where a mapping belongs", { "metadata.yaml": "name: a\ncontainers: [app]\n" }, /metadata\.yaml: containers must be a mapping/],
  ];
  for (const [name, files, message] of broken) {
    it(`explains ${name}`, async () => {
      await assert.rejects(loadCharmMeta(charmDir(files)), (error: Error) => error.name === "CharmMetadataError" && message.test(error.message));
    });
  }
});
