// How the controller gets a unit's workload container: the app's image resource names what runs in it.
import type { WorkloadHandle } from "../simulation.ts";

export interface WorkloadRequest {
  unit: string;
  container: string;
  /** Where the container's Pebble socket goes (`<socketDir>/pebble.socket`). */
  socketDir: string;
  /** The `--resource` value given for the container's image resource at deploy. */
  image: string;
}

/** `address`: the unit's own IP when its container has its own network; `juju status` shows it. */
export type WorkloadStarter = (request: WorkloadRequest) => Promise<WorkloadHandle & { address?: string }>;
