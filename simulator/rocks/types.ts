// What a built rock stand-in hands to the simulator's container runtime.

/** The six 12-factor frameworks, by paas-charm's internal name. */
export const FRAMEWORKS = ["flask", "django", "fastapi", "go", "expressjs", "spring-boot"] as const;
export type Framework = (typeof FRAMEWORKS)[number];

/** rockcraft's run-user for every 12-factor rock. */
export const DAEMON_USER = { name: "_daemon_", uid: 584792, gid: 584792, home: "/nonexistent" } as const;

/**
 * A local stand-in for a rock. The container runtime starts from the image's Debian root filesystem
 * (`packages`) with these additions in the workload container's private mount namespace. Set them up in this order:
 * 1. every `emptyDirs` entry (a fresh, writable, per-container directory, e.g. a tmpfs),
 * 2. every `mounts` entry, parents before children (some mounts sit inside an empty dir: /app/server.js
 *    inside /app). A mount point may not exist on the host: create it with the type of `hostPath`
 *    (directory or file). `containerPath` may pass through a symlink (/usr/bin/python3 -> python3.11);
 *    mounting follows it, as `mount --bind` does.
 * Nothing the charm writes (Pebble push to /flask/gunicorn.conf.py or /app/state/...) lands on a mount,
 * so the cache stays shared and read-only between containers.
 * Services need the rock's PATH (/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin).
 */
export interface Rock {
  /** The rock's framework extension (flask, ...); a rock without one (plain.ts) has its own name here. It names the rock's layer file and the rock in messages. */
  framework: string;
  /** The Debian packages of the image's root filesystem (the container's read-only lower layer): a rock's `stage-packages`. Absent: the base rootfs, with the runtimes the framework extensions stage. */
  packages?: string[];
  /** Host paths to bind-mount at absolute paths inside the workload container's private mount namespace (e.g. the app at /app or /flask/app, /flask/gunicorn.conf.py, a python runtime). */
  mounts: Array<{ hostPath: string; containerPath: string; readOnly?: boolean }>;
  /** Directories that must exist empty and writable inside the container (e.g. /var/log/flask owned by _daemon_). */
  emptyDirs: Array<{ containerPath: string; owner?: string }>;
  /** The rock's Pebble layer YAML (what the extension writes; Pebble loads it from $PEBBLE/layers/001-<name>.yaml at start). */
  layer: string;
  /** Users and groups the rock defines, beyond the host's (the `_daemon_` user and group, uid/gid 584792). */
  users: Array<{ name: string; uid: number; gid: number; home: string }>;
}

export interface BuildRockOptions {
  /** The rockcraft project: rockcraft.yaml plus the app. Default: tests/apps/<framework>. */
  projectDir?: string;
  /** Where built rocks are kept. Default: .cache/rocks in the repository. */
  cacheDir?: string;
  /** Progress lines ("building the flask rock ..."); silent by default. */
  log?: (line: string) => void;
}
