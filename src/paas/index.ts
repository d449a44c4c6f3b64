// The pure planner's public surface.
export * from "./env.ts";
export * from "./frameworks.ts";
export * from "./gunicorn.ts";
export * from "./layer.ts";
export * from "./migrations.ts";
export * from "./options.ts";
export * from "./paasConfig.ts";
export * from "./plan.ts";
