// Creates the app's tables (idempotent, safe to run on every unit at once). Run by migrate.sh.
import { createPool, migrate } from "./src/db.js";

const pool = createPool(process.env.POSTGRESQL_DB_CONNECT_STRING);
if (!pool) {
  console.error("migrate: POSTGRESQL_DB_CONNECT_STRING is not set; relate the app to PostgreSQL first");
  process.exit(1);
}
try {
  await migrate(pool);
  console.log("migrate: table notes is ready");
} finally {
  await pool.end();
}
