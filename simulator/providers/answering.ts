// A scripted provider whose whole protocol is: the requirer publishes a JSON list `requests` in its app
// bag, and the provider's leader answers in its own app bag. http-proxy and valkey work this way; each
// says how it answers.
import type { SimEvent } from "../events.ts";
import type { CharmMeta, Model, Relation } from "../model.ts";
import type { ScriptedApp } from "../simulation.ts";

type RelationEvent = Extract<SimEvent, { kind: "relation" }>;

export interface AnsweringProvider {
  name: string;
  endpoint: string;
  interface: string;
  /** The keys to set in the provider's app bag, given the requirer's parsed requests. */
  answer(requests: unknown[], relation: Relation, event: RelationEvent, model: Model): Record<string, string>;
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
      let requests: unknown;
      try {
        requests = JSON.parse(relation.appData[event.remoteApp]?.requests ?? "[]");
      } catch {
        return; // malformed requests get no answer, as from the real providers
      }
      if (!Array.isArray(requests)) return;
      relation.appData[provider.name] = { ...relation.appData[provider.name], ...provider.answer(requests, relation, event, model) };
    },
  };
}

/**
 * The answers the provider already published under `key` in its own app bag, by `idField`, so a request
 * answered once keeps its answer (and its secrets); none when the bag holds no JSON list.
 */
export function publishedAnswers(relation: Relation, provider: string, key: string, idField: string): Map<string, Record<string, unknown>> {
  const answers = new Map<string, Record<string, unknown>>();
  let published: unknown;
  try {
    published = JSON.parse(relation.appData[provider]?.[key] ?? "[]");
  } catch {
    return answers;
  }
  if (!Array.isArray(published)) return answers;
  for (const answer of published) {
    if (answer && typeof answer === "object" && typeof answer[idField] === "string") answers.set(answer[idField], answer as Record<string, unknown>);
  }
  return answers;
}
