// The charm's reads of the Kubernetes API (its pod, its StatefulSet): plain GETs over HTTPS with axios,
// which the charm already runs for Pebble, with the pod's service account and CA. Deciding what the pod
// or the StatefulSet says thus costs no load of @kubernetes/client-node (client.ts, ~100 ms of CPU and
// 30 MB), which only the one write needs: the server-side apply of the workload resources.
// The default import: the build makes `https` load on first use (scripts/lazyModules.ts), and only the
// module object, not a named import, reaches the real module through that stand-in.
import https from "node:https";
import axios, { isAxiosError } from "axios";
import type { V1Pod, V1StatefulSet } from "@kubernetes/client-node";
import { KubernetesError, httpFailure } from "./errors.ts";
import { REQUEST_TIMEOUT_MS, type ClusterAccess } from "./inCluster.ts";

/**
 * The objects as the API server's JSON: what the charm reads of them has the shape client-node's types
 * describe, but dates stay strings.
 */
export interface KubernetesReader {
  readonly namespace: string;
  readPod(name: string): Promise<V1Pod>;
  readStatefulSet(name: string): Promise<V1StatefulSet>;
}

export function kubernetesReader(access: ClusterAccess, timeoutMs = REQUEST_TIMEOUT_MS): KubernetesReader {
  const agent = new https.Agent({ ca: access.caCert, keepAlive: true });
  const namespace = access.namespace;
  const get = async <T>(what: string, path: string): Promise<T> => {
    try {
      const response = await axios.get<T>(`${access.server}${path}`, {
        httpsAgent: agent,
        headers: { Authorization: `Bearer ${access.token}`, Accept: "application/json" },
        responseType: "json",
        maxRedirects: 0, // plain node:https; the API server never redirects a read
        proxy: false, // the cluster's own address: HTTP(S)_PROXY from the model must not capture it
        timeout: timeoutMs,
        transitional: { clarifyTimeoutError: true },
      });
      return response.data;
    } catch (error) {
      throw readFailure(what, error, timeoutMs);
    }
  };
  return {
    namespace,
    readPod: (name) => get(`get pod ${namespace}/${name}`, `/api/v1/namespaces/${namespace}/pods/${name}`),
    readStatefulSet: (name) => get(`get statefulset ${namespace}/${name}`, `/apis/apps/v1/namespaces/${namespace}/statefulsets/${name}`),
  };
}

function readFailure(what: string, error: unknown, timeoutMs: number): KubernetesError {
  if (!isAxiosError(error)) return new KubernetesError("unavailable", `cannot ${what}: ${(error as Error).message}`);
  if (error.response) return httpFailure(what, error.response.status, error.response.data);
  if (error.code === "ETIMEDOUT" || error.code === "ECONNABORTED") return new KubernetesError("unavailable", `cannot ${what}: no answer within ${timeoutMs} ms`);
  return new KubernetesError("unavailable", `cannot ${what}: ${(error.cause as { code?: string } | undefined)?.code ?? error.code ?? error.message}`);
}
