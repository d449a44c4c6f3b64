// Database migrations (docs/paas-charm-contract.md §5): which command, whether it runs, how, and the failure message.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { migrationCommand, migrationExec, migrationFailureMessage, type MigrationStatus } from "../../src/paas/index.ts";

describe("migrationCommand: manage.py > migrate.py > migrate.sh > migrate", () => {
  const cases: Array<[string[], string[] | undefined]> = [
    [[], undefined],
    [["app.py", "static"], undefined],
    [["migrate"], ["/app/migrate"]],
    [["migrate", "migrate.sh"], ["bash", "-eo", "pipefail", "migrate.sh"]],
    [["migrate.sh", "migrate.py", "migrate"], ["python3", "migrate.py"]],
    [["migrate.sh", "manage.py", "migrate.py"], ["python3", "manage.py", "migrate"]],
  ];
  for (const [files, expected] of cases) it(JSON.stringify(files), () => assert.deepEqual(migrationCommand("/app", files), expected));
});

describe("migrationExec", () => {
  const env = { FLASK_SECRET_KEY: "test" };
  const statuses: Array<[MigrationStatus, boolean]> = [["PENDING", true], ["FAILED", true], ["COMPLETED", false]];
  for (const [status, runs] of statuses) {
    it(`${status}: ${runs ? "runs" : "does not run"}`, () => {
      const exec = migrationExec("/flask/app", ["migrate.sh"], status, env);
      assert.deepEqual(exec, runs ? {
        command: ["bash", "-eo", "pipefail", "migrate.sh"], workingDir: "/flask/app", user: "_daemon_", group: "_daemon_", environment: env,
        failureMessage: "database migration command bash -eo pipefail migrate.sh failed, will retry in next update-status",
      } : undefined);
    });
  }

  it("nothing to run without a migration file", () => assert.equal(migrationExec("/app", [], "PENDING", env), undefined));
});

describe("migrationFailureMessage", () => {
  const cases: Array<[string[], string]> = [
    [["python3", "manage.py", "migrate"], "database migration command python3 manage.py migrate failed, will retry in next update-status"],
    [["/app/migrate"], "database migration command /app/migrate failed, will retry in next update-status"],
    [["/srv/my app/migrate"], "database migration command '/srv/my app/migrate' failed, will retry in next update-status"],
  ];
  for (const [command, expected] of cases) it(command.join(" "), () => assert.equal(migrationFailureMessage(command), expected));
});
