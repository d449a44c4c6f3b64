// What Juju creates in Kubernetes for a model and its applications (docs/juju-contract.md §6), on a real API
// server: namespace = model name; per app a ServiceAccount bound to exactly Juju's untrusted Role and
// ClusterRole (widened by `juju trust`), Services `<app>` and `<app>-endpoints`, StatefulSet `<app>` whose
// pod template has the `charm` container and one per declared container, and pods `<app>-<n>`. No
// kubelet or controller runs, so this also plays them: container statuses, and replacing the pods when
// the StatefulSet's template changes.
import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  AppsV1Api, CoreV1Api, KubeConfig, RbacAuthorizationV1Api,
  type V1ContainerStatus, type V1Pod, type V1PolicyRule, type V1StatefulSet,
} from "@kubernetes/client-node";
import type { KubernetesServer } from "../servers/kubernetes.ts";

/** A container's state as the kubelet would report it. */
export type ContainerState =
  | { state: "running"; restarts?: number; lastTermination?: { reason: string; exitCode: number } }
  | { state: "waiting"; reason: string; restarts?: number; lastTermination?: { reason: string; exitCode: number } }
  | { state: "terminated"; reason: string; exitCode: number; restarts?: number };

const UNTRUSTED_ROLE = (namespace: string): V1PolicyRule[] => [
  { apiGroups: [""], resources: ["namespaces"], verbs: ["get", "list"], resourceNames: [namespace] },
  { apiGroups: [""], resources: ["pods", "services"], verbs: ["get", "list", "patch"] },
  { apiGroups: [""], resources: ["pods/exec"], verbs: ["create"] },
];
const UNTRUSTED_CLUSTER_ROLE: V1PolicyRule[] = [{ apiGroups: [""], resources: ["namespaces"], verbs: ["get", "list"] }];
const TRUSTED_ROLE: V1PolicyRule[] = [{ apiGroups: ["*"], resources: ["*"], verbs: ["*"] }];
const TRUSTED_CLUSTER_ROLE: V1PolicyRule[] = [...TRUSTED_ROLE, { nonResourceURLs: ["*"], verbs: ["*"] }];
const CHARM_IMAGE = "jujusolutions/charm-base:ubuntu-24.04";

export class JujuObjects {
  readonly namespace: string;
  private readonly server: KubernetesServer;
  private readonly core: CoreV1Api;
  private readonly apps: AppsV1Api;
  private readonly rbac: RbacAuthorizationV1Api;

  constructor(server: KubernetesServer, namespace: string) {
    this.server = server;
    this.namespace = namespace;
    const config = new KubeConfig();
    config.loadFromOptions({
      clusters: [{ name: "sim", server: `https://${server.host}:${server.port}`, caData: Buffer.from(server.caCert).toString("base64") }],
      users: [{ name: "sim-admin", token: server.adminToken }],
      contexts: [{ name: "sim", cluster: "sim", user: "sim-admin" }],
      currentContext: "sim",
    });
    this.core = config.makeApiClient(CoreV1Api);
    this.apps = config.makeApiClient(AppsV1Api);
    this.rbac = config.makeApiClient(RbacAuthorizationV1Api);
  }

  async createNamespace(): Promise<void> {
    await this.core.createNamespace({ body: { metadata: { name: this.namespace, labels: { "app.kubernetes.io/managed-by": "juju", "model.juju.is/name": this.namespace } } } });
  }

