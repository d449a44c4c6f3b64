// The simulated controller's process: started detached by the CLI (simulator/controller/client.ts), one per
// simulator home. It listens on the home's socket, owns every model and what they started, and exits once
// the last model is destroyed or `juju kill-controller` asks it to.
//
//   node simulator/controller/main.ts            (JUJU_SIM_HOME picks the home)
import { existsSync, rmSync, writeFileSync } from "node:fs";
import { mkdirPrivate } from "../model.ts";
import { installHookTools } from "../hookTools/install.ts";
import { bundledProgram } from "../hookTools/install.ts";
import { Controller } from "./controller.ts";
import { simHome } from "./home.ts";
import { serveController } from "./server.ts";
import { defaultWorkloads } from "./defaultWorkloads.ts";

const home = simHome();
mkdirPrivate(home.dir);
const log = (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);

// The bundled hook tools start fastest; a checkout without `npm run build` runs them from source.
installHookTools(home.toolsDir, existsSync(bundledProgram) ? "bundle" : "source");
rmSync(home.socket, { force: true });

let stopping = false;
const controller: Controller = new Controller({ home, workloads: defaultWorkloads(log), log, onIdle: () => void stop() });
const server = await serveController(controller, home.socket, log);
writeFileSync(home.pidFile, String(process.pid), { mode: 0o600 });
log(`controller ${process.pid} listening on ${home.socket}`);

async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  log("stopping");
  await controller.stopAll().catch((error: Error) => log(`stopping models failed: ${error.message}`));
  server.close();
  rmSync(home.socket, { force: true });
  rmSync(home.pidFile, { force: true });
  // Replies still being written get a moment to reach their CLI.
  setTimeout(() => process.exit(0), 200).unref();
}

for (const signal of ["SIGTERM", "SIGINT"] as const) process.on(signal, () => void stop());
