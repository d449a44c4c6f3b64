// config-changed that changes nothing, on an active unit with PostgreSQL and ingress related: the event
// the Python reference spends 1-4 s of CPU, 10-60 hook-tool calls and up to 33 Pebble requests on.
// Targets: <= 0.12 s charm CPU, <= 18 hook-tool calls, <= 3 Pebble requests, 0 restarts or reloads.
// Pebble requests are counted by a proxy on the socket the charm connects to, so the charm is measured
// unmodified; its CPU and RSS come from /usr/bin/time around dispatch, less what the simulator's hook tools
// (Node processes here, Go in Juju) record for themselves. The RSS is the charm's when it exceeds every tool's.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createConnection, createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dispatch } from "../simulator/driver.ts";
import { readCalls } from "../simulator/hookTools/callLog.ts";
import { installHookTools } from "../simulator/hookTools/install.ts";
import { ingressProvider } from "../simulator/providers/ingress.ts";
import { postgresqlProvider } from "../simulator/providers/postgresql.ts";
import { startPostgres } from "../simulator/servers/postgres.ts";
import { Simulation } from "../simulator/simulation.ts";
import { PebbleClient } from "../src/pebble/client.ts";
import type { PebbleDaemon } from "../tests/support/pebble.ts";
import { median } from "./measure.ts";
import { benchContainers } from "./workloads.ts";

const UNIT = "example-app/0";

export interface ConfigChangedFigures {
  wallMs: number[];
  cpuMs: number[];
  maxRssKb: number;
  hookToolCalls: number;
  pebbleRequests: number;
  restarts: number;
}

export async function benchConfigChanged(charmPath: string, runs = 10): Promise<ConfigChangedFigures> {
  const dir = mkdtempSync(join(tmpdir(), "bench-config-"));
  const daemons: PebbleDaemon[] = [];
  const postgres = await startPostgres();
  let proxy: CountingProxy | undefined;
  try {
    const toolsDir = join(dir, "tools");
    installHookTools(toolsDir, "bundle");
    const containers = benchContainers(daemons);
    const simulation = new Simulation({ dir: join(dir, "model"), modelName: "bench", toolsDir, containers });
    await simulation.deployCharm("example-app", charmPath);
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

    const figures: ConfigChangedFigures = { wallMs: [], cpuMs: [], maxRssKb: 0, hookToolCalls: 0, pebbleRequests: 0, restarts: 0 };
    const timeReport = join(dir, "time");
    for (let i = 0; i < runs; i++) {
      proxy.requests = 0;
      const result = await dispatch(
        { ...runtime, containersDir: proxyDir, commandPrefix: ["/usr/bin/time", "-o", timeReport, "-f", "%U %S %M"] },
        { kind: "lifecycle", hook: "config-changed" },
      );
      if (result.exitCode !== 0) throw new Error(`config-changed failed: ${result.stderr}`);
      const [user, system, rss] = readFileSync(timeReport, "utf8").trim().split("\n").at(-1)!.split(" ").map(Number);
      // /usr/bin/time counts dispatch and every hook tool it waited for; the tools record their own share.
      const calls = readCalls(simulation.modelPath, result.contextId);
      const toolsCpuMs = calls.reduce((sum, call) => sum + (call.cpuMs ?? 0), 0);
      const toolsMaxRssKb = Math.max(0, ...calls.map((call) => call.maxRssKb ?? 0));
      figures.wallMs.push(result.durationMs);
      figures.cpuMs.push((user! + system!) * 1000 - toolsCpuMs);
      if (rss! > toolsMaxRssKb) figures.maxRssKb = Math.max(figures.maxRssKb, rss!);
      figures.hookToolCalls = Math.max(figures.hookToolCalls, calls.length);
      figures.pebbleRequests = Math.max(figures.pebbleRequests, proxy.requests);
    }
    const [serviceAfter] = await pebble.getServices(["expressjs"]);
    figures.restarts = (await changeCount(pebble)) - changesBefore + (serviceAfter?.currentSince === serviceBefore?.currentSince ? 0 : 1);
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
  console.log(`  hook-tool calls  ${f.hookToolCalls}   (target: <= 18)`);
  console.log(`  Pebble requests  ${f.pebbleRequests}   (target: <= 3)`);
  console.log(`  restarts/changes ${f.restarts}   (target: 0)`);
  console.log(`  peak RSS         ${(f.maxRssKb / 1024).toFixed(1)} MB   (target: <= 60 MB)`);
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
