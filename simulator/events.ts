// The Juju events the simulator can deliver, and exactly the environment Juju's uniter builds for each
// (docs/juju-contract.md §1.1, §1.3): built from scratch, never inherited from the simulator's own process.
import type { Model } from "./model.ts";

export type LifecycleHook =
  | "install" | "start" | "stop" | "remove" | "config-changed" | "upgrade-charm" | "update-status"
  | "leader-elected" | "leader-settings-changed";
export type RelationHook = "created" | "joined" | "changed" | "departed" | "broken";
export type WorkloadHook = "pebble-ready" | "pebble-custom-notice" | "pebble-check-failed" | "pebble-check-recovered";
export type SecretHook = "secret-changed" | "secret-expired" | "secret-remove" | "secret-rotate";

export type SimEvent =
  | { kind: "lifecycle"; hook: LifecycleHook }
  | { kind: "relation"; hook: RelationHook; relationId: number; endpoint: string; remoteApp: string;
      /** Empty for -created, -broken and app-databag -changed, as Juju leaves it. */
      remoteUnit?: string; departingUnit?: string }
  | { kind: "workload"; hook: WorkloadHook; container: string; checkName?: string;
      notice?: { id: string; type: string; key: string } }
  | { kind: "secret"; hook: SecretHook; secretId: string; label?: string; revision?: number }
  | { kind: "action"; name: string; id: string };

/** The hook name Juju runs (`hooks/<name>`), or the action name (`actions/<name>`). */
export function dispatchPath(event: SimEvent): string {
  switch (event.kind) {
    case "lifecycle": return `hooks/${event.hook}`;
    case "relation": return `hooks/${event.endpoint}-relation-${event.hook}`;
    case "workload": return `hooks/${event.container}-${event.hook}`;
    case "secret": return `hooks/${event.hook}`;
    case "action": return `actions/${event.name}`;
  }
}

export interface UnitEnvironment {
  model: Model;
  unit: string;
  charmDir: string;
  contextId: string;
  /** Directory holding the simulator's hook tools: first on PATH, as Juju puts its tools dir first. */
  toolsDir: string;
  /**
   * Where the hook tools reach the unit's agent: in Juju a socket, here the model file that plays the
   * agent (JUJU_AGENT_SOCKET_ADDRESS, `@<path>` as Juju writes abstract socket names).
   */
  agentAddress: string;
  /** Proxy settings of the model (`juju-http-proxy`, ...), exported even when empty. */
  proxy?: { http?: string; https?: string; ftp?: string; no?: string };
  /** Set when the unit runs "in" a Kubernetes cluster the simulator started. */
  kubernetes?: { host: string; port: string };
}

const HOST_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

export function hookEnvironment(event: SimEvent, at: UnitEnvironment): Record<string, string> {
  const path = dispatchPath(event);
  const env: Record<string, string> = {
    APT_LISTCHANGES_FRONTEND: "none",
    DEBIAN_FRONTEND: "noninteractive",
    LANG: "C.UTF-8",
    TERM: "tmux-256color",
    PATH: `${at.toolsDir}:${HOST_PATH}`,
    JUJU_UNIT_NAME: at.unit,
    JUJU_MODEL_NAME: at.model.name,
    JUJU_MODEL_UUID: at.model.uuid,
    JUJU_CHARM_DIR: at.charmDir,
    CHARM_DIR: at.charmDir,
    JUJU_VERSION: at.model.jujuVersion,
    JUJU_CONTEXT_ID: at.contextId,
    JUJU_AGENT_SOCKET_ADDRESS: `@${at.agentAddress}`,
    JUJU_AGENT_SOCKET_NETWORK: "unix",
    JUJU_API_ADDRESSES: "127.0.0.1:17070",
    JUJU_MACHINE_ID: "",
    JUJU_PRINCIPAL_UNIT: "",
    JUJU_AVAILABILITY_ZONE: "",
    CLOUD_API_VERSION: "1.31.4",
    JUJU_CHARM_HTTP_PROXY: at.proxy?.http ?? "",
    JUJU_CHARM_HTTPS_PROXY: at.proxy?.https ?? "",
    JUJU_CHARM_FTP_PROXY: at.proxy?.ftp ?? "",
    JUJU_CHARM_NO_PROXY: at.proxy?.no ?? "",
    JUJU_HOOK_NAME: event.kind === "action" ? "" : path.slice("hooks/".length),
  };
  if (at.kubernetes) {
    const { host, port } = at.kubernetes;
    Object.assign(env, {
      KUBERNETES_SERVICE_HOST: host, KUBERNETES_SERVICE_PORT: port, KUBERNETES_SERVICE_PORT_HTTPS: port,
      KUBERNETES_PORT: `tcp://${host}:${port}`, KUBERNETES_PORT_443_TCP: `tcp://${host}:${port}`,
      KUBERNETES_PORT_443_TCP_ADDR: host, KUBERNETES_PORT_443_TCP_PORT: port, KUBERNETES_PORT_443_TCP_PROTO: "tcp",
    });
  }
  switch (event.kind) {
    case "relation":
      env.JUJU_RELATION = event.endpoint;
      env.JUJU_RELATION_ID = `${event.endpoint}:${event.relationId}`;
      env.JUJU_REMOTE_APP = event.remoteApp;
      env.JUJU_REMOTE_UNIT = event.remoteUnit ?? "";
      if (event.hook === "departed") env.JUJU_DEPARTING_UNIT = event.departingUnit ?? event.remoteUnit ?? "";
      break;
    case "workload":
      env.JUJU_WORKLOAD_NAME = event.container;
      if (event.notice) {
        env.JUJU_NOTICE_ID = event.notice.id;
        env.JUJU_NOTICE_TYPE = event.notice.type;
        env.JUJU_NOTICE_KEY = event.notice.key;
      }
      if (event.checkName) env.JUJU_PEBBLE_CHECK_NAME = event.checkName;
      break;
    case "secret":
      env.JUJU_SECRET_ID = event.secretId.startsWith("secret:") ? event.secretId : `secret:${event.secretId}`;
      env.JUJU_SECRET_LABEL = event.label ?? "";
      if (event.revision !== undefined && event.revision > 0) env.JUJU_SECRET_REVISION = String(event.revision);
      break;
    case "action":
      env.JUJU_ACTION_NAME = event.name;
      env.JUJU_ACTION_UUID = event.id;
      env.JUJU_ACTION_TAG = `action-${event.id}`;
      break;
    case "lifecycle":
      break;
  }
  env.JUJU_DISPATCH_PATH = path;
  return env;
}
