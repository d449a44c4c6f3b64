// Failures of a Kubernetes API request, by what the charm does about them. Kept apart from the client so
// callers can tell them apart without loading @kubernetes/client-node.
export class KubernetesError extends Error {
  override name = "KubernetesError";
  /** `forbidden`: RBAC refused (the app is not trusted); `unavailable`: no answer in time or no connection. */
  readonly kind: "forbidden" | "not-found" | "unavailable" | "other";
  readonly statusCode: number | undefined;
  constructor(kind: KubernetesError["kind"], message: string, statusCode?: number) {
    super(message);
    this.kind = kind;
    this.statusCode = statusCode;
  }
}

/**
 * The charm binary loads the client from its own bundle (scripts/build.ts), with its own copy of this
 * class: tell the errors apart by name, not by identity.
 */
export function isKubernetesError(error: unknown): error is KubernetesError {
  return error instanceof Error && error.name === "KubernetesError" && "kind" in error;
}

/** A refusal by the API server: its status code says what the charm does, its Status message says why. */
export function httpFailure(what: string, code: number, body: unknown): KubernetesError {
  const reason = apiMessage(body) ?? `HTTP ${code}`;
  const kind = code === 403 ? "forbidden" : code === 404 ? "not-found" : code >= 500 ? "unavailable" : "other";
  return new KubernetesError(kind, `cannot ${what}: ${reason}`, code);
}

function apiMessage(body: unknown): string | undefined {
  try {
    const parsed = typeof body === "string" ? JSON.parse(body) as { message?: string } : body as { message?: string };
    return parsed?.message;
  } catch {
    return typeof body === "string" && body ? body.slice(0, 200) : undefined;
  }
}
