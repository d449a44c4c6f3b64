// config-changed that changes nothing, on an active unit with PostgreSQL and ingress related: the event
// the Python reference spends 1-4 s of CPU, 10-60 hook-tool calls and up to 33 Pebble requests on.
// Targets: <= 0.12 s charm CPU, <= 18 hook-tool calls, <= 3 Pebble requests, 0 restarts or reloads.
// Pebble requests are counted by a proxy on the socket the charm connects to, so the charm is measured
// unmodified. Its CPU is its own process's CPU clock (bench/childUsage.py): the hook tools it starts are
// the simulator's cost (Node processes here, Go in Juju), not the charm's. Its peak RSS is read at its exit
// (bench/childUsage.py); the largest of the charm's and its tools' is printed beside it.
// The stand-in app listens on its port, so the charm's ready check stays up and the unit active (the
// bench prints the status after the runs).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createConnection, createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dispatch } from "../simulator/driver.ts";
import { readCalls } from "../simulator/hookTools/callLog.ts";
import { installHookTools } from "../simulator/hookTools/install.ts";
import { ingressProvider } from "../simulator/providers/ingress.ts";
import { postgresqlProvider } from "../simulator/providers/postgresql.ts";
import { freePort, startPostgres } from "../simulator/servers/postgres.ts";
import { Simulation } from "../simulator/simulation.ts";
import { PebbleClient } from "../src/pebble/client.ts";
import type { PebbleDaemon } from "../tests/support/pebble.ts";
import { measuredCommand, median, readMeasurement } from "./measure.ts";
import { benchContainers } from "./workloads.ts";

const UNIT = "example-app/0";

export interface ConfigChangedFigures {
  wallMs: number[];
  cpuMs: number[];
  /** CPU of the hook tools the charm ran (the simulator's): the charm's process tree less the charm. */
  toolsCpuMs: number[];
  maxRssKb: number;
  /** The charm's own peak RSS; undefined where ptrace is not allowed. */
  charmMaxRssKb: number | undefined;
  hookToolCalls: number;
  pebbleRequests: number;
  restarts: number;
  /** The unit's status after the runs (it was active before them). */
  statusAfter: string;
}

