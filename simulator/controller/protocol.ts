// The CLI ↔ controller protocol: one JSON request per HTTP POST over the controller's Unix socket.
// The CLI parses juju's argument forms and formats the output; the controller does the work and
// answers with data (or with the text of a juju `ERROR ...` line).
import type { ActionRun } from "../model.ts";

/** What the controller answers for every operation. */
export type Reply<T = unknown> = { ok: true; result: T } | { ok: false; error: string };

export interface ModelSummary {
  name: string;
  uuid: string;
  createdAt: string;
  applications: number;
  units: number;
}

/** One row of `juju status --relations`: `app:endpoint` on each side, as Juju's tabular status names them. */
export interface IntegrationRow {
  provider: string;
  requirer: string;
  interface: string;
  type: "regular" | "peer";
}

/** An OCI image resource of an application, as `juju resources` lists it. */
export interface ResourceRow {
  name: string;
  /** What `--resource` gave: an image reference or a rockcraft project. */
  value: string;
  revision: number;
}

export interface TaskOutput {
  id: string;
  unit: string;
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Each operation's arguments and result. `model` is the short model name. */
export interface Operations {
  ping: { args: Record<string, never>; result: { pid: number } };
  stop: { args: Record<string, never>; result: Record<string, never> };
  "add-model": { args: { name: string; config: Record<string, string> }; result: ModelSummary };
  "destroy-model": { args: { name: string }; result: { controllerStopping: boolean } };
  models: { args: Record<string, never>; result: ModelSummary[] };
  "model-config": { args: { model: string; set: Record<string, string>; reset: string[] }; result: Record<string, { value: string; source: "default" | "model" }> };
  deploy: {
    args: { model: string; charm: string; app?: string; units: number; config: Record<string, string>; trust: boolean; resources: Record<string, string>; channel?: string };
    /** `base` as juju prints it: `ubuntu@24.04/stable`; `channel` for a Charmhub charm. */
    result: { app: string; charm: string; revision: number; origin: "local" | "charmhub"; base: string; channel?: string };
  };
  "config-get": { args: { model: string; app: string }; result: unknown };
  "config-set": { args: { model: string; app: string; set: Record<string, string>; reset: string[] }; result: Record<string, never> };
  integrate: { args: { model: string; a: string; b: string }; result: { id: number } };
  "remove-relation": { args: { model: string; a: string; b?: string }; result: Record<string, never> };
  "add-unit": { args: { model: string; app: string; count: number }; result: { units: string[] } };
  /** Kubernetes models scale down: the highest-numbered units go; `scale` is how many remain. */
  "remove-unit": { args: { model: string; app: string; count: number }; result: { scale: number } };
  /** The units each removed application had, which juju lists as it removes them. */
  "remove-application": { args: { model: string; apps: string[] }; result: { units: Record<string, string[]> } };
  trust: { args: { model: string; app: string; trusted: boolean }; result: Record<string, never> };
  run: { args: { model: string; unit: string; action: string; params: Record<string, unknown> }; result: ActionRun };
  status: { args: { model: string }; result: unknown };
  /** The relations `juju status --relations` lists: Juju keeps them out of the JSON and YAML status. */
  integrations: { args: { model: string }; result: IntegrationRow[] };
  "show-unit": { args: { model: string; unit: string }; result: unknown };
  "show-model": { args: { model: string }; result: unknown };
  "debug-log": { args: { model: string; limit: number; include: string[]; level?: string }; result: { lines: string[] } };
  "add-secret": { args: { model: string; name: string; content: Record<string, string>; info?: string }; result: { uri: string } };
  "grant-secret": { args: { model: string; secret: string; apps: string[] }; result: Record<string, never> };
  secrets: { args: { model: string; reveal: boolean; secret?: string }; result: unknown };
  "update-secret": { args: { model: string; secret: string; content: Record<string, string>; info?: string; name?: string }; result: Record<string, never> };
  "remove-secret": { args: { model: string; secret: string; revision?: number }; result: Record<string, never> };
  /** `juju refresh`: a new local charm (`path`) and/or new image resources. */
  refresh: {
    args: { model: string; app: string; path?: string; resources: Record<string, string>; config: Record<string, string>; trust: boolean };
    result: { charm: string; revision: number; origin: "local" | "charmhub"; charmChanged: boolean };
  };
  "show-task": { args: { model: string; id: string }; result: ActionRun };
  "show-application": { args: { model: string; app: string }; result: unknown };
  "scale-application": { args: { model: string; app: string; scale: number }; result: { scale: number } };
  expose: { args: { model: string; app: string; exposed: boolean }; result: Record<string, never> };
  resources: { args: { model: string; app: string }; result: ResourceRow[] };
  /** One file into (`data` set, base64) or out of (result `data`) a unit's charm container or a workload container. */
  scp: { args: { model: string; unit: string; container?: string; path: string; data?: string }; result: { data?: string } };
  exec: { args: { model: string; unit: string; command: string[] }; result: TaskOutput };
  ssh: { args: { model: string; unit: string; container?: string; command: string[] }; result: TaskOutput };
}

export type OperationName = keyof Operations;
export interface Request<K extends OperationName = OperationName> { op: K; args: Operations[K]["args"] }
