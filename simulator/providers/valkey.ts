// valkey as the simulator plays it (docs/integrations.md, "valkey_client (data_interfaces v1)"): it answers
// each request the requirer publishes with the same request-id and salt, endpoints, and the credentials in
// a `secret-user` Juju secret granted to the requirer (`secret-tls` says TLS is off).
import { randomBytes } from "node:crypto";
import { addSecret, grantSecret } from "../modelBuilder.ts";
import type { ScriptedApp } from "../simulation.ts";
import { answeringProvider } from "./answering.ts";

export interface ValkeyEndpoints {
  endpoints: string;
  readOnlyEndpoints: string;
  version: string;
}

export function valkeyProvider(server: ValkeyEndpoints, name = "valkey"): ScriptedApp {
  return answeringProvider({
    name, endpoint: "valkey-client", interface: "valkey_client", answersKey: "requests", idField: "request-id", extra: { version: "v1" },
    answer(request, relation, event, model) {
      const id = request["request-id"] as string;
      const owner = { kind: "application" as const, name };
      const user = addSecret(model, { owner, content: { username: `relation-${relation.id}-${id}`, password: randomBytes(12).toString("base64url") } });
      const tls = addSecret(model, { owner, content: { tls: "false" } });
      for (const secret of [user, tls]) grantSecret(model, secret, relation.id, event.remoteApp);
      return {
        resource: request.resource, "request-id": id, salt: request.salt,
        endpoints: server.endpoints, "read-only-endpoints": server.readOnlyEndpoints,
        "secret-user": `secret://${model.uuid}/${user}`, "secret-tls": `secret://${model.uuid}/${tls}`,
        "secret-extra": null, "secret-entity": null, version: server.version, mode: "primary",
      };
    },
  });
}
