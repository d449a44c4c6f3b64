// ingress v2 (traefik_k8s.v2.ingress IngressPerAppRequirer with strip_prefix=True).
import { isIP } from "node:net";
import { isRecord, parseJson, pyJsonDumps, type Databag } from "./databag.ts";
import { normaliseUrl } from "./pyUrl.ts";
import type { IntegrationContext, RelationView } from "./types.ts";

export interface IngressOutcome {
  /** The provider's URL as pydantic's AnyHttpUrl prints it (host-only URLs gain a trailing `/`). */
  url?: string;
  /** Why there is no URL, for logs. */
  reason?: string;
  app?: Databag;
  unit: Databag;
}

/** `socket.getfqdn()` of a sidecar pod: `<app>-<n>.<app>-endpoints.<model>.svc.cluster.local`. */
export function podFqdn(ctx: IntegrationContext): string {
  const unitNumber = ctx.unitName.slice(ctx.unitName.lastIndexOf("/") + 1);
  return `${ctx.appName}-${unitNumber}.${ctx.appName}-endpoints.${ctx.modelName}.svc.cluster.local`;
}

/**
 * The library clears and rewrites the whole app bag, and drops keys equal to their pydantic
 * default, so keys we do not send are deleted (`""`).
 */
function appBag(relation: RelationView, ctx: IntegrationContext): Databag {
  const wanted: Databag = {
    model: pyJsonDumps(ctx.modelName),
    name: pyJsonDumps(ctx.appName),
    port: String(ctx.port),
    "strip-prefix": "true",
  };
  if (ctx.portOpen) wanted.is_port_open = "true";
  for (const key of Object.keys(relation.localAppData)) if (!(key in wanted)) wanted[key] = "";
  return wanted;
}

function unitBag(ctx: IntegrationContext): Databag {
  const unit: Databag = { host: pyJsonDumps(ctx.unitHost || podFqdn(ctx)) };
  // The library omits `ip` unless it is a valid address.
  if (ctx.unitAddress && isIP(ctx.unitAddress)) unit.ip = pyJsonDumps(ctx.unitAddress);
  else unit.ip = "";
  return unit;
}

export function readIngressUrl(relation: RelationView): { url: string } | { reason: string } {
  const raw = relation.remoteAppData.ingress;
  if (typeof raw !== "string" || raw === "") return { reason: "ingress: waiting for the provider to publish a URL" };
  const parsed = parseJson(raw);
  const url = parsed.ok && isRecord(parsed.value) ? parsed.value.url : undefined;
  const normalised = typeof url === "string" ? normaliseUrl(url, true) : undefined;
  if (normalised === undefined) return { reason: "ingress: the provider's ingress data holds no valid http(s) URL" };
  return { url: normalised };
}

export function evaluateIngress(relation: RelationView, ctx: IntegrationContext): IngressOutcome {
  const read = readIngressUrl(relation);
  return {
    ...("url" in read ? { url: read.url } : { reason: read.reason }),
    ...(ctx.leader ? { app: appBag(relation, ctx) } : {}),
    unit: unitBag(ctx),
  };
}