export async function benchConfigChanged(charmPath: string, runs = 10): Promise<ConfigChangedFigures> {
  const dir = mkdtempSync(join(tmpdir(), "bench-config-"));
  const daemons: PebbleDaemon[] = [];
  const postgres = await startPostgres();
  let proxy: CountingProxy | undefined;
  try {
    const toolsDir = join(dir, "tools");
    installHookTools(toolsDir, "bundle");
    const appScript = join(dir, "app.py");
    writeFileSync(appScript, STAND_IN_APP);
    const containers = benchContainers(daemons, standInRockLayer(appScript));
    const simulation = new Simulation({ dir: join(dir, "model"), modelName: "bench", toolsDir, containers });
    await simulation.deployCharm("example-app", charmPath, { config: { "app-port": await freePort() } });
    await simulation.deployScripted(postgresqlProvider(postgres));
    await simulation.integrate({ app: "example-app", endpoint: "postgresql" }, { app: "postgresql-k8s", endpoint: "database" });
    await simulation.deployScripted(ingressProvider());
    await simulation.integrate({ app: "example-app", endpoint: "ingress" }, { app: "traefik-k8s", endpoint: "ingress" });
    const status = simulation.model().units[UNIT]!.status;
    if (status.status !== "active") throw new Error(`the unit is ${status.status} (${status.message}), not active: nothing to measure`);

    const runtime = simulation.runtimeOf(UNIT);
    const realSocket = join(runtime.containersDir, "app", "pebble.socket");
    const proxyDir = join(dir, "proxied");
    mkdirSync(join(proxyDir, "app"), { recursive: true });
    proxy = await countingProxy(join(proxyDir, "app", "pebble.socket"), realSocket);
    const pebble = new PebbleClient({ socketPath: realSocket });
    const changesBefore = await changeCount(pebble);
    const [serviceBefore] = await pebble.getServices(["expressjs"]);

    const figures: ConfigChangedFigures = { wallMs: [], cpuMs: [], toolsCpuMs: [], maxRssKb: 0, charmMaxRssKb: undefined, hookToolCalls: 0, pebbleRequests: 0, restarts: 0, statusAfter: "" };
    const report = join(dir, "usage.json");
    for (let i = 0; i < runs; i++) {
      proxy.requests = 0;
      const result = await dispatch(
        { ...runtime, containersDir: proxyDir, commandPrefix: measuredCommand(report) },
        { kind: "lifecycle", hook: "config-changed" },
      );
      if (result.exitCode !== 0) throw new Error(`config-changed failed: ${result.stderr}`);
      const usage = readMeasurement(report, result.exitCode);
      figures.wallMs.push(usage.wallMs);
      figures.cpuMs.push(usage.cpuMs);
      figures.toolsCpuMs.push(usage.treeCpuMs - usage.cpuMs);
      figures.maxRssKb = Math.max(figures.maxRssKb, usage.maxRssKb);
      if (usage.ownMaxRssKb !== undefined) figures.charmMaxRssKb = Math.max(figures.charmMaxRssKb ?? 0, usage.ownMaxRssKb);
      figures.hookToolCalls = Math.max(figures.hookToolCalls, readCalls(simulation.modelPath, result.contextId).length);
      figures.pebbleRequests = Math.max(figures.pebbleRequests, proxy.requests);
    }
    const [serviceAfter] = await pebble.getServices(["expressjs"]);
    figures.restarts = (await changeCount(pebble)) - changesBefore + (serviceAfter?.currentSince === serviceBefore?.currentSince ? 0 : 1);
    // Host Pebbles share /app/state (the charm's workload state) with every other host-Pebble run on the
    // machine, so the rock command the charm keeps may be another run's stand-in that does not listen.
    const after = simulation.model().units[UNIT]!.status;
    figures.statusAfter = after.message ? `${after.status} (${after.message})` : after.status;
    await simulation.destroy();
    return figures;
  } finally {
    proxy?.server.close();
    for (const daemon of daemons) await daemon.stop().catch(() => undefined);
    await postgres.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function reportConfigChanged(charmPath: string): Promise<void> {
  const f = await benchConfigChanged(charmPath);
  console.log(`config-changed changing nothing, active unit with PostgreSQL and ingress (${f.wallMs.length} runs)`);
  console.log(`  wall time        median ${median(f.wallMs).toFixed(1)} ms   max ${Math.max(...f.wallMs).toFixed(1)} ms`);
  console.log(`  charm CPU        median ${median(f.cpuMs).toFixed(1)} ms   max ${Math.max(...f.cpuMs).toFixed(1)} ms   (target: <= 120 ms)`);
  console.log(`  hook tools' CPU  median ${median(f.toolsCpuMs).toFixed(1)} ms   (the simulator's, not counted above)`);
  console.log(`  hook-tool calls  ${f.hookToolCalls}   (target: <= 18)`);
  console.log(`  Pebble requests  ${f.pebbleRequests}   (target: <= 3)`);
  console.log(`  restarts/changes ${f.restarts}   (target: 0)`);
  console.log(`  unit status      active before the runs, ${f.statusAfter} after`);
  const charmRss = f.charmMaxRssKb === undefined ? "not readable (no ptrace)" : `${(f.charmMaxRssKb / 1024).toFixed(1)} MB`;
  console.log(`  charm peak RSS   max ${charmRss}   (target: <= 60 MB; with its hook tools: ${(f.maxRssKb / 1024).toFixed(1)} MB)`);
}

/** The app of the stand-in rock: accepts connections on $PORT (what the charm's ready check tries). */
const STAND_IN_APP = [
  "import os, socket",
  "server = socket.create_server((\"127.0.0.1\", int(os.environ[\"PORT\"])))",
  "while True:",
  "    server.accept()[0].close()",
  "",
].join("\n");

function standInRockLayer(appScript: string): string {
  return [
    "summary: stand-in rock", "services:", "  expressjs:", "    override: replace", "    startup: enabled",
    `    command: /usr/bin/python3 ${appScript}`, "",
  ].join("\n");
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

async function changeCount(pebble: PebbleClient): Promise<number> {
  return (await pebble.requestSync<unknown[]>("GET", "/v1/changes", { query: { select: "all" } })).length;
}
