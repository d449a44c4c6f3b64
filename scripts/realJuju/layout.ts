// Where the real Juju platform keeps things: builds under the user's cache directory (kept across clones,
// keyed by version), runtime state under the checkout's .cache/real-juju (removed by nothing but the user).
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { userCacheDir } from "../../simulator/containers/baseRootfs.ts";

export const repoRoot = fileURLToPath(new URL("../..", import.meta.url)).replace(/\/$/, "");

export const VERSIONS = { kubernetes: "v1.31.4", juju: "4.1-beta2", dqlite: "1.18.6", pebble: "1.26.0" } as const;

/** Builds, by name and version: `~/.cache/paas-charm-ts/real-juju/<name>-<version>/`. */
export const buildsDir = join(userCacheDir(), "real-juju");
export const builds = {
  kubernetes: join(buildsDir, `kubernetes-${VERSIONS.kubernetes}`),
  dqlite: join(buildsDir, `dqlite-${VERSIONS.dqlite}`),
  juju: join(buildsDir, `juju-${VERSIONS.juju}`),
  pebble: join(buildsDir, `pebble-${VERSIONS.pebble}-static`),
  pause: join(buildsDir, "pause"),
  controllerCharm: join(buildsDir, "juju-controller-7b94ff66"),
  images: join(buildsDir, "images"),
};

/**
 * The two sources no registry serves (dqlite, the controller charm): $PAAS_THIRD_PARTY, else
 * `../shared/third_party` beside the checkout, or beside the main checkout when this is a git worktree.
 */
export function thirdPartyDir(): string {
  if (process.env.PAAS_THIRD_PARTY) return process.env.PAAS_THIRD_PARTY;
  const besideCheckout = join(repoRoot, "..", "shared", "third_party");
  const gitFile = join(repoRoot, ".git");
  if (existsSync(besideCheckout) || !existsSync(gitFile) || statSync(gitFile).isDirectory()) return besideCheckout;
  const worktreeOf = /^gitdir: (.*)\/\.git\/worktrees\//m.exec(readFileSync(gitFile, "utf8"))?.[1];
  return worktreeOf ? join(worktreeOf, "..", "shared", "third_party") : besideCheckout;
}

/** The platform's runtime state: the checkout's .cache/real-juju, or $REAL_JUJU_STATE_DIR. */
export const stateDir = process.env.REAL_JUJU_STATE_DIR || join(repoRoot, ".cache", "real-juju");
export const state = {
  logs: join(stateDir, "logs"),
  pids: join(stateDir, "pids"),
  certs: join(stateDir, "certs"),
  etcd: join(stateDir, "etcd"),
  containerd: join(stateDir, "containerd"),
  containerdSocket: join(stateDir, "containerd", "containerd.sock"),
  kubelet: join(stateDir, "kubelet"),
  pods: join(stateDir, "kubelet", "root"),
  volumes: join(stateDir, "volumes"),
  cni: join(stateDir, "cni"),
  kubeconfig: join(stateDir, "kubeconfig"),
  jujuData: join(stateDir, "juju"),
  bin: join(stateDir, "bin"),
};

/**
 * The cluster's own network: pods on a bridge the project creates, Services on a range no route leads to.
 * The bridge's address is the node's address too, so nothing needs the host's own interfaces.
 */
export const NETWORK = {
  bridge: "rjbr0",
  podCidr: "10.214.0.0/24",
  nodeIp: "10.214.0.1",
  serviceCidr: "10.215.0.0/24",
  /** Non-default ports: other jobs on this machine may run their own etcd or apiserver. */
  etcdPort: 23790,
  etcdPeerPort: 23800,
  apiserverPort: 16443,
  kubeletPort: 10650,
  kubeletHealthzPort: 10648,
  proxyHealthzPort: 10656,
  proxyMetricsPort: 10659,
  controllerManagerPort: 10657,
  schedulerPort: 10660,
};

export const NODE_NAME = "paas-real-juju";
export const CLOUD = "real-k8s";
export const CONTROLLER = "real";
