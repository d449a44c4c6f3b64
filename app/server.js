// Entry point (`npm start`): serves the app on PORT, and the metrics on METRICS_PORT when the charm
// puts them on a port of their own (ExpressJS charms scrape *:9464/metrics by default).
import express from "express";
import { createApp, metricsHandler } from "./src/app.js";
import { createPool } from "./src/db.js";
import { createMetrics } from "./src/metrics.js";

const port = Number(process.env.PORT ?? 8080);
const metricsPort = Number(process.env.METRICS_PORT ?? port);
const metricsPath = process.env.METRICS_PATH || "/metrics";

const pool = createPool(process.env.POSTGRESQL_DB_CONNECT_STRING);
const metrics = createMetrics();
const app = createApp({ pool, secretKey: process.env.APP_SECRET_KEY, metrics, metricsPath });

const servers = [app.listen(port, () => console.log(`example-app listening on port ${port}`))];
if (metricsPort !== port) {
  const metricsApp = express();
  metricsApp.get(metricsPath, metricsHandler(metrics));
  servers.push(metricsApp.listen(metricsPort, () => console.log(`metrics on port ${metricsPort}${metricsPath}`)));
}
for (const server of servers) {
  server.on("error", (error) => {
    console.error(`cannot listen: ${error.message}`);
    process.exit(1);
  });
}

// Pebble stops the service with SIGTERM: finish in-flight requests, then close the pool.
process.on("SIGTERM", () => {
  console.log("SIGTERM: shutting down");
  let open = servers.length;
  for (const server of servers) {
    server.close(async () => {
      if (--open === 0) {
        await pool?.end();
        process.exit(0);
      }
    });
  }
});
