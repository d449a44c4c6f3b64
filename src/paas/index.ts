// The pure planner's public surface (the integrations have their own: ./integrations/index.ts).
export * from "./config.ts";
export * from "./env.ts";
export * from "./frameworks/index.ts";
export * from "./gunicorn.ts";
export * from "./jsonLogs.ts";
export * from "./layer.ts";
export * from "./migrations.ts";
export * from "./paasConfig.ts";
export * from "./plan.ts";
export * from "./secretKey.ts";
export * from "./status.ts";
export * from "./types.ts";
export * from "./podDiagnosis.ts";
export * from "./quantity.ts";
export * from "./resources.ts";
