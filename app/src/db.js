// PostgreSQL access. The charm passes the database as POSTGRESQL_DB_CONNECT_STRING once the app is
// related to postgresql-k8s; until then the app runs without one and /notes answers 503.
import pg from "pg";

// Serialises concurrent migrations: the charm runs migrate.sh on every unit at once.
const MIGRATION_LOCK = 7303;

export function createPool(connectionString) {
  return connectionString ? new pg.Pool({ connectionString, max: 5 }) : null;
}

export async function migrate(pool) {
  const client = await pool.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK]);
    await client.query(`CREATE TABLE IF NOT EXISTS notes (
      id SERIAL PRIMARY KEY,
      text TEXT NOT NULL,
      created_at TIMESTAMPTZ NOT NULL DEFAULT now()
    )`);
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK]).catch(() => {});
    client.release();
  }
}

export async function listNotes(pool) {
  const result = await pool.query("SELECT id, text, created_at FROM notes ORDER BY id");
  return result.rows;
}

export async function addNote(pool, text) {
  const result = await pool.query("INSERT INTO notes (text) VALUES ($1) RETURNING id, text, created_at", [text]);
  return result.rows[0];
}
