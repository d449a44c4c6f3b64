// A provider (or a requirer that only listens) as a recorded databag set: when a relation on its endpoint
// is created it publishes the recorded app bag (leader) and one unit bag per unit, the way a real charm
// would after its own hooks. Secret URIs in the recorded bags are replaced by real Juju secrets of this
// app holding the recorded content, granted to the relation, so the charm reads them with secret-get.
// Tests drive partial and malformed data with `Simulation.change` afterwards.
import type { SimEvent } from "../events.ts";
import type { Model } from "../model.ts";
import { addSecret, grantSecret } from "../modelBuilder.ts";
import type { ScriptedApp } from "../simulation.ts";

export interface RecordedDatabags {
  /** The application name; unit bags are published by `<name>/<n>` in recorded order. */
  name: string;
  endpoint: string;
  interface: string;
  /** Our side of the relation: `provides` for an integration provider, `requires` for Prometheus or Grafana. */
  role: "provides" | "requires";
  app?: Record<string, string>;
  units?: Array<Record<string, string>>;
  /** Secret content by the URI the recorded bags name. */
  secrets?: Record<string, Record<string, string>>;
}

/** The fixture format of `tests/paas/integrations/fixtures/*.json` (docs/integrations.md): its provider side. */
export interface ProviderFixture {
  interface: string;
  remote_app: string;
  provider: { app: Record<string, string>; units: Record<string, Record<string, string>> };
  secrets?: Record<string, Record<string, string>>;
}

export function fromFixture(fixture: ProviderFixture, endpoint = "provider"): RecordedDatabags {
  return {
    name: fixture.remote_app, endpoint, interface: fixture.interface, role: "provides",
    app: fixture.provider.app, units: Object.values(fixture.provider.units), ...(fixture.secrets ? { secrets: fixture.secrets } : {}),
  };
}

export function databagsApp(recorded: RecordedDatabags): ScriptedApp {
  const units = recorded.units ?? [{}];
  return {
    name: recorded.name,
    units: units.length,
    charm: {
      name: recorded.name,
      endpoints: { [recorded.endpoint]: { role: recorded.role, interface: recorded.interface } },
      extraBindings: [], config: {}, actions: {},
    },
    handle(event: SimEvent, unit: string, model: Model) {
      if (event.kind !== "relation" || event.endpoint !== recorded.endpoint || event.hook !== "created") return;
      const relation = model.relations[String(event.relationId)];
      if (!relation || relation.broken) return;
      const index = Number(unit.slice(unit.lastIndexOf("/") + 1));
      const uris = new Map<string, string>();
      const resolve = (bag: Record<string, string>): Record<string, string> =>
        Object.fromEntries(Object.entries(bag).map(([key, value]) => [key, recorded.secrets?.[value] ? secretUri(value) : value]));
      const secretUri = (recordedUri: string): string => {
        const existing = uris.get(recordedUri);
        if (existing) return existing;
        const id = addSecret(model, { owner: { kind: "application", name: recorded.name }, content: recorded.secrets![recordedUri]! });
        grantSecret(model, id, relation.id, event.remoteApp);
        const uri = `secret://${model.uuid}/${id}`;
        uris.set(recordedUri, uri);
        return uri;
      };
      if (model.units[unit]?.leader && recorded.app) relation.appData[recorded.name] = resolve(recorded.app);
      const bag = units[index];
      if (bag && Object.keys(bag).length) relation.unitData[unit] = resolve(bag);
    },
  };
}
