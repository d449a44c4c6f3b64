// http-proxy-configurator as the simulator plays it (interfaces.md, http_proxy): it answers every request
// the requirer publishes in its app bag (`requests`, one per requirer id) with a ready response naming the
// proxy, in its own app bag (`responses`).
import type { SimEvent } from "../events.ts";
import type { CharmMeta, Model } from "../model.ts";
import type { ScriptedApp } from "../simulation.ts";

export function httpProxyProvider(proxyUrl: string, name = "http-proxy-configurator"): ScriptedApp {
  const charm: CharmMeta = {
    name, endpoints: { "http-proxy": { role: "provides", interface: "http_proxy" } }, extraBindings: [], config: {}, actions: {},
  };
  return {
    name,
    charm,
    handle(event: SimEvent, unit: string, model: Model) {
      if (event.kind !== "relation" || event.endpoint !== "http-proxy" || event.hook !== "changed") return;
      if (!model.units[unit]?.leader) return;
      const relation = model.relations[String(event.relationId)];
      if (!relation || relation.broken) return;
      let requests: unknown;
      try {
        requests = JSON.parse(relation.appData[event.remoteApp]?.requests ?? "[]");
      } catch {
        return; // a requirer publishing malformed requests gets no answer, as from the real provider
      }
      if (!Array.isArray(requests)) return;
      const responses = requests
        .filter((request): request is { requirer: string } => typeof request?.requirer === "string")
        .map((request) => ({ auth: "none", http_proxy: proxyUrl, https_proxy: proxyUrl, requirer: request.requirer, status: "ready" }));
      relation.appData[name] = { ...relation.appData[name], responses: JSON.stringify(responses) };
    },
  };
}
