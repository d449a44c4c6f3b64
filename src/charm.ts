// The charm: routes each event. Every event but an action is one reconcile — observe Juju and the workload
// (observe.ts), plan every write with pure functions (plan.ts, src/paas), apply them (apply.ts) — as
// paas-charm 1.12.3 reconciles the whole workload on every event it observes (`paas_charm/charm.py`).
// Actions reconcile first, then do their own writes through apply.ts.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { actionFail, actionGet, actionSet, logger, secretInfoGet, type Juju } from "./juju/index.ts";
import { applyPlan, applyStatus, createSuperuser, rotateSecretKey } from "./apply.ts";
import { observe, observeStatus, SECRET_KEY_LABEL, type Observation } from "./observe.ts";
import { planEvent, type CharmSettings, type Plan } from "./plan.ts";
import { FRAMEWORKS, PAAS_CONFIG_FILE, PaasConfigError, RUNTIME_FILE, generateSecretKey, healthCheckName, parseCharmSettings, type UnitStatus } from "./paas/index.ts";
import type { PebbleClient } from "../pebble/client.ts";

const PEER_ENDPOINT = "secret-storage";

/** What the charm reaches outside Juju's hook tools: the workload container's Pebble. */
export interface CharmRuntime {
  pebble(container: string): PebbleClient;
}

export async function handleEvent(juju: Juju, runtime: CharmRuntime): Promise<number> {
  const containers = Object.keys(juju.meta.metadata.containers);
  if (containers.length !== 1) throw new Error(`metadata.yaml declares ${containers.length} containers (${containers.join(", ")}): a 12-factor charm has exactly one, the app's`);
  const event = juju.event;
  let settings: CharmSettings;
  try {
    const paasConfig = parseCharmSettings({ runtime: readCharmFile(juju, RUNTIME_FILE), paasConfig: readCharmFile(juju, PAAS_CONFIG_FILE) });
    settings = { framework: FRAMEWORKS[paasConfig.framework], paasConfig, container: containers[0]! };
  } catch (error) {
    if (!(error instanceof PaasConfigError)) throw error;
    // A file packed into the charm: no retry fixes it, only a refreshed charm.
    logger.error(`${error.message}: fix the file and refresh the charm`);
    if (event.kind === "action") await actionFail(error.message);
    else {
      const leader = await juju.isLeader();
      await applyStatus(await observeStatus(juju, leader), { status: "blocked", message: error.message }, leader);
    }
    return 0;
  }
  if (event.kind !== "action") await reconcile(juju, runtime, settings);
  else if (event.action === "rotate-secret-key") await rotateSecretKeyAction(juju, runtime, settings);
  else if (event.action === "create-superuser" && settings.framework.name === "django") await createSuperuserAction(juju, runtime, settings);
  else await actionFail(`this charm has no action ${JSON.stringify(event.action)}`);
  return 0;
}

interface Reconciled {
  plan: Plan;
  observation: Observation;
  status: UnitStatus;
}

/** One pass: observe, plan, apply. */
async function reconcile(juju: Juju, runtime: CharmRuntime, settings: CharmSettings, rotatedKey?: string): Promise<Reconciled> {
  const { framework, container } = settings;
  const event = juju.event;
  const observation = await observe(juju, {
    container, stateDir: framework.stateDir, appDir: framework.appDir, legacySecretKeyField: framework.legacySecretKeyField,
    pebble: runtime.pebble(container),
    // update-status runs the app's check at once, so an app that stopped answering is not Active for long.
    ...(event.kind === "lifecycle" && event.hook === "update-status" ? { refreshCheck: healthCheckName(framework.serviceName) } : {}),
  }, juju.meta.metadata.relations[PEER_ENDPOINT] ? PEER_ENDPOINT : undefined);
  const plan = planEvent(observation, { settings, context: juju.context, meta: juju.meta, ...(rotatedKey ? { rotatedKey } : {}) });
  const status = await applyPlan(juju, plan, observation, settings);
  return { plan, observation, status };
}

async function rotateSecretKeyAction(juju: Juju, runtime: CharmRuntime, settings: CharmSettings): Promise<void> {
  if (!(await juju.isLeader())) {
    await actionFail("only leader unit can rotate secret key");
    return;
  }
  const before = await reconcile(juju, runtime, settings);
  if (!before.plan.secretKey) {
    await actionFail("charm is still initializing");
    return;
  }
  const info = await secretInfoGet({ label: SECRET_KEY_LABEL }, juju.context.modelUuid);
  const value = generateSecretKey();
  await rotateSecretKey(info.id, value);
  await reconcile(juju, runtime, settings, value);
  await actionSet({ status: "success" });
}

async function createSuperuserAction(juju: Juju, runtime: CharmRuntime, settings: CharmSettings): Promise<void> {
  const params = await actionGet();
  const username = params.username;
  const email = params.email;
  if (typeof username !== "string" || !username || typeof email !== "string" || !email) {
    await actionFail("create-superuser needs the parameters username and email");
    return;
  }
  const { observation, plan, status } = await reconcile(juju, runtime, settings);
  // paas-charm fails the action here but goes on; an unready app has no database to create a user in.
  if (!observation.workload.reachable || !plan.env || status.status !== "active") {
    await actionFail("app container is not ready");
    return;
  }
  const created = await createSuperuser(observation.workload.pebble, settings.framework.appDir, plan.env, { username, email });
  if ("failure" in created) await actionFail(created.failure);
  else await actionSet({ password: created.password });
}

function readCharmFile(juju: Juju, name: string): string {
  try {
    return readFileSync(join(juju.context.charmDir, name), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return "";
    throw error;
  }
}
