// What the partner tests share: a simulator controller of their own with one model, the partner charm
// packed as the integration suite packs it, waiting for the model, and the relation data a unit sees.
import { after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { jujuCli, type JujuCli } from "../support/jujuCli.ts";
import { repoRoot } from "../support/paths.ts";

export interface UnitStatus { "workload-status": { current: string; message?: string }; address?: string }
export interface Status { applications: Record<string, { version?: string; units?: Record<string, UnitStatus> }> }

export interface PartnerModel {
  dir: string;
  cli: JujuCli;
  ok: JujuCli["ok"];
  /** Packs tests/partners/<partner>/charm with the partners' lib, as the integration suite does. */
  pack(partner: string): string;
  /** Polls `juju status` until `done`, for at most 4 minutes. */
  settle(done: (status: Status) => boolean): Promise<Status>;
  /** The application databag the other side of `unit`'s relation on `endpoint` published. */
  remoteAppData(unit: string, endpoint: string): Record<string, string>;
}

/** A controller (stopped after the file's tests) with model `model`; short names keep Pebble socket paths within 108 bytes. */
export function partnerModel(model: string): PartnerModel {
  const dir = mkdtempSync(join(tmpdir(), `${model}-`));
  const cli = jujuCli(join(dir, "home"), dir, { JUJU_MODEL: model });
  after(() => {
    cli.kill();
    rmSync(dir, { recursive: true, force: true });
  });
  const partners = join(repoRoot, "tests", "partners");
  return {
    dir,
    cli,
    ok: cli.ok,
    pack(partner) {
      const charm = join(dir, `${partner}.charm`);
      execFileSync(join(repoRoot, ".cache", "venv", "bin", "python"), [join(partners, "pack.py"), join(partners, partner, "charm"), charm, join(partners, "lib")], { stdio: ["ignore", "ignore", "inherit"] });
      return charm;
    },
    async settle(done) {
      let status: Status = { applications: {} };
      for (const deadline = Date.now() + 240_000; Date.now() < deadline;) {
        status = cli.status(model) as Status;
        if (done(status)) return status;
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
      assert.fail(`the model did not settle: ${JSON.stringify(status)}`);
    },
    remoteAppData(unit, endpoint) {
      const info = JSON.parse(cli.ok("show-unit", unit, "--format", "json"))[unit] as { "relation-info": Array<{ endpoint: string; "application-data": Record<string, string> }> };
      return info["relation-info"].find((r) => r.endpoint === endpoint)?.["application-data"] ?? {};
    },
  };
}

export const unitsOf = (status: Status, app: string): UnitStatus[] => Object.values(status.applications[app]?.units ?? {});
