// traefik-k8s as the simulator plays it: a scripted provider of `ingress` (v2). When the requirer's leader
// has published its app data it answers with `ingress = {"url": ...}` (docs/integrations.md, "ingress (v2)"), the URL
// under which traefik would route `/<model>-<app>` to the app.
import type { SimEvent } from "../events.ts";
import type { CharmMeta, Model } from "../model.ts";
import type { ScriptedApp } from "../simulation.ts";

export const traefikCharm: CharmMeta = {
  name: "traefik-k8s",
  endpoints: { ingress: { role: "provides", interface: "ingress" } },
  extraBindings: [],
  config: {},
  actions: {},
};

export function ingressProvider(options: { name?: string; baseUrl?: string } = {}): ScriptedApp {
  const name = options.name ?? "traefik-k8s";
  const baseUrl = options.baseUrl ?? "http://ingress.sim.local";
  return {
    name,
    charm: { ...traefikCharm, name },
    handle(event: SimEvent, unit: string, model: Model) {
      if (event.kind !== "relation" || event.endpoint !== "ingress" || event.hook !== "changed") return;
      if (!model.units[unit]?.leader) return;
      const relation = model.relations[String(event.relationId)];
      if (!relation || relation.broken) return;
      const request = relation.appData[event.remoteApp] ?? {};
      const app = decode(request.name);
      const modelName = decode(request.model);
      const url = app && modelName ? JSON.stringify({ url: `${baseUrl}/${modelName}-${app}` }) : undefined;
      const ours = relation.appData[name] ?? {};
      if (url === undefined) delete ours.ingress;
      else ours.ingress = url;
      relation.appData[name] = ours;
    },
  };
}

/** The requirer's values are JSON-encoded strings; anything else means the request is not usable yet. */
function decode(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(value);
    return typeof parsed === "string" && parsed ? parsed : undefined;
  } catch {
    return undefined;
  }
}
