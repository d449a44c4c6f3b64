// How one event's cost grows with the deployment, on the bench unit (bench/scenario.ts): peer units in the
// app, applications related to it, and the size of a relation databag. The model is grown by editing it,
// as Juju's state would hold it; only example-app/0 runs. An event should read what it needs and no more:
// update-status reads no unit, a peer relation-changed reads the app databag, and config-changed reads
// each related application once.
import { addApplication, addRelation, addUnit, enterScope } from "../simulator/modelBuilder.ts";
import type { CharmMeta } from "../simulator/model.ts";
import { relationChanged, relationOn } from "./events.ts";
import type { BenchUnit, EventFigures } from "./scenario.ts";

export const PEER_UNITS = [1, 10, 100];
export const RELATED_APPS = [1, 5, 20];
export const DATABAG_KIB = [0, 200];

export interface GrowthPoint {
  series: "peer units" | "related apps" | "databag KiB";
  size: number;
  event: string;
  figures: EventFigures;
}

const PROMETHEUS: Omit<CharmMeta, "name"> = {
  endpoints: { "metrics-endpoint": { role: "requires", interface: "prometheus_scrape" } }, extraBindings: [], config: {}, actions: {},
};

export async function benchGrowth(unit: BenchUnit, runs: number): Promise<GrowthPoint[]> {
  const points: GrowthPoint[] = [];
  const peer = relationOn(unit, "secret-storage");
  for (const size of PEER_UNITS) {
    unit.edit((model) => {
      while (model.relations[String(peer.id)]!.scope.length < size) enterScope(model, peer.id, addUnit(model, "example-app"));
    });
    points.push({ series: "peer units", size, event: "update-status", figures: await unit.measure({ kind: "lifecycle", hook: "update-status" }, runs) });
    points.push({ series: "peer units", size, event: "secret-storage-relation-changed", figures: await unit.measure(relationChanged(peer, "secret-storage", "example-app"), runs) });
  }
  unit.edit((model) => {
    const others = Object.keys(model.units).filter((u) => u.startsWith("example-app/") && u !== "example-app/0");
    const relation = model.relations[String(peer.id)]!;
    relation.scope = relation.scope.filter((u) => !others.includes(u));
    for (const other of others) { delete model.units[other]; delete relation.unitData[other]; }
  });

  // Prometheus apps scraping the app, besides PostgreSQL and ingress; the leader publishes its scrape job to each.
  let related = 0;
  for (const size of RELATED_APPS) {
    unit.edit((model) => {
      for (; related < size; related++) {
        const app = `prometheus-${related}`;
        addApplication(model, app, { ...PROMETHEUS, name: app });
        const id = addRelation(model, { app: "example-app", endpoint: "metrics-endpoint" }, { app, endpoint: "metrics-endpoint" });
        enterScope(model, id, "example-app/0");
        enterScope(model, id, addUnit(model, app, { leader: true }));
      }
    });
    // The first event after relating publishes the scrape jobs; the measured ones find them published.
    await unit.measure({ kind: "lifecycle", hook: "config-changed" }, 1);
    points.push({ series: "related apps", size, event: "config-changed", figures: await unit.measure({ kind: "lifecycle", hook: "config-changed" }, runs) });
  }
  unit.edit((model) => {
    for (const [id, relation] of Object.entries(model.relations)) if (relation.ends.some((e) => e.app.startsWith("prometheus-"))) delete model.relations[id];
    for (const name of Object.keys(model.units)) if (name.startsWith("prometheus-")) delete model.units[name];
    for (const name of Object.keys(model.applications)) if (name.startsWith("prometheus-")) delete model.applications[name];
  });

  const postgresql = relationOn(unit, "postgresql");
  for (const size of DATABAG_KIB) {
    unit.edit((model) => {
      const data = model.relations[String(postgresql.id)]!.appData["postgresql-k8s"]!;
      if (size) data["bench-padding"] = "x".repeat(size * 1024);
      else delete data["bench-padding"];
    });
    points.push({ series: "databag KiB", size, event: "postgresql-relation-changed", figures: await unit.measure(relationChanged(postgresql, "postgresql", "postgresql-k8s"), runs) });
  }
  return points;
}
