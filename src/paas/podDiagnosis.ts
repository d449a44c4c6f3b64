// What the workload container's status in the unit's pod says about the app (Pebble cannot see this): a
// container that is OOM-killed, crash-looping or cannot pull its image is not serving, and the unit's status
// should say why. A running container says nothing here: an old restart that has recovered is history.
import type { UnitStatus } from "./status.ts";

interface Termination { reason?: string; exitCode?: number }

/** The parts of a Kubernetes V1ContainerStatus the diagnosis reads. */
export interface ContainerStatusFacts {
  name: string;
  restartCount?: number;
  state?: { running?: object; waiting?: { reason?: string }; terminated?: Termination };
  lastState?: { terminated?: Termination };
}

const IMAGE_PULL_FAILURES = new Set(["ImagePullBackOff", "ErrImagePull", "InvalidImageName", "ErrImageNeverPull"]);

/** The unit's status when `container` is not serving, with the reason; undefined when it is (or is starting). */
export function diagnoseContainer(container: string, statuses: readonly ContainerStatusFacts[]): UnitStatus | undefined {
  const status = statuses.find((s) => s.name === container);
  if (!status?.state || status.state.running) return undefined;
  const restarts = status.restartCount ?? 0;
  const restarted = `restarted ${restarts} time${restarts === 1 ? "" : "s"}`;
  const waiting = status.state.waiting?.reason;
  if (waiting && IMAGE_PULL_FAILURES.has(waiting)) {
    return { status: "blocked", message: `${container} container cannot pull its image (${waiting}): check the image resource attached to the charm` };
  }
  const termination = status.state.terminated ?? (waiting === "CrashLoopBackOff" ? status.lastState?.terminated : undefined);
  if (!termination) return undefined;
  if (termination.reason === "OOMKilled") return { status: "blocked", message: `${container} container OOMKilled, ${restarted}: raise memory` };
  const cause = `${termination.reason ?? "Error"}${termination.exitCode !== undefined ? ` with exit code ${termination.exitCode}` : ""}`;
  const looping = waiting === "CrashLoopBackOff" ? "crash-looping (CrashLoopBackOff), last exit " : "exited, ";
  return { status: "blocked", message: `${container} container ${looping}${cause}, ${restarted}: see the app's logs` };
}
