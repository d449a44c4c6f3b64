// The events a unit sees most, each measured on the same active unit (bench/scenario.ts). Every event runs
// the charm's one reconcile; install and pebble-ready are measured on the deployed unit, where they find
// the workload already planned, as they do on a refreshed or rescheduled unit.
import type { Relation } from "../simulator/model.ts";
import type { BenchUnit, EventFigures } from "./scenario.ts";

const CONFIG_CHANGE: [string, string] = ["development", "production"];

export async function benchEvents(unit: BenchUnit, runs: number): Promise<Record<string, EventFigures>> {
  const postgresql = relationOn(unit, "postgresql");
  const figures: Record<string, EventFigures> = {};
  figures["install"] = await unit.measure({ kind: "lifecycle", hook: "install" }, runs);
  figures["config-changed, nothing changed"] = await unit.measure({ kind: "lifecycle", hook: "config-changed" }, runs);
  // Each run flips node-env: a new NODE_ENV, so a new layer and a replan that restarts the app.
  figures["config-changed, node-env changed"] = await unit.measure({ kind: "lifecycle", hook: "config-changed" }, runs, (i) => {
    unit.edit((model) => { model.applications["example-app"]!.config["node-env"] = CONFIG_CHANGE[i % 2]!; });
  });
  unit.edit((model) => { delete model.applications["example-app"]!.config["node-env"]; });
  await unit.measure({ kind: "lifecycle", hook: "config-changed" }, 1);
  figures["pebble-ready"] = await unit.measure({ kind: "workload", hook: "pebble-ready", container: "app" }, runs);
  figures["postgresql-relation-changed"] = await unit.measure(relationChanged(postgresql, "postgresql", "postgresql-k8s", "postgresql-k8s/0"), runs);
  figures["update-status, healthy"] = await unit.measure({ kind: "lifecycle", hook: "update-status" }, runs);
  figures["update-status, app down (reads the pod)"] = await appDown(unit, () => unit.measure({ kind: "lifecycle", hook: "update-status" }, runs));
  return figures;
}

/** The app's service stopped and its container OOM-killed, as the kubelet reports it, during `during`. */
async function appDown<T>(unit: BenchUnit, during: () => Promise<T>): Promise<T> {
  const kubernetes = unit.simulation.kubernetes();
  await kubernetes.setContainerState("example-app", 0, "app", { state: "waiting", reason: "CrashLoopBackOff", restarts: 1, lastTermination: { reason: "OOMKilled", exitCode: 137 } });
  await unit.pebble.stopServices(["expressjs"]);
  try {
    const result = await during();
    const status = unit.simulation.model().units["example-app/0"]!.status;
    if (!status.message.includes("OOMKilled")) throw new Error(`update-status with the app down did not report the pod's OOM kill (${status.status}: ${status.message})`);
    return result;
  } finally {
    await kubernetes.setContainerState("example-app", 0, "app", { state: "running" });
    await unit.pebble.startServices(["expressjs"]);
    await unit.measure({ kind: "lifecycle", hook: "update-status" }, 1);
  }
}

export function relationOn(unit: BenchUnit, endpoint: string): Relation {
  const relation = Object.values(unit.simulation.model().relations).find((r) => !r.broken && r.ends.some((e) => e.app === "example-app" && e.endpoint === endpoint));
  if (!relation) throw new Error(`example-app has no ${endpoint} relation`);
  return relation;
}

/** `remoteUnit` absent: a change of the remote app's databag, which Juju delivers without JUJU_REMOTE_UNIT. */
export function relationChanged(relation: Relation, endpoint: string, remoteApp: string, remoteUnit?: string) {
  return { kind: "relation" as const, hook: "changed" as const, relationId: relation.id, endpoint, remoteApp, ...(remoteUnit ? { remoteUnit } : {}) };
}
