// http-proxy-configurator as the simulator plays it (interfaces.md, http_proxy): it answers every request
// the requirer publishes in its app bag (`requests`, one per requirer id) with a ready response naming the
// proxy, in its own app bag (`responses`).
import type { ScriptedApp } from "../simulation.ts";
import { answeringProvider } from "./answering.ts";

export function httpProxyProvider(proxyUrl: string, name = "http-proxy-configurator"): ScriptedApp {
  return answeringProvider({
    name, endpoint: "http-proxy", interface: "http_proxy",
    answer(requests) {
      const responses = requests
        .filter((request): request is { requirer: string } => typeof (request as { requirer?: unknown })?.requirer === "string")
        .map((request) => ({ auth: "none", http_proxy: proxyUrl, https_proxy: proxyUrl, requirer: request.requirer, status: "ready" }));
      return { responses: JSON.stringify(responses) };
    },
  });
}