  /** The objects of `juju deploy` before any unit: RBAC, Services and a StatefulSet of 0 replicas. */
  async deployApp(app: string, containers: Record<string, { image: string }>, trusted: boolean): Promise<void> {
    const namespace = this.namespace;
    const labels = { "app.kubernetes.io/name": app };
    await this.core.createNamespacedServiceAccount({ namespace, body: { metadata: { name: app, labels } } });
    await this.rbac.createNamespacedRole({ namespace, body: { metadata: { name: app, labels }, rules: trusted ? TRUSTED_ROLE : UNTRUSTED_ROLE(namespace) } });
    await this.rbac.createNamespacedRoleBinding({ namespace, body: {
      metadata: { name: app, labels }, roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: app },
      subjects: [{ kind: "ServiceAccount", name: app, namespace }],
    } });
    await this.rbac.createClusterRole({ body: { metadata: { name: this.clusterRoleName(app), labels }, rules: trusted ? TRUSTED_CLUSTER_ROLE : UNTRUSTED_CLUSTER_ROLE } });
    await this.rbac.createClusterRoleBinding({ body: {
      metadata: { name: this.clusterRoleName(app), labels }, roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: this.clusterRoleName(app) },
      subjects: [{ kind: "ServiceAccount", name: app, namespace }],
    } });
    await this.core.createNamespacedService({ namespace, body: {
      metadata: { name: app, labels }, spec: { type: "ClusterIP", selector: labels, ports: [{ name: "placeholder", port: 65535, protocol: "TCP" }] },
    } });
    await this.core.createNamespacedService({ namespace, body: {
      metadata: { name: `${app}-endpoints`, labels }, spec: { clusterIP: "None", selector: labels, publishNotReadyAddresses: true, ports: [{ name: "placeholder", port: 65535, protocol: "TCP" }] },
    } });
    await this.apps.createNamespacedStatefulSet({ namespace, body: {
      metadata: { name: app, labels },
      spec: {
        replicas: 0, serviceName: `${app}-endpoints`, selector: { matchLabels: labels }, podManagementPolicy: "Parallel",
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: app, automountServiceAccountToken: true,
            containers: [
              { name: "charm", image: CHARM_IMAGE },
              ...Object.entries(containers).map(([name, spec]) => ({ name, image: spec.image })),
            ],
          },
        },
      },
    } });
    await this.markRolledOut(app);
  }

  /** `juju remove-application`: Juju deletes the app's objects (no garbage collector runs here to follow owners). */
  async removeApp(app: string): Promise<void> {
    const namespace = this.namespace;
    const gone = () => undefined;
    await this.apps.deleteNamespacedStatefulSet({ name: app, namespace }).catch(gone);
    const pods = await this.core.listNamespacedPod({ namespace, labelSelector: `app.kubernetes.io/name=${app}` });
    for (const pod of pods.items) await this.core.deleteNamespacedPod({ name: pod.metadata!.name!, namespace, gracePeriodSeconds: 0 }).catch(gone);
    for (const service of [app, `${app}-endpoints`]) await this.core.deleteNamespacedService({ name: service, namespace }).catch(gone);
    await this.rbac.deleteNamespacedRoleBinding({ name: app, namespace }).catch(gone);
    await this.rbac.deleteNamespacedRole({ name: app, namespace }).catch(gone);
    await this.core.deleteNamespacedServiceAccount({ name: app, namespace }).catch(gone);
    await this.rbac.deleteClusterRoleBinding({ name: this.clusterRoleName(app) }).catch(gone);
    await this.rbac.deleteClusterRole({ name: this.clusterRoleName(app) }).catch(gone);
  }

  /**
   * `juju destroy-model`: the namespace goes. Deleting it leaves it Terminating until the namespace
   * controller (not run here) empties it and clears its finalizer: the apps' objects are removed first,
   * then the finalizer is cleared as that controller would, so a model of the same name can come back.
   */
  async removeNamespace(apps: string[]): Promise<void> {
    for (const app of apps) await this.removeApp(app);
    await this.core.deleteNamespace({ name: this.namespace });
    await this.core.replaceNamespaceFinalize({ name: this.namespace, body: { metadata: { name: this.namespace }, spec: { finalizers: [] } } });
  }

  /** `juju trust`: Juju rewrites the app's Role and ClusterRole. */
  async setTrust(app: string, trusted: boolean): Promise<void> {
    const role = await this.rbac.readNamespacedRole({ name: app, namespace: this.namespace });
    await this.rbac.replaceNamespacedRole({ name: app, namespace: this.namespace, body: { ...role, rules: trusted ? TRUSTED_ROLE : UNTRUSTED_ROLE(this.namespace) } });
    const clusterRole = await this.rbac.readClusterRole({ name: this.clusterRoleName(app) });
    await this.rbac.replaceClusterRole({ name: this.clusterRoleName(app), body: { ...clusterRole, rules: trusted ? TRUSTED_CLUSTER_ROLE : UNTRUSTED_CLUSTER_ROLE } });
  }

  /**
   * Scales the StatefulSet to include unit `n` and creates its pod from the template, every container
   * running; writes the service account's files (what the pod mounts) into `serviceAccountDir`.
   */
  async addUnit(app: string, n: number, serviceAccountDir: string): Promise<void> {
    const statefulSet = await this.statefulSet(app);
    const replicas = Math.max(statefulSet.spec?.replicas ?? 0, n + 1);
    await this.apps.replaceNamespacedStatefulSet({ name: app, namespace: this.namespace, body: { ...statefulSet, spec: { ...statefulSet.spec!, replicas } } });
    await this.createPod(app, n, await this.statefulSet(app));
    await this.markRolledOut(app);
    await this.writeServiceAccount(app, serviceAccountDir);
  }

  async removeUnit(app: string, n: number): Promise<void> {
    await this.core.deleteNamespacedPod({ name: `${app}-${n}`, namespace: this.namespace, gracePeriodSeconds: 0 }).catch(() => undefined);
  }

  /** The kubelet's report for one container of the unit's pod. */
  async setContainerState(app: string, n: number, container: string, state: ContainerState): Promise<void> {
    const pod = await this.core.readNamespacedPod({ name: `${app}-${n}`, namespace: this.namespace });
    const statuses = (pod.status?.containerStatuses ?? []).map((s) => (s.name === container ? containerStatus(s.name, s.image, state) : s));
    const ready = statuses.every((s) => s.ready);
    await this.core.replaceNamespacedPodStatus({ name: pod.metadata!.name!, namespace: this.namespace, body: {
      ...pod, status: { ...pod.status, containerStatuses: statuses, conditions: podConditions(ready) },
    } });
  }

  async pod(app: string, n: number): Promise<V1Pod> {
    return this.core.readNamespacedPod({ name: `${app}-${n}`, namespace: this.namespace });
  }

  async statefulSet(app: string): Promise<V1StatefulSet> {
    return this.apps.readNamespacedStatefulSet({ name: app, namespace: this.namespace });
  }

  /**
   * The StatefulSet controller's part: when the template changed since it was last rolled out, every pod is
   * deleted and created anew from it. Returns the unit numbers whose pods were replaced.
   */
  async rollOut(app: string): Promise<number[]> {
    const statefulSet = await this.statefulSet(app);
    if ((statefulSet.status?.observedGeneration ?? 0) >= (statefulSet.metadata?.generation ?? 0)) return [];
    if (statefulSet.status?.updateRevision === revisionOf(statefulSet)) {
      await this.markRolledOut(app);
      return [];
    }
    const replaced: number[] = [];
    for (let n = 0; n < (statefulSet.spec?.replicas ?? 0); n++) {
      const exists = await this.core.readNamespacedPod({ name: `${app}-${n}`, namespace: this.namespace }).then(() => true, () => false);
      if (!exists) continue;
      await this.core.deleteNamespacedPod({ name: `${app}-${n}`, namespace: this.namespace, gracePeriodSeconds: 0 });
      await this.createPod(app, n, statefulSet);
      replaced.push(n);
    }
    await this.markRolledOut(app);
    return replaced;
  }

  private async createPod(app: string, n: number, statefulSet: V1StatefulSet): Promise<void> {
    const template = statefulSet.spec!.template;
    const name = `${app}-${n}`;
    const pod = await this.core.createNamespacedPod({ namespace: this.namespace, body: {
      metadata: { ...template.metadata, name, labels: { ...template.metadata?.labels, "statefulset.kubernetes.io/pod-name": name, "controller-revision-hash": revisionOf(statefulSet) } },
      spec: { ...template.spec!, hostname: name, subdomain: statefulSet.spec!.serviceName! },
    } });
    await this.core.replaceNamespacedPodStatus({ name, namespace: this.namespace, body: {
      ...pod,
      status: {
        phase: "Running", podIP: "10.1.0.1", startTime: new Date(), conditions: podConditions(true),
        containerStatuses: pod.spec!.containers.map((c) => containerStatus(c.name, c.image ?? "", { state: "running" })),
      },
    } });
  }

  /** The controller has observed the latest generation and every replica runs it. */
  private async markRolledOut(app: string): Promise<void> {
    const statefulSet = await this.statefulSet(app);
    const replicas = statefulSet.spec?.replicas ?? 0;
    const revision = revisionOf(statefulSet);
    await this.apps.replaceNamespacedStatefulSetStatus({ name: app, namespace: this.namespace, body: {
      ...statefulSet,
      status: {
        observedGeneration: statefulSet.metadata?.generation ?? 1, replicas, readyReplicas: replicas, currentReplicas: replicas,
        updatedReplicas: replicas, availableReplicas: replicas, currentRevision: revision, updateRevision: revision,
      },
    } });
  }

  /** The service account's token (TokenRequest API), the cluster CA and the namespace, as a pod mounts them. */
  private async writeServiceAccount(app: string, dir: string): Promise<void> {
    const request = await this.core.createNamespacedServiceAccountToken({ name: app, namespace: this.namespace, body: { spec: { audiences: [], expirationSeconds: 24 * 3600 } } });
    mkdirSync(dir, { recursive: true });
    if (!request.status?.token) throw new Error(`the API server issued no token for service account ${app}`);
    writeFileSync(join(dir, "token"), request.status.token, { mode: 0o600 });
    writeFileSync(join(dir, "ca.crt"), this.server.caCert);
    writeFileSync(join(dir, "namespace"), this.namespace);
  }

  private clusterRoleName(app: string): string {
    return `${this.namespace}-${app}`;
  }
}

