// The workload containers the controller starts for units of charms that declare containers.
import type { WorkloadStarter } from "./workloads.ts";

export function defaultWorkloads(log: (line: string) => void): WorkloadStarter {
  return async (request) => {
    log(`${request.unit}: cannot start container "${request.container}"`);
    throw new Error(`cannot start workload container "${request.container}" of ${request.unit}: this checkout has no container runtime (simulator/containers)`);
  };
}
