// The throwaway PostgreSQL lives with the simulator (its controller backs postgresql-k8s with one); tests
// start their own through this re-export.
export { startPostgres, type PostgresServer } from "../../simulator/servers/postgres.ts";
