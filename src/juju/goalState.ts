// goal-state: one call that names every endpoint with a relation and, per endpoint, the remote
// applications and units (docs/juju-contract.md §2.2). The charm uses it to find its relations without one
// relation-ids call per declared endpoint (a 12-factor charm declares ~17).
import { runHookToolJson } from "./hookTool.ts";

export interface GoalStatus {
  status: string;
  since?: string;
}

export interface GoalState {
  units: Record<string, GoalStatus>;
  /** endpoint -> { remote app or unit name -> status }. Peer relations are never listed (Juju's uniter skips them). */
  relations: Record<string, Record<string, GoalStatus>>;
}

export async function goalState(): Promise<GoalState> {
  const state = await runHookToolJson<Partial<GoalState> | null>("goal-state", []);
  return { units: state?.units ?? {}, relations: state?.relations ?? {} };
}

/** The applications (not units) on the other side of `endpoint`'s relations. */
export function remoteApps(state: GoalState, endpoint: string): string[] {
  return Object.keys(state.relations[endpoint] ?? {}).filter((name) => !name.includes("/")).sort();
}
