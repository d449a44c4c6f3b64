// The dispatch's JUJU_* environment (docs/juju-contract.md §1.3) as one typed, validated object.
// Empty strings become undefined, as ops does: Juju exports some variables empty on purpose
// (JUJU_REMOTE_UNIT in relation-created/-broken and app-databag relation-changed).
import { parseJujuVersion, type JujuVersion } from "./version.ts";

export interface JujuContext {
  /** `hooks/<hook>` or `actions/<action>`. */
  dispatchPath: string;
  /** The hook name; undefined for actions (Juju exports it empty). */
  hookName: string | undefined;
  unitName: string;
  appName: string;
  unitNumber: number;
  modelName: string;
  modelUuid: string;
  charmDir: string;
  version: JujuVersion;

  /** Relation hooks: the endpoint name. */
  relationName: string | undefined;
  /** Relation hooks: the integer after the last `:` of JUJU_RELATION_ID (`db:3` → 3). */
  relationId: number | undefined;
  remoteApp: string | undefined;
  remoteUnit: string | undefined;
  /** relation-departed: the unit leaving (may be this unit). */
  departingUnit: string | undefined;

  actionName: string | undefined;
  actionUuid: string | undefined;

  /** Workload (pebble-*) hooks: the container name. */
  workloadName: string | undefined;
  noticeId: string | undefined;
  noticeType: string | undefined;
  noticeKey: string | undefined;
  pebbleCheckName: string | undefined;

  secretId: string | undefined;
  secretLabel: string | undefined;
  secretRevision: number | undefined;

  /** Storage hooks: `<name>/<n>`. */
  storageId: string | undefined;
  storageLocation: string | undefined;
  storageKind: string | undefined;

  /** The model's juju-http(s)-proxy / juju-no-proxy settings, meant for the workload. */
  proxy: { http: string | undefined; https: string | undefined; noProxy: string | undefined };
  /** The in-cluster Kubernetes API (only K8s units have it). */
  kubernetes: { serviceHost: string; servicePort: string } | undefined;
}

export class JujuContextError extends Error {
  override name = "JujuContextError";
}

type Env = Record<string, string | undefined>;

const REQUIRED = ["JUJU_DISPATCH_PATH", "JUJU_UNIT_NAME", "JUJU_MODEL_NAME", "JUJU_MODEL_UUID", "JUJU_VERSION"] as const;

/** Reads the context from `env` (default: this process's environment); throws JujuContextError if it is not a Juju dispatch. */
export function readJujuContext(env: Env = process.env): JujuContext {
  const missing: string[] = REQUIRED.filter((name) => !env[name]);
  const charmDir = optional(env, "JUJU_CHARM_DIR") ?? optional(env, "CHARM_DIR");
  if (!charmDir) missing.push("JUJU_CHARM_DIR");
  if (missing.length || !charmDir) {
    throw new JujuContextError(
      `not running as a Juju hook: ${missing.join(", ")} ${missing.length === 1 ? "is" : "are"} not set; ` +
        "the charm is started by Juju through dispatch (to run it by hand, export the JUJU_* variables Juju sets)",
    );
  }
  const unitName = env.JUJU_UNIT_NAME!;
  const unitMatch = /^(.+)\/(\d+)$/.exec(unitName);
  if (!unitMatch) throw new JujuContextError(`JUJU_UNIT_NAME ${JSON.stringify(unitName)} is not of the form <app>/<number>`);
  let version: JujuVersion;
  try {
    version = parseJujuVersion(env.JUJU_VERSION!);
  } catch (error) {
    throw new JujuContextError((error as Error).message);
  }
  const kubernetesHost = optional(env, "KUBERNETES_SERVICE_HOST");
  const kubernetesPort = optional(env, "KUBERNETES_SERVICE_PORT");
  return {
    dispatchPath: env.JUJU_DISPATCH_PATH!,
    hookName: optional(env, "JUJU_HOOK_NAME"),
    unitName,
    appName: unitMatch[1]!,
    unitNumber: Number(unitMatch[2]),
    modelName: env.JUJU_MODEL_NAME!,
    modelUuid: env.JUJU_MODEL_UUID!,
    charmDir,
    version,
    relationName: optional(env, "JUJU_RELATION"),
    relationId: relationId(optional(env, "JUJU_RELATION_ID")),
    remoteApp: optional(env, "JUJU_REMOTE_APP"),
    remoteUnit: optional(env, "JUJU_REMOTE_UNIT"),
    departingUnit: optional(env, "JUJU_DEPARTING_UNIT"),
    actionName: optional(env, "JUJU_ACTION_NAME"),
    actionUuid: optional(env, "JUJU_ACTION_UUID"),
    workloadName: optional(env, "JUJU_WORKLOAD_NAME"),
    noticeId: optional(env, "JUJU_NOTICE_ID"),
    noticeType: optional(env, "JUJU_NOTICE_TYPE"),
    noticeKey: optional(env, "JUJU_NOTICE_KEY"),
    pebbleCheckName: optional(env, "JUJU_PEBBLE_CHECK_NAME"),
    secretId: optional(env, "JUJU_SECRET_ID"),
    secretLabel: optional(env, "JUJU_SECRET_LABEL"),
    secretRevision: integer(env, "JUJU_SECRET_REVISION"),
    storageId: optional(env, "JUJU_STORAGE_ID"),
    storageLocation: optional(env, "JUJU_STORAGE_LOCATION"),
    storageKind: optional(env, "JUJU_STORAGE_KIND"),
    proxy: {
      http: optional(env, "JUJU_CHARM_HTTP_PROXY"),
      https: optional(env, "JUJU_CHARM_HTTPS_PROXY"),
      noProxy: optional(env, "JUJU_CHARM_NO_PROXY"),
    },
    kubernetes: kubernetesHost && kubernetesPort ? { serviceHost: kubernetesHost, servicePort: kubernetesPort } : undefined,
  };
}

function optional(env: Env, name: string): string | undefined {
  return env[name] || undefined;
}

function relationId(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const id = text.slice(text.lastIndexOf(":") + 1);
  if (!/^\d+$/.test(id)) throw new JujuContextError(`JUJU_RELATION_ID ${JSON.stringify(text)} does not end in :<number>`);
  return Number(id);
}

function integer(env: Env, name: string): number | undefined {
  const text = optional(env, name);
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) throw new JujuContextError(`${name} ${JSON.stringify(text)} is not a whole number`);
  return Number(text);
}
