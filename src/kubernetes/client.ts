// The charm's Kubernetes API client: @kubernetes/client-node configured from the pod's service account
// (inCluster.ts), every request bounded by a short timeout so a hung or absent API server never hangs a
// hook. Import this module dynamically: client-node is large and most events never need it.
import {
  AppsV1Api, CoreV1Api, KubeConfig, PatchStrategy, ApiException,
  Observable, type V1Pod, type V1StatefulSet, type ConfigurationOptions, type ObservableMiddleware, type RequestContext, type ResponseContext,
} from "@kubernetes/client-node";
import { KubernetesError } from "./errors.ts";
import type { ClusterAccess } from "./inCluster.ts";

/** Per request; an update-status must stay far below Juju's hook patience even with several requests. */
export const REQUEST_TIMEOUT_MS = 3000;

export interface KubernetesClient {
  readonly namespace: string;
  readPod(name: string): Promise<V1Pod>;
  readStatefulSet(name: string): Promise<V1StatefulSet>;
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
  const core = config.makeApiClient(CoreV1Api);
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
    namespace,
    readPod: (name) => call(`get pod ${namespace}/${name}`, () => core.readNamespacedPod({ name, namespace }, options())),
    readStatefulSet: (name) => call(`get statefulset ${namespace}/${name}`, () => apps.readNamespacedStatefulSet({ name, namespace }, options())),
    applyStatefulSet: (body, fieldManager) => call(`apply statefulset ${namespace}/${body.metadata.name}`, () => apps.patchNamespacedStatefulSet(
      { name: body.metadata.name, namespace, body, fieldManager, force: true }, options(PatchStrategy.ServerSideApply),
    )),
  };
}

function asKubernetesError(what: string, error: unknown, timeoutMs: number): KubernetesError {
  if (error instanceof ApiException) {
    const code = error.code;
    const reason = apiMessage(error.body) ?? `HTTP ${code}`;
    const kind = code === 403 ? "forbidden" : code === 404 ? "not-found" : code >= 500 ? "unavailable" : "other";
    return new KubernetesError(kind, `cannot ${what}: ${reason}`, code);
  }
  const err = error as Error & { cause?: { code?: string; message?: string } };
  if (err.name === "TimeoutError" || err.name === "AbortError") return new KubernetesError("unavailable", `cannot ${what}: no answer within ${timeoutMs} ms`);
  const cause = err.cause?.code ?? err.cause?.message ?? err.message;
  return new KubernetesError("unavailable", `cannot ${what}: ${cause}`);
}

function apiMessage(body: unknown): string | undefined {
  try {
    const parsed = typeof body === "string" ? JSON.parse(body) as { message?: string } : body as { message?: string };
    return parsed?.message;
  } catch {
    return typeof body === "string" && body ? body.slice(0, 200) : undefined;
  }
}
