// npm run real-juju -- up|down|status|env
//   up      builds what is missing (cached in ~/.cache/paas-charm-ts/real-juju), starts a single-node Kubernetes
//           with its state in .cache/real-juju, imports the images Juju asks for, bootstraps a Juju 4.1 controller
//   down    stops every process `up` started, removes the bridge, the cluster's iptables chains, the pods'
//           network namespaces and mounts, and the runtime state (builds and imported images are kept)
//   status  what runs, and the controller's models
//   env     the exports that point juju (and tests/integration: JUJU_CLI) at the controller: eval "$(… env)"
import { existsSync } from "node:fs";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { bootstrap, juju, jujuEnv, packControllerCharm } from "./bootstrap.ts";
import { ensureBuilds } from "./builds.ts";
import { ensureCerts } from "./certs.ts";
import { applyClusterObjects, CLUSTER_PROCESSES, startContainerd, startControlPlane, startNode, stopCluster } from "./cluster.ts";
import { ensureImages, importImages } from "./images.ts";
import { NETWORK, state, stateDir } from "./layout.ts";
import { clusterIptablesChains, createNetwork, mountsUnder, removeNetwork } from "./network.ts";
import { checkPrerequisites } from "./prerequisites.ts";
import { runningPid } from "./processes.ts";
import { step, StepError } from "./steps.ts";

const commands: Record<string, () => Promise<void>> = { up, down, status, env };

async function up(): Promise<void> {
  const started = Date.now();
  await step("prerequisites", checkPrerequisites);
  await ensureBuilds();
  const images = await step("build-images", ensureImages);
  await step("pack-controller-charm", packControllerCharm);
  await step("certificates", ensureCerts);
  await step("network", createNetwork);
  await step("control-plane", startControlPlane);
  await step("containerd", startContainerd);
  await step("import-images", (log) => importImages(log, images));
  await step("node", startNode);
  await step("cluster-objects", applyClusterObjects);
  await step("bootstrap", bootstrap);
  console.log(`real-juju: up in ${((Date.now() - started) / 1000).toFixed(0)} s; to use it: eval "$(npm run --silent real-juju -- env)"`);
}

async function down(): Promise<void> {
  await step("stop-cluster", stopCluster);
  await step("remove-network", removeNetwork);
  // Runtime state goes; containerd's root (the imported images) and the certificates stay for the next `up`.
  for (const dir of [state.etcd, state.pods, state.volumes, state.cni, state.jujuData, state.pids, join(state.containerd, "state")]) {
    await rm(dir, { recursive: true, force: true });
  }
  const left = await leftovers();
  if (left.length) throw new StepError(`real-juju: down left behind: ${left.join("; ")}`);
  console.log("real-juju: down");
}

/** What `down` must have removed: processes, the bridge, iptables chains, mounts. */
async function leftovers(): Promise<string[]> {
  const left: string[] = [];
  for (const name of CLUSTER_PROCESSES) if (runningPid(name)) left.push(`process ${name}`);
  if (existsSync(`/sys/class/net/${NETWORK.bridge}`)) left.push(`bridge ${NETWORK.bridge}`);
  left.push(...(await clusterIptablesChains()).map((chain) => `iptables chain ${chain}`));
  left.push(...(await mountsUnder(stateDir)).map((point) => `mount ${point}`));
  return left;
}

async function status(): Promise<void> {
  for (const name of CLUSTER_PROCESSES) console.log(`${name}: ${runningPid(name) ? `running (pid ${runningPid(name)})` : "stopped"}`);
  if (!runningPid("kube-apiserver")) return;
  console.log(await juju("/dev/null", ["status", "-m", "controller"]).catch((error: Error) => `juju status: ${error.message}`));
}

async function env(): Promise<void> {
  for (const [name, value] of Object.entries(jujuEnv())) console.log(`export ${name}='${value}'`);
}

const command = commands[process.argv[2] ?? ""];
if (!command) {
  console.error(`usage: npm run real-juju -- ${Object.keys(commands).join("|")}`);
  process.exit(2);
}
try {
  await command();
} catch (error) {
  console.error(error instanceof StepError ? error.message : error);
  process.exit(1);
}
