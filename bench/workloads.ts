// The benchmarks' workload containers: a real Pebble per unit holding the stand-in rock's layer.
import { join } from "node:path";
import type { ContainerFactory } from "../simulator/simulation.ts";
import { PebbleClient } from "../src/pebble/client.ts";
import { startPebble, type PebbleDaemon } from "../tests/support/pebble.ts";

/** A rock layer whose main service is a long-running host process that stands for the app. */
function hostRockLayer(service = "expressjs"): string {
  return [
    "summary: stand-in rock", "services:", `  ${service}:`, "    override: replace", "    startup: enabled",
    "    command: /bin/sh -c 'exec sleep 100000'", "    environment:", "      NODE_ENV: production", "",
  ].join("\n");
}

/** Each started daemon is pushed to `daemons`, for the caller to stop; `layer` is the rock's. */
export function benchContainers(daemons: PebbleDaemon[], layer = hostRockLayer()): ContainerFactory {
  return async (_unit, _container, socketDir) => {
    const socketPath = join(socketDir, "pebble.socket");
    const daemon = await startPebble({ socketPath });
    daemons.push(daemon);
    await new PebbleClient({ socketPath }).addLayer("rock", layer);
    return { stop: () => daemon.stop(), restart: () => Promise.reject(new Error("not used by the benchmarks")) };
  };
}
