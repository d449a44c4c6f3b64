// The shell script that turns a fresh mount namespace into a workload container and execs Pebble.
//
// The container's root is an overlay: the image's root filesystem (baseRootfs.ts) read-only below, a
// private tmpfs above, so whatever the container writes (its /etc/passwd, mount points such as /flask)
// stays in the container and vanishes with it. Nothing of the host's filesystem is in it but /dev and the
// rock's own files; /proc, /sys, /dev/shm and /tmp are fresh. After pivot_root the host's tree stays
// reachable at /.oldroot only until the rock's mounts are made from it, so container paths (and the
// symlinks on them, /usr/bin/python3 -> python3.11) resolve inside the container, as in a real image.
import type { Rock } from "../rocks/types.ts";

export interface ResolvedMount {
  /** Absolute, symlink-free host path. */
  hostPath: string;
  containerPath: string;
  readOnly: boolean;
  kind: "file" | "directory";
}

export interface InitPlan {
  /** Host dir of the image's root filesystem: the overlay's read-only lower layer. */
  rootfs: string;
  /** Host dir where the overlay is assembled (a mount point only inside the namespace). */
  stageDir: string;
  hostname: string;
  /** The unit's address, for /etc/hosts. */
  address: string;
  /** Host dir that becomes /charm/container. */
  socketDir: string;
  /** Host path of the pebble binary, mounted at /charm/bin/pebble. */
  pebbleBin: string;
  /** Host path of the rock's layer file, copied into /var/lib/pebble/default/layers/<layerName>. */
  layerFile: string;
  layerName: string;
  mounts: ResolvedMount[];
  emptyDirs: Array<{ containerPath: string; owner?: string }>;
  users: Rock["users"];
}

/** Port of Pebble's open HTTP endpoints (health), the first one Juju assigns. */
export const PEBBLE_HTTP_PORT = 38813;
/** The rock's PATH (rockcraft's default), which services and exec inherit from Pebble. */
export const ROCK_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
const OLD_ROOT = "/.oldroot";
const KUBELET_HOSTS = [
  "# Kubernetes-managed hosts file.", "127.0.0.1\tlocalhost", "::1\tlocalhost ip6-localhost ip6-loopback",
  "fe00::0\tip6-localnet", "fe00::0\tip6-mcastprefix", "fe00::1\tip6-allnodes", "fe00::2\tip6-allrouters",
];

export function renderInitScript(plan: InitPlan): string {
  const lines = [
    "set -eu",
    // Every step names itself so a failure says which part of the set-up broke.
    `step() { what=$1; shift; "$@" || { echo "workload container init: cannot $what (\`$*\` failed)" >&2; exit 1; }; }`,
    `stage=${q(plan.stageDir)}`,
    `image=${q(plan.rootfs)}`,
    `step "create the staging dir" mkdir -p "$stage"`,
    `step "mount the staging tmpfs" mount -t tmpfs -o mode=0755 psim-stage "$stage"`,
    `step "create the overlay dirs" mkdir "$stage/upper" "$stage/work" "$stage/root"`,
    `step "mount the overlay root (is overlayfs available? modprobe overlay)" mount -t overlay psim-root -o "lowerdir=$image,upperdir=$stage/upper,workdir=$stage/work" "$stage/root"`,
    `step "bind /dev" mount --rbind /dev "$stage/root/dev"`,
    `step "mount a private /dev/shm" mount -t tmpfs -o mode=1777,nosuid,nodev psim-shm "$stage/root/dev/shm"`,
    `step "mount /proc" mount -t proc proc "$stage/root/proc"`,
    `step "mount /sys" mount -t sysfs sysfs "$stage/root/sys"`,
    `step "create ${OLD_ROOT}" mkdir -p "$stage/root${OLD_ROOT}"`,
    `cd "$stage/root"`,
    `step "pivot into the overlay root" pivot_root . .${OLD_ROOT}`,
    "cd /",
    `step "mount a private /tmp" mount -t tmpfs -o mode=1777,nosuid,nodev psim-tmp /tmp`,
    ...userLines(plan.users),
    `step "set the hostname" sh -c ${q(`echo ${q(plan.hostname)} > /proc/sys/kernel/hostname`)}`,
    // The kubelet writes every pod's /etc/hosts: localhost, then the pod's own address and name.
    `printf '%s\\n' ${KUBELET_HOSTS.map(q).join(" ")} ${q(`${plan.address}\t${plan.hostname}`)} > /etc/hosts`,
    ...byDepth(plan.emptyDirs).flatMap((dir) => emptyDirLines(dir.containerPath, ownerOf(dir.owner, plan.users))),
    ...byDepth(plan.mounts).flatMap(mountLines),
    ...mountLines({ hostPath: plan.socketDir, containerPath: "/charm/container", readOnly: false, kind: "directory" }),
    ...mountLines({ hostPath: plan.pebbleBin, containerPath: "/charm/bin/pebble", readOnly: true, kind: "file" }),
    // Where the rock keeps its layers; Juju's PEBBLE_COPY_ONCE seeds the empty $PEBBLE from here.
    "rm -rf /var/lib/pebble/default",
    `step "create the rock's layers dir" mkdir -p /var/lib/pebble/default/layers`,
    `step "copy the rock's layer" cp ${q(OLD_ROOT + plan.layerFile)} ${q(`/var/lib/pebble/default/layers/${plan.layerName}`)}`,
    `step "detach the host's root" umount -l ${OLD_ROOT}`,
    `rmdir ${OLD_ROOT}`,
    [
      "exec env -i",
      `PATH=${ROCK_PATH}`,
      "HOME=/root",
      `HOSTNAME=${q(plan.hostname)}`,
      "PEBBLE=/charm/container/pebble",
      "PEBBLE_SOCKET=/charm/container/pebble.socket",
      "PEBBLE_COPY_ONCE=/var/lib/pebble/default",
      `/charm/bin/pebble run --create-dirs --hold --http :${PEBBLE_HTTP_PORT} --verbose`,
    ].join(" "),
  ];
  return lines.join("\n") + "\n";
}

