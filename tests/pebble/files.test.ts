// The files API against a real Pebble daemon.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { PebbleClient } from "../../pebble/client.ts";
import { PathError } from "../../pebble/errors.ts";
import { startPebble } from "../support/pebble.ts";
import type { PebbleDaemon } from "../support/pebble.ts";

let pebble: PebbleDaemon;
let client: PebbleClient;
let root: string;

before(async () => {
  pebble = await startPebble();
  client = new PebbleClient({ socketPath: pebble.socketPath });
  root = join(pebble.dir, "files");
  await client.makeDir(root);
});
after(() => pebble.stop());

test("push then pull round-trips text and binary content", async () => {
  const text = join(root, "hello.txt");
  await client.push(text, "héllo\nworld\n");
  assert.equal(await client.pullText(text), "héllo\nworld\n");
  assert.equal(await readFile(text, "utf8"), "héllo\nworld\n");

  const binary = join(root, "blob.bin");
  const bytes = Buffer.from(Array.from({ length: 70_000 }, (_, i) => i % 256));
  await client.push(binary, bytes);
  assert.deepEqual(await client.pull(binary), bytes);
});

test("permissions are set on push and reported by listFiles", async () => {
  const table: [string, number | undefined, number][] = [
    ["default.txt", undefined, 0o644],
    ["secret.txt", 0o600, 0o600],
    ["script.sh", 0o755, 0o755],
    ["none.txt", 0o000, 0o000],
  ];
  for (const [name, permissions, expected] of table) {
    const path = join(root, "modes", name);
    await client.push(path, "x", { makeDirs: true, ...(permissions !== undefined ? { permissions } : {}) });
    const [info] = await client.listFiles(path, { itself: true });
    assert.equal(info?.permissions, expected, name);
    assert.equal((await stat(path)).mode & 0o777, expected, name);
  }
});

test("listFiles describes entries, filters by pattern, and describes a directory itself", async () => {
  const dir = join(root, "list");
  await client.push(join(dir, "a.txt"), "aaa", { makeDirs: true });
  await client.push(join(dir, "b.log"), "b", { makeDirs: true });
  await client.makeDir(join(dir, "sub"));
  const entries = await client.listFiles(dir);
  assert.deepEqual(
    entries.map((e) => [e.name, e.type, e.size]),
    [["a.txt", "file", 3], ["b.log", "file", 1], ["sub", "directory", undefined]],
  );
  assert.equal(entries[0]?.path, join(dir, "a.txt"));
  assert.equal(entries[0]?.user, "root");
  assert.equal(entries[0]?.userId, 0);
  assert.deepEqual((await client.listFiles(dir, { pattern: "*.txt" })).map((e) => e.name), ["a.txt"]);
  const [itself] = await client.listFiles(dir, { itself: true });
  assert.equal(itself?.type, "directory");
  assert.equal(itself?.path, dir);
});

test("push without makeDirs into a missing directory is a PathError", async () => {
  const path = join(root, "missing-dir", "f.txt");
  await assert.rejects(client.push(path, "x"), (error: unknown) => {
    assert.ok(error instanceof PathError);
    assert.equal(error.path, path);
    assert.equal(error.kind, "not-found");
    return true;
  });
});

test("makeDirs creates parents and ownership by name is accepted", async () => {
  const path = join(root, "deep", "er", "file.txt");
  await client.push(path, "deep", { makeDirs: true, user: "root", group: "root" });
  assert.equal(await client.pullText(path), "deep");
  assert.equal((await client.listFiles(join(root, "deep"), { itself: true }))[0]?.permissions, 0o755);
});

test("makeDir honours permissions and refuses an existing path unless makeParents", async () => {
  const dir = join(root, "made", "here");
  await client.makeDir(dir, { makeParents: true, permissions: 0o750 });
  assert.equal((await stat(dir)).mode & 0o777, 0o750);
  await assert.rejects(client.makeDir(dir), PathError);
  await client.makeDir(dir, { makeParents: true });
});

test("removePath removes files, refuses non-empty dirs unless recursive", async () => {
  const dir = join(root, "gone");
  await client.push(join(dir, "f"), "x", { makeDirs: true });
  await assert.rejects(client.removePath(dir), PathError);
  await client.removePath(join(dir, "f"));
  await client.push(join(dir, "g"), "x");
  await client.removePath(dir, { recursive: true });
  assert.deepEqual(await client.listFiles(root, { pattern: "gone" }), []);
  await client.removePath(dir, { recursive: true }); // a missing path is fine when recursive
});

test("pulling a missing file is a PathError with kind not-found", async () => {
  const path = join(root, "nope.txt");
  await assert.rejects(client.pull(path), (error: unknown) => {
    assert.ok(error instanceof PathError);
    assert.equal(error.kind, "not-found");
    assert.equal(error.path, path);
    assert.match(error.message, /nope\.txt/);
    return true;
  });
});

test("pulling a directory is a PathError", async () => {
  await assert.rejects(client.pull(root), (error: unknown) => error instanceof PathError && error.kind === "generic-file-error");
});

test("listing a missing directory is a PathError with kind not-found", async () => {
  await assert.rejects(client.listFiles(join(root, "absent")), (error: unknown) => error instanceof PathError && error.kind === "not-found");
});

test("file names with quotes, backslashes and spaces survive the multipart round trip", async () => {
  const path = join(root, 'we"ird \\name.txt');
  await client.push(path, "odd");
  assert.equal(await readFile(path, "utf8"), "odd");
  assert.equal(await client.pullText(path), "odd");
});

test("a file written outside Pebble can be pulled", async () => {
  const path = join(root, "outside.txt");
  await writeFile(path, "from outside");
  assert.equal(await client.pullText(path), "from outside");
});

test("permissions outside 0o000-0o777 are refused before any request", async () => {
  const counter = new PebbleClient({ socketPath: pebble.socketPath });
  await assert.rejects(counter.push(join(root, "x"), "x", { permissions: 0o1777 }), /permissions must be mode bits/);
  assert.equal(counter.requestCount, 0);
});
