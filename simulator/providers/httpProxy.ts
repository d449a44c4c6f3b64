// http-proxy-configurator (or squid-forward-proxy) as the simulator plays it (docs/integrations.md, "http_proxy"):
// it answers every request the requirer publishes in its app bag (`requests`, one per requirer id) with a
// ready response naming the proxy, in its own app bag (`responses`). With `credentials` the answer is
// `userpass`, its `user` a Juju secret of the provider holding them, granted to the requirer.
import { addSecret, grantSecret } from "../modelBuilder.ts";
import type { ScriptedApp } from "../simulation.ts";
import { answeringProvider } from "./answering.ts";

export interface ProxyCredentials {
  username: string;
  password: string;
}

export function httpProxyProvider(proxyUrl: string, name = "http-proxy-configurator", credentials?: ProxyCredentials): ScriptedApp {
  return answeringProvider({
    name, endpoint: "http-proxy", interface: "http_proxy", answersKey: "responses", idField: "requirer",
    answer(request, relation, event, model) {
      const ready = { http_proxy: proxyUrl, https_proxy: proxyUrl, requirer: request.requirer, status: "ready" };
      if (!credentials) return { auth: "none", ...ready };
      const user = addSecret(model, { owner: { kind: "application", name }, content: { ...credentials } });
      grantSecret(model, user, relation.id, event.remoteApp);
      return { auth: "userpass", ...ready, user: `secret://${model.uuid}/${user}` };
    },
  });
}
