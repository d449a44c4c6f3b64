// update-status of an active unit in its pod on a real kube-apiserver: the event that reads the unit's pod
// through @kubernetes/client-node (run for it from its own asset in the binary), so its wall time shows what the pod
// diagnosis costs. The charm's CPU is its own process's clock (bench/childUsage.py), without its hook tools.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dispatch } from "../simulator/driver.ts";
import { installHookTools } from "../simulator/hookTools/install.ts";
import { postgresqlProvider } from "../simulator/providers/postgresql.ts";
import { startKubernetes } from "../simulator/servers/kubernetes.ts";
import { startPostgres } from "../simulator/servers/postgres.ts";
import { Simulation } from "../simulator/simulation.ts";
import type { PebbleDaemon } from "../tests/support/pebble.ts";
import { measuredCommand, median, readMeasurement } from "./measure.ts";
import { benchContainers } from "./workloads.ts";

const UNIT = "example-app/0";

export async function benchUpdateStatus(charmPath: string, runs = 10): Promise<{ wallMs: number[]; cpuMs: number[]; charmMaxRssKb: number[]; podReads: boolean }> {
  const dir = mkdtempSync(join(tmpdir(), "bench-update-status-"));
  const daemons: PebbleDaemon[] = [];
  const [cluster, postgres] = await Promise.all([startKubernetes(), startPostgres()]);
  try {
    const toolsDir = join(dir, "tools");
    installHookTools(toolsDir, "bundle");
    const containers = benchContainers(daemons);
    const simulation = new Simulation({ dir: join(dir, "model"), modelName: "bench", toolsDir, containers, kubernetes: cluster });
    await simulation.deployCharm("example-app", charmPath);
    await simulation.deployScripted(postgresqlProvider(postgres));
    await simulation.integrate({ app: "example-app", endpoint: "postgresql" }, { app: "postgresql-k8s", endpoint: "database" });
    // An OOM-killed container makes the read visible in the status: proof the event did read the pod.
    await simulation.kubernetes().setContainerState("example-app", 0, "app", { state: "waiting", reason: "CrashLoopBackOff", restarts: 1, lastTermination: { reason: "OOMKilled", exitCode: 137 } });
    const runtime = simulation.runtimeOf(UNIT);
    const figures = { wallMs: [] as number[], cpuMs: [] as number[], charmMaxRssKb: [] as number[], podReads: false };
    const report = join(dir, "usage.json");
    for (let i = 0; i < runs; i++) {
      const result = await dispatch({ ...runtime, commandPrefix: measuredCommand(report) }, { kind: "lifecycle", hook: "update-status" });
      if (result.exitCode !== 0) throw new Error(`update-status failed: ${result.stderr}`);
      const usage = readMeasurement(report, result.exitCode);
      figures.wallMs.push(usage.wallMs);
      figures.cpuMs.push(usage.cpuMs);
      if (usage.ownMaxRssKb !== undefined) figures.charmMaxRssKb.push(usage.ownMaxRssKb);
    }
    figures.podReads = simulation.model().units[UNIT]!.status.message.includes("OOMKilled");
    await simulation.destroy();
    return figures;
  } finally {
    for (const daemon of daemons) await daemon.stop().catch(() => undefined);
    await Promise.all([postgres.stop(), cluster.stop()]);
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function reportUpdateStatus(charmPath: string): Promise<void> {
  const f = await benchUpdateStatus(charmPath);
  if (!f.podReads) throw new Error("update-status did not report the pod's OOM kill: the pod was not read");
  console.log(`update-status reading the unit's pod from a real kube-apiserver (${f.wallMs.length} runs)`);
  console.log(`  wall time        median ${median(f.wallMs).toFixed(1)} ms   max ${Math.max(...f.wallMs).toFixed(1)} ms`);
  console.log(`  charm CPU        median ${median(f.cpuMs).toFixed(1)} ms   max ${Math.max(...f.cpuMs).toFixed(1)} ms`);
  if (f.charmMaxRssKb.length) console.log(`  charm peak RSS   max ${(Math.max(...f.charmMaxRssKb) / 1024).toFixed(1)} MB`);
}
