// The simulator's event sequences (docs/juju-contract.md §4), proven with a tiny charm whose `dispatch` is a
// shell script: it records each event it gets, with the environment Juju sets, through `juju-log`, and the
// leader publishes peer data. Three units: deploy, peer data shared, leader removed, a new leader elected.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeFileSync } from "node:fs";
import { writeZip } from "../../packing/zip.ts";
import { installHookTools } from "../../simulator/hookTools/install.ts";
import { Simulation } from "../../simulator/simulation.ts";

const dir = mkdtempSync(join(tmpdir(), "simulation-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const DISPATCH = `#!/bin/sh
set -e
event="\${JUJU_DISPATCH_PATH#*/}"
juju-log -- "event=$event remote-unit=\${JUJU_REMOTE_UNIT-unset} remote-app=\${JUJU_REMOTE_APP-unset} departing=\${JUJU_DEPARTING_UNIT-unset}"
case "$event" in
  leader-elected)
    rel=$(relation-ids peers | tr -d '[]"')
    relation-set -r "$rel" --app "leader=$JUJU_UNIT_NAME"
    ;;
  peers-relation-changed)
    rel=$(relation-ids peers | tr -d '[]"')
    juju-log -- "sees-leader=$(relation-get -r "$rel" --app leader "\${JUJU_UNIT_NAME%/*}")"
    ;;
  start)
    juju-log -- "charm-dir=$JUJU_CHARM_DIR pwd=$(pwd) containers-dir=$(test -d /charm/containers && echo yes)"
    juju-log -- "env-names=$(env | cut -d= -f1 | sort | tr '\\n' ' ')"
    ;;
esac
`;

function packRecorder(): string {
  const path = join(dir, "recorder.charm");
  const entries = [
    { name: "metadata.yaml", data: Buffer.from("name: recorder\nsummary: records events\ndescription: records events\npeers:\n  peers:\n    interface: recorder_peers\n"), mode: 0o644 },
    { name: "config.yaml", data: Buffer.from("options:\n  colour:\n    type: string\n    default: blue\n"), mode: 0o644 },
    { name: "dispatch", data: Buffer.from(DISPATCH), mode: 0o755 },
  ];
  writeFileSync(path, writeZip(entries));
  return path;
}

const toolsDir = join(dir, "tools");
installHookTools(toolsDir, "source");
const simulation = new Simulation({
  dir: join(dir, "model"),
  modelName: "sim",
  toolsDir,
  containers: async () => { throw new Error("the recorder charm declares no containers"); },
});
after(() => simulation.destroy());

function events(unit: string): string[] {
  return simulation.model().units[unit]!.logs
    .map((l) => /event=(\S+)/.exec(l.message)?.[1])
    .filter((e): e is string => e !== undefined);
}

function lines(unit: string, pattern: RegExp): string[] {
  return simulation.model().units[unit]!.logs.map((l) => l.message).filter((m) => pattern.test(m));
}

// Set by the shell running dispatch, not by Juju.
const SHELL_VARIABLES = new Set(["PWD", "SHLVL", "_", "OLDPWD"]);
const JUJU_VARIABLES = new Set(["PATH", "LANG", "TERM", "CHARM_DIR", "DEBIAN_FRONTEND", "APT_LISTCHANGES_FRONTEND", "CLOUD_API_VERSION"]);

test("each unit's dispatch runs in its own charm container: Juju's paths, only Juju's variables", async () => {
  await simulation.deployCharm("inspector", packRecorder(), { units: 2 });
  for (const unit of ["inspector/0", "inspector/1"]) {
    const charmDir = `/var/lib/juju/agents/unit-${unit.replace("/", "-")}/charm`;
    assert.deepEqual(lines(unit, /charm-dir=/).map((m) => m.slice(m.indexOf("charm-dir="))), [`charm-dir=${charmDir} pwd=${charmDir} containers-dir=yes`]);
    const names = /env-names=(.*)$/.exec(lines(unit, /env-names=/)[0]!)![1]!.trim().split(" ");
    const foreign = names.filter((name) => !name.startsWith("JUJU_") && !JUJU_VARIABLES.has(name) && !SHELL_VARIABLES.has(name));
    assert.deepEqual(foreign, [], unit);
  }
  await simulation.removeApplication("inspector");
});

test("deploy with three units delivers Juju's order on every unit", async () => {
  await simulation.deployCharm("recorder", packRecorder(), { units: 3 });
  const model = simulation.model();
  assert.deepEqual(Object.keys(model.units).sort(), ["recorder/0", "recorder/1", "recorder/2"]);
  assert.equal(model.units["recorder/0"]!.leader, true);

  assert.deepEqual(events("recorder/0").slice(0, 5), ["install", "peers-relation-created", "leader-elected", "config-changed", "start"]);
  for (const unit of ["recorder/1", "recorder/2"]) {
    assert.deepEqual(events(unit).slice(0, 5), ["install", "peers-relation-created", "leader-settings-changed", "config-changed", "start"]);
  }
  // Every unit is joined by each other unit: joined, immediately followed by changed, for that unit.
  for (const unit of ["recorder/0", "recorder/1", "recorder/2"]) {
    const joins = lines(unit, /event=peers-relation-joined/).map((m) => /remote-unit=(\S+)/.exec(m)![1]);
    assert.deepEqual(joins.sort(), ["recorder/0", "recorder/1", "recorder/2"].filter((u) => u !== unit));
  }
  // relation-created carries an empty JUJU_REMOTE_UNIT, exported all the same.
  assert.match(lines("recorder/1", /event=peers-relation-created/)[0]!, /remote-unit= remote-app=recorder/);
});

test("peer app data written by the leader reaches the other units", () => {
  for (const unit of ["recorder/1", "recorder/2"]) {
    assert.ok(lines(unit, /sees-leader=recorder\/0$/).length > 0, `${unit} never saw the leader's peer data`);
  }
});

test("removing the leader elects another unit, which publishes as leader", async () => {
  await simulation.removeUnit("recorder/0");
  const model = simulation.model();
  assert.equal(model.units["recorder/0"], undefined);
  assert.equal(model.units["recorder/1"]!.leader, true);
  assert.ok(events("recorder/1").includes("leader-elected"));
  assert.ok(events("recorder/2").includes("leader-settings-changed"));
  const departed = lines("recorder/2", /event=peers-relation-departed/);
  assert.match(departed.at(-1)!, /remote-unit=recorder\/0 .*departing=recorder\/0/);
  assert.ok(lines("recorder/2", /sees-leader=recorder\/1$/).length > 0, "recorder/2 never saw the new leader's peer data");
});

test("config changes reach every unit as config-changed", async () => {
  await simulation.configure("recorder", { colour: "green" });
  for (const unit of ["recorder/1", "recorder/2"]) assert.equal(events(unit).at(-1), "config-changed");
});
