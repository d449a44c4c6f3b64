// The charms `juju deploy <name>` finds without a .charm file: the simulator's scripted stand-ins for
// postgresql-k8s (backed by a real local PostgreSQL) and traefik-k8s. Like the real charms, their units
// report active once started.
import type { SimEvent } from "../events.ts";
import type { Model } from "../model.ts";
import { now } from "../modelBuilder.ts";
import { ingressProvider } from "../providers/ingress.ts";
import { postgresqlProvider, type PostgresServer } from "../providers/postgresql.ts";
import type { ScriptedApp } from "../simulation.ts";

/** What `juju status` shows for a charm from Charmhub. */
export interface CharmhubCharm {
  name: string;
  revision: number;
  channel: string;
  base: { name: string; channel: string };
}

export interface Builtin {
  charm: CharmhubCharm;
  /** A fresh scripted app named `app`; `postgres` starts that application's own PostgreSQL server. */
  create(app: string, services: { postgres(app: string): Promise<PostgresServer> }): Promise<{ app: ScriptedApp; version: string }>;
}

export const BUILTINS: Record<string, Builtin> = {
  "postgresql-k8s": {
    charm: { name: "postgresql-k8s", revision: 495, channel: "14/stable", base: { name: "ubuntu", channel: "22.04" } },
    async create(app, services) {
      const server = await services.postgres(app);
      return { app: reportsActive(postgresqlProvider(server, app)), version: server.version };
    },
  },
  "traefik-k8s": {
    charm: { name: "traefik-k8s", revision: 236, channel: "latest/stable", base: { name: "ubuntu", channel: "20.04" } },
    async create(app) {
      return { app: reportsActive(ingressProvider({ name: app })), version: "2.11.0" };
    },
  },
};

/** The unit sets `active` on start, as the real charm's units do once their workload runs. */
function reportsActive(scripted: ScriptedApp): ScriptedApp {
  return {
    ...scripted,
    async handle(event: SimEvent, unit: string, model: Model) {
      if (event.kind === "lifecycle" && event.hook === "start") {
        const record = { status: "active" as const, message: "", since: now() };
        const target = model.units[unit];
        if (target) {
          target.status = record;
          target.statusHistory.push(record);
        }
      }
      await scripted.handle(event, unit, model);
    },
  };
}
