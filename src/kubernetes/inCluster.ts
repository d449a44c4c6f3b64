// Where the charm finds its Kubernetes API server and credentials inside its pod, the way Juju sets the pod
// up (docs/juju-contract.md §6): KUBERNETES_SERVICE_HOST/PORT in the hook environment and the app's service
// account token, CA and namespace files. Light on purpose: deciding that the feature is off costs no load
// of @kubernetes/client-node.
import { readFileSync } from "node:fs";
import { join } from "node:path";

export const SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

/** Per request; an update-status must stay far below Juju's hook patience even with several requests. */
export const REQUEST_TIMEOUT_MS = 3000;

export interface ClusterAccess {
  server: string;
  token: string;
  caCert: string;
  namespace: string;
}

export type ClusterLookup = { access: ClusterAccess } | { off: string };

/** The in-cluster access, or why there is none; `dir` is where the pod mounts the service account's files. */
export function inClusterAccess(env: NodeJS.ProcessEnv, dir = SERVICE_ACCOUNT_DIR): ClusterLookup {
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  if (!host || !port) return { off: "not in a Kubernetes pod (KUBERNETES_SERVICE_HOST/PORT unset): Kubernetes API features are off" };
  try {
    const read = (name: string) => readFileSync(join(dir, name), "utf8");
    const server = `https://${host.includes(":") ? `[${host}]` : host}:${port}`;
    return { access: { server, token: read("token").trim(), caCert: read("ca.crt"), namespace: read("namespace").trim() } };
  } catch (error) {
    return { off: `no service account in ${dir} (${(error as Error).message}): Kubernetes API features are off` };
  }
}
