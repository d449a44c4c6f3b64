// A single-node Kubernetes v1.31 on this machine: etcd, the control plane, containerd (Debian's, with its own
// socket, root and state), the kubelet and kube-proxy, every one with its state under .cache/real-juju.
import { existsSync, readdirSync, readlinkSync, statSync } from "node:fs";
import { chmod, mkdir, rmdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { APISERVER_CLIENT_USER, apiserverUrl, certs, kubeconfigOf } from "./certs.ts";
import { builds, NETWORK, NODE_NAME, state, stateDir } from "./layout.ts";
import { CNI_BIN_DIR, cniConfDir, mountsUnder } from "./network.ts";
import { processesMentioning, startDaemon, stopDaemon, terminate } from "./processes.ts";
import { run, waitFor } from "./steps.ts";

/** The cluster's processes in start order; `down` stops them in reverse. */
export const CLUSTER_PROCESSES = ["etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "containerd", "kubelet", "kube-proxy"] as const;
export const PAUSE_IMAGE = "registry.k8s.io/pause:3.10";
const k8s = (binary: string) => join(builds.kubernetes, binary);

export async function startControlPlane(log: string): Promise<void> {
  await mkdir(state.etcd, { recursive: true, mode: 0o700 });
  const etcdUrl = `http://127.0.0.1:${NETWORK.etcdPort}`;
  const peerUrl = `http://127.0.0.1:${NETWORK.etcdPeerPort}`;
  await startDaemon("etcd", "etcd", [
    "--name", "real-juju", "--data-dir", state.etcd,
    "--listen-client-urls", etcdUrl, "--advertise-client-urls", etcdUrl,
    "--listen-peer-urls", peerUrl, "--initial-advertise-peer-urls", peerUrl, "--initial-cluster", `real-juju=${peerUrl}`,
  ]);
  await startDaemon("kube-apiserver", k8s("kube-apiserver"), [
    `--etcd-servers=${etcdUrl}`,
    `--bind-address=${NETWORK.nodeIp}`, `--advertise-address=${NETWORK.nodeIp}`, `--secure-port=${NETWORK.apiserverPort}`,
    `--service-cluster-ip-range=${NETWORK.serviceCidr}`,
    `--client-ca-file=${certs.caCert}`, `--tls-cert-file=${certs.apiserverCert}`, `--tls-private-key-file=${certs.apiserverKey}`,
    `--token-auth-file=${certs.tokens}`, "--authorization-mode=Node,RBAC", "--allow-privileged=true",
    "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
    `--service-account-key-file=${certs.serviceAccountPub}`, `--service-account-signing-key-file=${certs.serviceAccountKey}`,
    `--kubelet-client-certificate=${certs.apiserverCert}`, `--kubelet-client-key=${certs.apiserverKey}`,
    `--kubelet-certificate-authority=${certs.caCert}`,
    // The node's name need not resolve: the apiserver reaches the kubelet (logs, exec, port-forward) by IP.
    "--kubelet-preferred-address-types=InternalIP",
  ]);
  await waitFor("the apiserver answering /readyz", 90_000, async () => (await kubectl(log, ["get", "--raw", "/readyz"])).trim() === "ok");
  await startDaemon("kube-controller-manager", k8s("kube-controller-manager"), [
    `--kubeconfig=${kubeconfigOf("controller-manager")}`,
    `--authentication-kubeconfig=${kubeconfigOf("controller-manager")}`, `--authorization-kubeconfig=${kubeconfigOf("controller-manager")}`,
    "--use-service-account-credentials=true", `--service-account-private-key-file=${certs.serviceAccountKey}`,
    `--root-ca-file=${certs.caCert}`, "--leader-elect=false",
    `--bind-address=127.0.0.1`, `--secure-port=${NETWORK.controllerManagerPort}`,
  ]);
  await startDaemon("kube-scheduler", k8s("kube-scheduler"), [
    `--kubeconfig=${kubeconfigOf("scheduler")}`,
    `--authentication-kubeconfig=${kubeconfigOf("scheduler")}`, `--authorization-kubeconfig=${kubeconfigOf("scheduler")}`,
    "--leader-elect=false", `--bind-address=127.0.0.1`, `--secure-port=${NETWORK.schedulerPort}`,
  ]);
}

export async function startContainerd(log: string): Promise<void> {
  const config = join(state.containerd, "config.toml");
  await mkdir(state.containerd, { recursive: true });
  await writeFile(config, [
    "version = 2",
    `root = "${join(state.containerd, "root")}"`,
    `state = "${join(state.containerd, "state")}"`,
    "[grpc]",
    `  address = "${state.containerdSocket}"`,
    "[plugins.\"io.containerd.internal.v1.opt\"]",
    `  path = "${join(state.containerd, "opt")}"`,
    "[plugins.\"io.containerd.grpc.v1.cri\"]",
    `  sandbox_image = "${PAUSE_IMAGE}"`,
    // This machine lacks CAP_SYS_RESOURCE: without it every sandbox fails writing /proc/self/oom_score_adj.
    "  restrict_oom_score_adj = true",
    "  [plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.runc]",
    "    runtime_type = \"io.containerd.runc.v2\"",
    "    [plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.runc.options]",
    "      SystemdCgroup = false",
    `      Root = "${join(state.containerd, "runc")}"`,
    "  [plugins.\"io.containerd.grpc.v1.cri\".cni]",
    `    bin_dir = "${CNI_BIN_DIR}"`,
    `    conf_dir = "${cniConfDir}"`,
    "",
  ].join("\n"));
  await startDaemon("containerd", "containerd", ["--config", config]);
  await waitFor("containerd answering on its socket", 30_000, async () => {
    await run(log, "ctr", ["--address", state.containerdSocket, "version"]);
    return true;
  });
}

export async function startNode(log: string): Promise<void> {
  await mkdir(state.pods, { recursive: true });
  const config = join(state.kubelet, "config.yaml");
  await writeFile(config, JSON.stringify({
    apiVersion: "kubelet.config.k8s.io/v1beta1",
    kind: "KubeletConfiguration",
    address: NETWORK.nodeIp,
    port: NETWORK.kubeletPort,
    healthzBindAddress: "127.0.0.1",
    healthzPort: NETWORK.kubeletHealthzPort,
    // cgroup v1 and no systemd as PID 1 here.
    cgroupDriver: "cgroupfs",
    authentication: { anonymous: { enabled: false }, webhook: { enabled: true }, x509: { clientCAFile: certs.caCert } },
    authorization: { mode: "Webhook" },
    tlsCertFile: certs.kubeletCert,
    tlsPrivateKeyFile: certs.kubeletKey,
    containerRuntimeEndpoint: `unix://${state.containerdSocket}`,
    failSwapOn: false,
    // The disk is shared with other work and the images were imported, not pulled: they cannot come back if
    // garbage-collected, and a fairly full disk must not evict the pods.
    imageGCHighThresholdPercent: 100,
    imageGCLowThresholdPercent: 99,
    evictionHard: { "memory.available": "50Mi", "nodefs.available": "1%", "nodefs.inodesFree": "1%", "imagefs.available": "1%" },
    resolvConf: "/etc/resolv.conf",
  }, null, 2));
  await startDaemon("kubelet", k8s("kubelet"), [
    `--config=${config}`, `--kubeconfig=${kubeconfigOf("kubelet")}`, `--root-dir=${state.pods}`,
    `--node-ip=${NETWORK.nodeIp}`, `--hostname-override=${NODE_NAME}`,
  ]);
  await startDaemon("kube-proxy", k8s("kube-proxy"), [
    `--kubeconfig=${kubeconfigOf("proxy")}`, "--proxy-mode=iptables", `--hostname-override=${NODE_NAME}`,
    `--cluster-cidr=${NETWORK.podCidr}`, `--bind-address=${NETWORK.nodeIp}`, `--nodeport-addresses=${NETWORK.nodeIp}/32`,
    // Leave this machine's conntrack settings alone.
    "--conntrack-max-per-core=0", "--conntrack-tcp-timeout-established=0", "--conntrack-tcp-timeout-close-wait=0",
    `--healthz-bind-address=127.0.0.1:${NETWORK.proxyHealthzPort}`, `--metrics-bind-address=127.0.0.1:${NETWORK.proxyMetricsPort}`,
  ]);
  await waitFor(`node ${NODE_NAME} Ready`, 120_000, async () =>
    (await kubectl(log, ["get", "node", NODE_NAME, "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}"])).trim() === "True");
}

/** What Juju needs of the cluster beyond the defaults: the apiserver's access to kubelets, and storage. */
export async function applyClusterObjects(log: string): Promise<void> {
  const volumes = Array.from({ length: 16 }, (_, index) => `volume-${String(index).padStart(2, "0")}`);
  // hostPath volumes ignore a pod's fsGroup: open to every user, since Juju's containers run as uid 170
  // (the controller's /var/lib/juju is one) and other charms' workloads as their own users.
  for (const volume of volumes) {
    await mkdir(join(state.volumes, volume), { recursive: true });
    await chmod(join(state.volumes, volume), 0o777);
  }
  const objects = [
    {
      apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRoleBinding", metadata: { name: "real-juju-apiserver-kubelet-api-admin" },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "system:kubelet-api-admin" },
      subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "User", name: APISERVER_CLIENT_USER }],
    },
    {
      apiVersion: "storage.k8s.io/v1", kind: "StorageClass",
      metadata: { name: "local", annotations: { "storageclass.kubernetes.io/is-default-class": "true" } },
      provisioner: "kubernetes.io/no-provisioner", volumeBindingMode: "WaitForFirstConsumer", reclaimPolicy: "Retain",
    },
    // No provisioner: Juju's claims bind to these. A released volume is not reused, hence many.
    ...volumes.map((volume) => ({
      apiVersion: "v1", kind: "PersistentVolume", metadata: { name: volume },
      spec: {
        // Capacity is nominal (hostPath): large enough for any claim Juju makes (the controller asks 20Gi).
        capacity: { storage: "100Gi" }, accessModes: ["ReadWriteOnce"], persistentVolumeReclaimPolicy: "Retain",
        storageClassName: "local", hostPath: { path: join(state.volumes, volume), type: "DirectoryOrCreate" },
      },
    })),
  ];
  await run(log, k8s("kubectl"), ["--kubeconfig", state.kubeconfig, "apply", "-f", "-"], { input: JSON.stringify({ apiVersion: "v1", kind: "List", items: objects }) });
}

