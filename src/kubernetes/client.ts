// The charm's one Kubernetes write, the server-side apply of its StatefulSet's workload resources, with
// @kubernetes/client-node configured from the pod's service account (inCluster.ts), bounded by a short
// timeout so a hung or absent API server never hangs a hook. Import this module dynamically: client-node
// is large, and only an event that changes the resources needs it (reads go through reads.ts).
import {
  AppsV1Api, KubeConfig, PatchStrategy, ApiException,
  Observable, type V1StatefulSet, type ConfigurationOptions, type ObservableMiddleware, type RequestContext, type ResponseContext,
} from "@kubernetes/client-node";
import { KubernetesError, httpFailure } from "./errors.ts";
import { REQUEST_TIMEOUT_MS, type ClusterAccess } from "./inCluster.ts";

export interface KubernetesClient {
  /** Server-side apply of a partial StatefulSet with `fieldManager` (force: the charm owns what it sets). */
  applyStatefulSet(body: Record<string, unknown> & { metadata: { name: string } }, fieldManager: string): Promise<V1StatefulSet>;
}

export function kubernetesClient(access: ClusterAccess, timeoutMs = REQUEST_TIMEOUT_MS): KubernetesClient {
  const config = new KubeConfig();
  config.loadFromOptions({
    clusters: [{ name: "in-cluster", server: access.server, caData: Buffer.from(access.caCert).toString("base64"), skipTLSVerify: false }],
    users: [{ name: "service-account", token: access.token }],
    contexts: [{ name: "in-cluster", cluster: "in-cluster", user: "service-account", namespace: access.namespace }],
    currentContext: "in-cluster",
  });
  const apps = config.makeApiClient(AppsV1Api);
  const namespace = access.namespace;
  const options = (contentType?: string): ConfigurationOptions => ({
    middleware: [{
      pre: (context: RequestContext) => {
        context.setSignal(AbortSignal.timeout(timeoutMs));
        if (contentType) context.setHeaderParam("Content-Type", contentType);
        return new Observable(Promise.resolve(context));
      },
      post: (context: ResponseContext) => new Observable(Promise.resolve(context)),
    } satisfies ObservableMiddleware],
    middlewareMergeStrategy: "append",
  });
  const call = async <T>(what: string, request: () => Promise<T>): Promise<T> => {
    try {
      return await request();
    } catch (error) {
      throw asKubernetesError(what, error, timeoutMs);
    }
  };
  return {
    applyStatefulSet: (body, fieldManager) => call(`apply statefulset ${namespace}/${body.metadata.name}`, () => apps.patchNamespacedStatefulSet(
      { name: body.metadata.name, namespace, body, fieldManager, force: true }, options(PatchStrategy.ServerSideApply),
    )),
  };
}

function asKubernetesError(what: string, error: unknown, timeoutMs: number): KubernetesError {
  if (error instanceof ApiException) return httpFailure(what, error.code, error.body);
  const err = error as Error & { cause?: { code?: string; message?: string } };
  if (err.name === "TimeoutError" || err.name === "AbortError") return new KubernetesError("unavailable", `cannot ${what}: no answer within ${timeoutMs} ms`);
  const cause = err.cause?.code ?? err.cause?.message ?? err.message;
  return new KubernetesError("unavailable", `cannot ${what}: ${cause}`);
}
