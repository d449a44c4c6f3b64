// The simulator's built-in postgresql-k8s as Charmhub's is: each application is its own database server,
// so two of them hand their requirers separate servers, databases and users.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { jujuCli } from "../support/jujuCli.ts";
import { packGreeter } from "./cliCharm.ts";

const dir = mkdtempSync(join(tmpdir(), "juju-builtins-"));
const home = join(dir, "home");
packGreeter(dir);
const cli = jujuCli(home, dir, { JUJU_MODEL: "pg" });
const { ok } = cli;
after(() => {
  cli.kill();
  rmSync(dir, { recursive: true, force: true });
});

/** The provider's app databag as the requirer's unit sees it. */
function providerData(unit: string): Record<string, string> {
  const shown = parseYaml(ok("show-unit", unit)) as Record<string, { "relation-info": Array<{ endpoint: string; "application-data": Record<string, string> }> }>;
  return shown[unit]!["relation-info"].find((r) => r.endpoint === "database")!["application-data"];
}

test("two postgresql-k8s applications are two servers: separate endpoints, databases and users", () => {
  ok("add-model", "pg");
  ok("deploy", "./greeter.charm", "first");
  ok("deploy", "./greeter.charm", "second");
  ok("deploy", "postgresql-k8s", "pg-a");
  ok("deploy", "postgresql-k8s", "pg-b");
  ok("integrate", "first", "pg-a");
  ok("integrate", "second", "pg-b");
  const [a, b] = [providerData("first/0"), providerData("second/0")];
  assert.ok(a.endpoints && b.endpoints, "both providers published endpoints");
  assert.notEqual(a.endpoints, b.endpoints);
  assert.notEqual(a["secret-user"], b["secret-user"]);
  ok("remove-application", "pg-b");
});
