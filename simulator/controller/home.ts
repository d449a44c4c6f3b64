// Where one simulated controller keeps its things: `$JUJU_SIM_HOME` (default ~/.local/share/juju-sim)
// holds the controller's socket, pid and log, the CLI's current model, and one directory per model.
import { homedir } from "node:os";
import { join, resolve } from "node:path";

export interface SimHome {
  dir: string;
  socket: string;
  pidFile: string;
  log: string;
  /** The CLI's current model (`juju switch`), like ~/.local/share/juju/models.yaml. */
  currentModel: string;
  modelsDir: string;
  toolsDir: string;
}

export function simHome(env: NodeJS.ProcessEnv = process.env): SimHome {
  const dir = resolve(env.JUJU_SIM_HOME || join(homedir(), ".local", "share", "juju-sim"));
  return {
    dir,
    socket: join(dir, "controller.socket"),
    pidFile: join(dir, "controller.pid"),
    log: join(dir, "controller.log"),
    currentModel: join(dir, "current-model"),
    modelsDir: join(dir, "models"),
    toolsDir: join(dir, "tools"),
  };
}

/** The controller's name in `juju status`, `juju models` and `juju controllers`. */
export const CONTROLLER_NAME = "sim";
/** The Juju version the simulator stands in for. */
export const JUJU_VERSION = "3.6.8";
