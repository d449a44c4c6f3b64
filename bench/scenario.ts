// The unit every event benchmark runs on: example-app/0, leader, active, with PostgreSQL and ingress related,
// in its pod on a real kube-apiserver, its workload a real Pebble in a workload container of its own whose
// stand-in app answers HTTP on its port (so the ready check is up). Each measured event is dispatched straight to the charm, as Juju would, and
// yields the charm's own CPU and peak RSS (bench/childUsage.py: the hook tools it starts are the
// simulator's cost, not the charm's), its hook-tool calls (the simulator's call log), its Pebble requests
// (a counting proxy on the socket the charm connects to) and its Kubernetes requests (the API server's
// audit log, for the charm's service account).
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createConnection, createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startRoutedContainer } from "../simulator/controller/defaultWorkloads.ts";
import { dispatch, type UnitRuntime } from "../simulator/driver.ts";
import type { SimEvent } from "../simulator/events.ts";
import { readCalls } from "../simulator/hookTools/callLog.ts";
import { installHookTools } from "../simulator/hookTools/install.ts";
import { updateModel, type Model } from "../simulator/model.ts";
import { ingressProvider } from "../simulator/providers/ingress.ts";
import { postgresqlProvider } from "../simulator/providers/postgresql.ts";
import { startKubernetes, type KubernetesServer } from "../simulator/servers/kubernetes.ts";
import { startPostgres, type PostgresServer } from "../simulator/servers/postgres.ts";
import { Simulation, type ContainerFactory } from "../simulator/simulation.ts";
import { PebbleClient } from "../pebble/client.ts";
import { standInRock } from "../tests/charm/support.ts";
import { measuredCommand, readMeasurement } from "./measure.ts";
import { spread, type Spread } from "./stats.ts";

export const UNIT = "example-app/0";
const MODEL = "bench";

export interface EventFigures {
  runs: number;
  cpuMs: Spread;
  wallMs: Spread;
  /** The charm's own peak RSS (MB); undefined where ptrace is not allowed. */
  rssMb: Spread | undefined;
  hookToolCalls: Spread;
  pebbleRequests: Spread;
  kubernetesRequests: Spread;
}

export interface BenchUnit {
  simulation: Simulation;
  /** The charm's Pebble (not through the counting proxy). */
  pebble: PebbleClient;
  cluster: KubernetesServer;
  /** Dispatches `event` `runs` times; `before(i)` runs unmeasured before run i (to change the model). */
  measure(event: SimEvent, runs: number, before?: (run: number) => void | Promise<void>): Promise<EventFigures>;
  /** Edits the model as another party would, without dispatching anything. */
  edit<T>(change: (model: Model) => T): T;
  stop(): Promise<void>;
}

export async function startBenchUnit(charmPath: string): Promise<BenchUnit> {
  const dir = mkdtempSync(join(tmpdir(), "bench-unit-"));
  let simulation: Simulation | undefined;
  let postgres: PostgresServer | undefined;
  let cluster: KubernetesServer | undefined;
  let proxy: CountingProxy | undefined;
  const stop = async () => {
    proxy?.server.close();
    await simulation?.destroy();
    await Promise.all([postgres?.stop(), cluster?.stop()]);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    [cluster, postgres] = await Promise.all([startKubernetes(), startPostgres()]);
    const toolsDir = join(dir, "tools");
    installHookTools(toolsDir, "bundle");
    const containers: ContainerFactory = async (unit, container, socketDir) => {
      const workload = await startRoutedContainer({ unitName: unit, containerName: container, rock: standInRock(), socketDir, workDir: join(dir, "work", container) });
      return workload.handle;
    };
    const sim = new Simulation({ dir: join(dir, "model"), modelName: MODEL, toolsDir, containers, kubernetes: cluster });
    simulation = sim;
    await sim.deployCharm("example-app", charmPath);
    await sim.deployScripted(postgresqlProvider(postgres));
    await sim.integrate({ app: "example-app", endpoint: "postgresql" }, { app: "postgresql-k8s", endpoint: "database" });
    await sim.deployScripted(ingressProvider());
    await sim.integrate({ app: "example-app", endpoint: "ingress" }, { app: "traefik-k8s", endpoint: "ingress" });
    const status = sim.model().units[UNIT]!.status;
    if (status.status !== "active") throw new Error(`the unit is ${status.status} (${status.message}), not active: nothing to measure`);

    const runtime = sim.runtimeOf(UNIT);
    const realSocket = join(runtime.containersDir, "app", "pebble.socket");
    const proxyDir = join(dir, "proxied");
    mkdirSync(join(proxyDir, "app"), { recursive: true });
    const counting = await countingProxy(join(proxyDir, "app", "pebble.socket"), realSocket);
    proxy = counting;
    const measured: UnitRuntime = { ...runtime, containersDir: proxyDir, commandPrefix: measuredCommand(join(dir, "usage.json")) };
    const serviceAccount = `system:serviceaccount:${MODEL}:example-app`;
    const kube = cluster;
    return {
      simulation: sim, cluster: kube, pebble: new PebbleClient({ socketPath: realSocket }), stop,
      edit: (change) => updateModel(sim.modelPath, change),
      async measure(event, runs, before) {
        const samples = { cpuMs: [] as number[], wallMs: [] as number[], rssMb: [] as number[], calls: [] as number[], pebble: [] as number[], kube: [] as number[] };
        for (let i = 0; i < runs; i++) {
          await before?.(i);
          counting.requests = 0;
          const kubeBefore = kube.requestsBy(serviceAccount).length;
          const result = await dispatch(measured, event);
          if (result.exitCode !== 0) throw new Error(`${describe(event)} failed: ${result.stderr}`);
          const usage = readMeasurement(join(dir, "usage.json"), result.exitCode);
          samples.cpuMs.push(usage.cpuMs);
          samples.wallMs.push(usage.wallMs);
          if (usage.ownMaxRssKb !== undefined) samples.rssMb.push(usage.ownMaxRssKb / 1024);
          samples.calls.push(readCalls(sim.modelPath, result.contextId).length);
          samples.pebble.push(counting.requests);
          samples.kube.push(kube.requestsBy(serviceAccount).length - kubeBefore);
        }
        return {
          runs, cpuMs: spread(samples.cpuMs), wallMs: spread(samples.wallMs), rssMb: samples.rssMb.length ? spread(samples.rssMb) : undefined,
          hookToolCalls: spread(samples.calls), pebbleRequests: spread(samples.pebble), kubernetesRequests: spread(samples.kube),
        };
      },
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

function describe(event: SimEvent): string {
  if (event.kind === "relation") return `${event.endpoint}-relation-${event.hook}`;
  if (event.kind === "workload") return `${event.container}-${event.hook}`;
  return "hook" in event ? event.hook : event.kind;
}

interface CountingProxy {
  server: Server;
  requests: number;
}

/** Forwards a Unix socket to Pebble's and counts the HTTP requests (and websocket upgrades) going through. */
function countingProxy(listenPath: string, targetPath: string): Promise<CountingProxy> {
  const state: CountingProxy = { server: createServer(), requests: 0 };
  state.server.on("connection", (client) => {
    const upstream = createConnection(targetPath);
    client.on("data", (chunk: Buffer) => {
      state.requests += (chunk.toString("latin1").match(/^(GET|POST|PUT|DELETE) \S+ HTTP\/1\.1\r$/gm) ?? []).length;
    });
    client.pipe(upstream).pipe(client);
    client.on("error", () => upstream.destroy());
    upstream.on("error", () => client.destroy());
  });
  return new Promise((resolve) => state.server.listen(listenPath, () => resolve(state)));
}
