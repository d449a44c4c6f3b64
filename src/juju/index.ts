// The Juju boundary's public surface, for src/main.ts and the charm.
export * from "./action.ts";
export * from "./config.ts";
export * from "./context.ts";
export * from "./errors.ts";
export * from "./event.ts";
export * from "./hookTool.ts";
export * from "./juju.ts";
export * from "./leader.ts";
export * from "./log.ts";
export * from "./metadata.ts";
export * from "./network.ts";
export * from "./port.ts";
export * from "./relation.ts";
export * from "./secret.ts";
export * from "./state.ts";
export * from "./status.ts";
export * from "./version.ts";
