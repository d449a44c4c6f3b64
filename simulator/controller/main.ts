// The simulated controller's process: started detached by the CLI (simulator/controller/client.ts), one per
// simulator home. It listens on the home's socket, owns every model and what they started, and exits once
// the last model is destroyed or `juju kill-controller` asks it to.
//
//   node simulator/controller/main.ts            (JUJU_SIM_HOME picks the home)
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
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
  // From now on a juju command starts a new controller instead of reaching this one while it stops (the
  // API server takes seconds); replies to requests already taken are still written.
  server.close();
  rmSync(home.socket, { force: true });
  await controller.stopAll().catch((error: Error) => log(`stopping models failed: ${error.message}`));
  // A controller started meanwhile owns the pid file now.
  if (existsSync(home.pidFile) && readFileSync(home.pidFile, "utf8") === String(process.pid)) rmSync(home.pidFile, { force: true });
  // Replies still being written get a moment to reach their CLI.
  setTimeout(() => process.exit(0), 200).unref();
}

for (const signal of ["SIGTERM", "SIGINT"] as const) process.on(signal, () => void stop());