/** The rock's users and groups, added to the container's own copies of /etc/passwd and /etc/group. */
function userLines(users: Rock["users"]): string[] {
  return users.flatMap((user) => [
    `grep -q ${q(`^${user.name}:`)} /etc/passwd || echo ${q(`${user.name}:x:${user.uid}:${user.gid}::${user.home}:/usr/sbin/nologin`)} >> /etc/passwd`,
    `grep -q ${q(`^${user.name}:`)} /etc/group || echo ${q(`${user.name}:x:${user.gid}:`)} >> /etc/group`,
  ]);
}

/** A fresh tmpfs: the overlay would show what the host has at that path (this host has an /app). */
function emptyDirLines(containerPath: string, owner: string | undefined): string[] {
  const path = q(containerPath);
  return [
    `step "create ${containerPath}" mkdir -p ${path}`,
    `step "mount an empty ${containerPath}" mount -t tmpfs -o mode=0755 psim-empty ${path}`,
    ...(owner ? [`step "give ${containerPath} to ${owner}" chown ${q(owner)} ${path}`] : []),
  ];
}

function mountLines(mount: ResolvedMount): string[] {
  const target = q(mount.containerPath);
  const source = q(OLD_ROOT + mount.hostPath);
  const mountPoint =
    mount.kind === "directory"
      ? [`step "create ${mount.containerPath}" mkdir -p ${target}`]
      : [`step "create the parent of ${mount.containerPath}" mkdir -p "$(dirname ${target})"`, `[ -e ${target} ] || step "create ${mount.containerPath}" touch ${target}`];
  return [...mountPoint, `step "mount ${mount.hostPath} at ${mount.containerPath}" mount --bind${mount.readOnly ? " -o ro" : ""} ${source} ${target}`];
}

/** `owner` as chown takes it: a rock user by its numeric ids (resolvable before any lookup), others by name. */
function ownerOf(owner: string | undefined, users: Rock["users"]): string | undefined {
  if (owner === undefined) return undefined;
  const user = users.find((candidate) => candidate.name === owner);
  return user ? `${user.uid}:${user.gid}` : `${owner}:`;
}

/** Parents before children, so a mount inside an empty dir lands in it rather than under it. */
function byDepth<T extends { containerPath: string }>(entries: T[]): T[] {
  const depth = (path: string) => path.split("/").filter(Boolean).length;
  return [...entries].sort((a, b) => depth(a.containerPath) - depth(b.containerPath));
}

/** Single-quotes a word for sh. */
export function q(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}
