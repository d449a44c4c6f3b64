// A unit's charm container, as Juju's sidecar pod gives it: `dispatch` runs in a mount namespace of its own
// where the unit's charm is at /var/lib/juju/agents/unit-<app>-<n>/charm (JUJU_CHARM_DIR), each workload
// container's Pebble socket at /charm/containers/<container>/pebble.socket, and, when the model has a
// Kubernetes API, the app's service account at /var/run/secrets/kubernetes.io/serviceaccount. A charm
// finds everything where Juju puts it, with no variable beyond Juju's own.
//
// The namespace is made per run with util-linux's unshare (root): tmpfs over /charm, /var/lib/juju and
// /run/secrets hides whatever the host keeps there, and bind mounts bring the unit's own directories in.
// The host needs only those three directories to exist as mount points (created empty if missing).
import { mkdirSync } from "node:fs";
import { posix } from "node:path";

export const POD_CONTAINERS_DIR = "/charm/containers";
export const POD_SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";
const MOUNT_POINTS = ["/charm", "/var/lib/juju", "/run/secrets"];

/** Where Juju keeps a unit's charm in its charm container (`/var/lib/juju/agents/unit-web-0/charm`). */
export function podCharmDir(unit: string): string {
  return posix.join("/var/lib/juju/agents", `unit-${unit.replace("/", "-")}`, "charm");
}

export interface CharmContainer {
  unit: string;
  /** Host directory of the unit's unpacked charm. */
  charmDir: string;
  /** Host directory holding `<container>/pebble.socket` per workload container. */
  containersDir: string;
  /** Host directory with the service account's token, ca.crt and namespace, when the model has a Kubernetes API. */
  serviceAccountDir?: string;
}

// $1 host containers dir, $2 host charm dir, $3 the pod's charm dir, $4 host service-account dir or "".
const SETUP = [
  "set -e",
  "mount -t tmpfs -o mode=0755 charm /charm",
  `mkdir ${POD_CONTAINERS_DIR}`,
  `mount --bind "$1" ${POD_CONTAINERS_DIR}`,
  "mount -t tmpfs -o mode=0755 juju /var/lib/juju",
  'mkdir -p "$3"',
  'mount --bind "$2" "$3"',
  'if [ -n "$4" ]; then',
  "  mount -t tmpfs -o mode=0755 secrets /run/secrets",
  "  mkdir -p /run/secrets/kubernetes.io/serviceaccount",
  '  mount --bind -o ro "$4" /run/secrets/kubernetes.io/serviceaccount',
  "fi",
  'cd "$3"',
  "shift 4",
  'exec "$@"',
].join("\n");

let mountPointsReady = false;

/** The argv that runs `command` (with its arguments) inside the unit's charm container, in its charm dir. */
export function inCharmContainer(container: CharmContainer, command: readonly string[]): string[] {
  if (!mountPointsReady) {
    for (const dir of MOUNT_POINTS) mkdirSync(dir, { recursive: true });
    mountPointsReady = true;
  }
  return [
    "unshare", "--mount", "--propagation", "private", "--", "/bin/sh", "-c", SETUP, "charm-container",
    container.containersDir, container.charmDir, podCharmDir(container.unit), container.serviceAccountDir ?? "",
    ...command,
  ];
}
