// Servers the simulator's scripted providers talk to, played in memory for the in-process tier: the
// provider publishes the same relation data; nothing listens anywhere.
import type { PostgresServer } from "../../simulator/providers/postgresql.ts";

/** A PostgreSQL the provider "creates" roles and databases in: every statement is recorded, none run. */
export function fakePostgres(): PostgresServer & { statements: string[] } {
  const statements: string[] = [];
  return {
    host: "10.1.0.5", port: 5432, version: "14.15", statements,
    sql: async (_database, text) => {
      statements.push(text);
    },
  };
}
