// The rock's Pebble layer, as rockcraft writes it from the extension's services.
import { stringify } from "yaml";
import type { RockcraftProject } from "./project.ts";

export type PebbleService = Record<string, string | string[] | Record<string, string>>;

export function renderLayer(project: RockcraftProject, services: Record<string, PebbleService>): string {
  return stringify({ summary: project.summary, description: project.description, services });
}