/** Like the controller's revision hash: changes with the pod template only (not with replicas). */
function revisionOf(statefulSet: V1StatefulSet): string {
  return `${statefulSet.metadata!.name}-${createHash("sha256").update(JSON.stringify(statefulSet.spec!.template)).digest("hex").slice(0, 10)}`;
}

function podConditions(ready: boolean) {
  const now = new Date();
  return [
    { type: "PodScheduled", status: "True", lastTransitionTime: now },
    { type: "Initialized", status: "True", lastTransitionTime: now },
    { type: "ContainersReady", status: ready ? "True" : "False", lastTransitionTime: now },
    { type: "Ready", status: ready ? "True" : "False", lastTransitionTime: now },
  ];
}

function containerStatus(name: string, image: string, state: ContainerState): V1ContainerStatus {
  const restartCount = state.restarts ?? 0;
  const base = { name, image, imageID: "", restartCount };
  const last = state.state !== "terminated" && state.lastTermination
    ? { lastState: { terminated: { reason: state.lastTermination.reason, exitCode: state.lastTermination.exitCode, finishedAt: new Date() } } }
    : {};
  switch (state.state) {
    case "running": return { ...base, ...last, ready: true, started: true, state: { running: { startedAt: new Date() } } };
    case "waiting": return { ...base, ...last, ready: false, started: false, state: { waiting: { reason: state.reason } } };
    case "terminated": return { ...base, ready: false, started: false, state: { terminated: { reason: state.reason, exitCode: state.exitCode, finishedAt: new Date() } } };
  }
}
