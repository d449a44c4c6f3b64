// The charms `juju deploy <name>` finds without a .charm file: the simulator's scripted stand-ins for
// postgresql-k8s (backed by a real local PostgreSQL) and traefik-k8s. Like the real charms, their units
// report active once started.
import type { SimEvent } from "../events.ts";
import type { Model } from "../model.ts";
import { now } from "../modelBuilder.ts";
import { ingressProvider } from "../providers/ingress.ts";
import { postgresqlProvider, type PostgresServer } from "../providers/postgresql.ts";
import { postgresMajor } from "../servers/postgres.ts";
import { JujuError } from "./errors.ts";
import type { ScriptedApp } from "../simulation.ts";

/** What `juju status` shows for a charm from Charmhub. */
export interface CharmhubCharm {
  name: string;
  revision: number;
  base: { name: string; channel: string };
}

export interface Builtin {
  charm: CharmhubCharm;
  /** The channel a deploy gets: the one asked for, if this stand-in really is what that channel holds. */
  channel(requested: string | undefined): Promise<string>;
  /** A fresh scripted app named `app`; `postgres` starts that application's own PostgreSQL server. */
  create(app: string, services: { postgres(app: string): Promise<PostgresServer> }): Promise<{ app: ScriptedApp; version: string }>;
}

export const BUILTINS: Record<string, Builtin> = {
  "postgresql-k8s": {
    charm: { name: "postgresql-k8s", revision: 495, base: { name: "ubuntu", channel: "22.04" } },
    // postgresql-k8s's track is its PostgreSQL major version; the stand-in runs Debian's, so it offers that
    // track only, and refuses another the way Juju refuses a channel Charmhub has no release in.
    async channel(requested) {
      const major = await postgresMajor();
      const [track, risk] = requested?.includes("/") ? requested.split("/") : [major, requested ?? "stable"];
      if (track === major) return `${track}/${risk}`;
      throw new JujuError(
        `selecting releases: charm or bundle not found for channel "${requested}", base "amd64/ubuntu/22.04"\n` +
        `available releases are:\n  channel "${major}/stable": available bases are: ubuntu@22.04\n` +
        `(the simulator's postgresql-k8s runs this machine's PostgreSQL ${major})`,
      );
    },
    async create(app, services) {
      const server = await services.postgres(app);
      return { app: reportsActive(postgresqlProvider(server, app)), version: server.version };
    },
  },
  "traefik-k8s": {
    charm: { name: "traefik-k8s", revision: 236, base: { name: "ubuntu", channel: "20.04" } },
    async channel(requested) {
      return requested ?? "latest/stable";
    },
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