export function kubectl(log: string, args: string[]): Promise<string> {
  return run(log, k8s("kubectl"), ["--kubeconfig", state.kubeconfig, ...args]);
}

/**
 * Stops the cluster: the kubelet first (so it restarts nothing), then every container (the shims serving our
 * containerd socket and what runs under them) after noting their network namespaces, then the rest in reverse.
 */
export async function stopCluster(log: string): Promise<void> {
  await stopDaemon("kubelet");
  const containers = processesMentioning(state.containerdSocket);
  const namespaces = new Set(containers.map(netnsInode).filter((inode): inode is number => inode !== undefined));
  await terminate(containers, 5_000);
  for (const name of [...CLUSTER_PROCESSES].reverse()) if (name !== "kubelet") await stopDaemon(name);
  if (existsSync(k8s("kube-proxy"))) await run(log, k8s("kube-proxy"), ["--cleanup"]).catch(() => undefined);
  await removePodNamespaces(log, namespaces);
  for (const point of await mountsUnder(stateDir)) await run(log, "umount", ["-l", point]);
  // containerd 1.6 keeps its shims' sockets in /run/containerd/s whatever its state dir: remove the dirs if
  // that left them empty (another containerd's would not be).
  for (const dir of [SHIM_SOCKET_DIR, dirname(SHIM_SOCKET_DIR)]) await rmdir(dir).catch(() => undefined);
}

const SHIM_SOCKET_DIR = "/run/containerd/s";

function netnsInode(pid: number): number | undefined {
  try {
    return Number(/\[(\d+)\]/.exec(readlinkSync(`/proc/${pid}/ns/net`))?.[1]);
  } catch {
    return undefined;
  }
}

/** containerd's CRI pins each pod's namespace at /run/netns/cni-<id>: ours are the ones our containers were in. */
async function removePodNamespaces(log: string, inodes: Set<number>): Promise<void> {
  const dir = "/run/netns";
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir).filter((entry) => entry.startsWith("cni-"))) {
    let inode: number;
    try {
      inode = statSync(join(dir, name)).ino;
    } catch {
      continue;
    }
    if (inodes.has(inode)) await run(log, "ip", ["netns", "delete", name]);
  }
}
