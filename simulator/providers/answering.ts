// A scripted provider whose whole protocol is: the requirer publishes a JSON list `requests` in its app
// bag, one request per id, and the provider's leader answers each in a JSON list in its own app bag.
// An answered request keeps its answer (and the secrets in it). http-proxy and valkey work this way; each
// says where its answers go and how it answers a new request.
import type { SimEvent } from "../events.ts";
import type { CharmMeta, Model, Relation } from "../model.ts";
import type { ScriptedApp } from "../simulation.ts";

type RelationEvent = Extract<SimEvent, { kind: "relation" }>;

export interface AnsweringProvider {
  name: string;
  endpoint: string;
  interface: string;
  /** The provider's app bag key holding its answers (`responses`, `requests`). */
  answersKey: string;
  /** The field naming a request, copied into its answer (`requirer`, `request-id`). */
  idField: string;
  /** Keys the provider's app bag holds beside the answers. */
  extra?: Record<string, string>;
  /** The answer to a request not answered before. */
  answer(request: Record<string, unknown>, relation: Relation, event: RelationEvent, model: Model): Record<string, unknown>;
}

export function answeringProvider(provider: AnsweringProvider): ScriptedApp {
  const charm: CharmMeta = {
    name: provider.name, endpoints: { [provider.endpoint]: { role: "provides", interface: provider.interface } },
    extraBindings: [], config: {}, actions: {},
  };
  return {
    name: provider.name,
    charm,
    handle(event: SimEvent, unit: string, model: Model) {
      if (event.kind !== "relation" || event.endpoint !== provider.endpoint || event.hook !== "changed") return;
      if (!model.units[unit]?.leader) return;
      const relation = model.relations[String(event.relationId)];
      if (!relation || relation.broken) return;
      // Malformed requests get no answer, as from the real providers.
      const requests = jsonList(relation.appData[event.remoteApp]?.requests);
      if (!requests) return;
      const answered = new Map(byId(jsonList(relation.appData[provider.name]?.[provider.answersKey]) ?? [], provider.idField));
      const answers = byId(requests, provider.idField).map(([id, request]) => answered.get(id) ?? provider.answer(request, relation, event, model));
      relation.appData[provider.name] = { ...relation.appData[provider.name], ...provider.extra, [provider.answersKey]: JSON.stringify(answers) };
    },
  };
}

function jsonList(text: string | undefined): unknown[] | undefined {
  try {
    const value: unknown = JSON.parse(text ?? "[]");
    return Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The entries that name themselves with a string `idField`, with that id. */
function byId(entries: unknown[], idField: string): Array<[string, Record<string, unknown>]> {
  return entries
    .filter((entry): entry is Record<string, unknown> => typeof entry === "object" && entry !== null && typeof (entry as Record<string, unknown>)[idField] === "string")
    .map((entry) => [entry[idField] as string, entry]);
}
