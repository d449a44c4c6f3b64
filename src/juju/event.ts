// The event this dispatch delivers, from JUJU_DISPATCH_PATH and the charm's metadata (docs/juju-contract.md §1.4).
// Hook names embed endpoint, container and storage names that may themselves contain dashes, so a hook is
// matched as "<known name><known suffix>", never split on '-'. Anything the charm does not declare is
// `unknown`, which the charm answers by exiting 0 like ops.
import { JujuContextError, type JujuContext } from "./context.ts";
import type { CharmMeta, RelationEndpointMeta } from "./metadata.ts";

export const LIFECYCLE_HOOKS = [
  "install", "start", "stop", "remove", "config-changed", "upgrade-charm", "update-status", "leader-elected",
  "leader-settings-changed", "collect-metrics", "pre-series-upgrade", "post-series-upgrade",
] as const;
export type LifecycleHook = (typeof LIFECYCLE_HOOKS)[number];

export const SECRET_HOOKS = ["secret-changed", "secret-expired", "secret-remove", "secret-rotate"] as const;
export type SecretHook = (typeof SECRET_HOOKS)[number];

export const RELATION_KINDS = ["created", "joined", "changed", "departed", "broken"] as const;
export type RelationKind = (typeof RELATION_KINDS)[number];

export const WORKLOAD_KINDS = ["pebble-ready", "pebble-custom-notice", "pebble-check-failed", "pebble-check-recovered"] as const;
export type WorkloadKind = (typeof WORKLOAD_KINDS)[number];

export const STORAGE_KINDS = ["attached", "detaching"] as const;
export type StorageKind = (typeof STORAGE_KINDS)[number];

export interface LifecycleEvent {
  kind: "lifecycle";
  hook: LifecycleHook;
}

export interface SecretEvent {
  kind: "secret";
  hook: SecretHook;
  /** As Juju gives it: `secret:<id>` or `secret://<model-uuid>/<id>`. */
  secretId: string;
  secretLabel: string | undefined;
  secretRevision: number | undefined;
}

export interface RelationEvent {
  kind: "relation";
  hook: string;
  relationKind: RelationKind;
  endpoint: RelationEndpointMeta;
  relationId: number;
  remoteApp: string | undefined;
  /** Undefined for created/broken and for changed caused by the remote application databag. */
  remoteUnit: string | undefined;
  departingUnit: string | undefined;
}

export interface WorkloadEvent {
  kind: "workload";
  hook: string;
  workloadKind: WorkloadKind;
  container: string;
  notice: { id: string; type: string; key: string } | undefined;
  checkName: string | undefined;
}

export interface StorageEvent {
  kind: "storage";
  hook: string;
  storageKind: StorageKind;
  storage: string;
  storageId: string | undefined;
  location: string | undefined;
}

export interface ActionEvent {
  kind: "action";
  action: string;
  actionUuid: string | undefined;
}

export interface UnknownEvent {
  kind: "unknown";
  dispatchPath: string;
}

export type JujuEvent = LifecycleEvent | SecretEvent | RelationEvent | WorkloadEvent | StorageEvent | ActionEvent | UnknownEvent;

/** The event of this dispatch. Throws JujuContextError when a declared event lacks the variables Juju always sets for it. */
export function parseEvent(context: JujuContext, meta: CharmMeta): JujuEvent {
  const path = context.dispatchPath;
  const unknown: UnknownEvent = { kind: "unknown", dispatchPath: path };
  if (path.startsWith("actions/")) {
    const action = path.slice("actions/".length);
    return action in meta.actions ? { kind: "action", action, actionUuid: context.actionUuid } : unknown;
  }
  if (!path.startsWith("hooks/")) return unknown;
  const hook = path.slice("hooks/".length);

  if (includes(LIFECYCLE_HOOKS, hook)) return { kind: "lifecycle", hook };
  if (includes(SECRET_HOOKS, hook)) {
    return {
      kind: "secret",
      hook,
      secretId: required(context.secretId, "JUJU_SECRET_ID", hook),
      secretLabel: context.secretLabel,
      secretRevision: context.secretRevision,
    };
  }
  for (const relationKind of RELATION_KINDS) {
    const endpoint = meta.metadata.relations[prefix(hook, `-relation-${relationKind}`) ?? ""];
    if (!endpoint) continue;
    return {
      kind: "relation",
      hook,
      relationKind,
      endpoint,
      relationId: required(context.relationId, "JUJU_RELATION_ID", hook),
      remoteApp: context.remoteApp,
      remoteUnit: context.remoteUnit,
      departingUnit: context.departingUnit,
    };
  }
  for (const workloadKind of WORKLOAD_KINDS) {
    const container = prefix(hook, `-${workloadKind}`);
    if (container === undefined || !(container in meta.metadata.containers)) continue;
    const notice = workloadKind === "pebble-custom-notice"
      ? {
          id: required(context.noticeId, "JUJU_NOTICE_ID", hook),
          type: required(context.noticeType, "JUJU_NOTICE_TYPE", hook),
          key: required(context.noticeKey, "JUJU_NOTICE_KEY", hook),
        }
      : undefined;
    const checkName = workloadKind === "pebble-check-failed" || workloadKind === "pebble-check-recovered"
      ? required(context.pebbleCheckName, "JUJU_PEBBLE_CHECK_NAME", hook)
      : undefined;
    return { kind: "workload", hook, workloadKind, container, notice, checkName };
  }
  for (const storageKind of STORAGE_KINDS) {
    const storage = prefix(hook, `-storage-${storageKind}`);
    if (storage === undefined || !(storage in meta.metadata.storage)) continue;
    return { kind: "storage", hook, storageKind, storage, storageId: context.storageId, location: context.storageLocation };
  }
  return unknown;
}

function includes<T extends string>(values: readonly T[], value: string): value is T {
  return (values as readonly string[]).includes(value);
}

/** The part of `hook` before `suffix`, or undefined when it does not end with it (or nothing precedes it). */
function prefix(hook: string, suffix: string): string | undefined {
  return hook.endsWith(suffix) && hook.length > suffix.length ? hook.slice(0, -suffix.length) : undefined;
}

function required<T>(value: T | undefined, variable: string, hook: string): T {
  if (value === undefined) throw new JujuContextError(`${variable} is not set for the ${hook} hook; Juju always sets it for this event`);
  return value;
}
