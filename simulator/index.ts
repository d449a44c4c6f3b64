// The simulator's public surface, for a test or tool that drives Juju's side of a Kubernetes charm
// in-process. The `juju` command (bin/juju, cli/main.ts) and its controller (controller/main.ts) are its
// other entry points. See README.md beside this file.
export { Simulation, type ScriptedApp, type SimulationOptions, type ContainerFactory, type WorkloadHandle } from "./simulation.ts";
export { dispatch, type Dispatcher, type DispatchResult, type UnitRuntime } from "./driver.ts";
export type { SimEvent } from "./events.ts";
export * from "./model.ts";
export * from "./modelBuilder.ts";
export { runTool, type ToolOutcome } from "./hookTools/runTool.ts";
export { installHookTools, hookToolEnv, type HookToolContext } from "./hookTools/install.ts";
export { startWorkloadContainer, type WorkloadContainer, type WorkloadContainerOptions } from "./containers/container.ts";
export { debianRootfs, userCacheDir } from "./containers/baseRootfs.ts";
export { charmMetaFromDir } from "./charmMeta.ts";
