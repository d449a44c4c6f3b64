# Database migration, run by the charm as `bash -eo pipefail migrate.sh` in /app, as _daemon_, with the
# app's full environment (POSTGRESQL_DB_CONNECT_STRING among it). psql is not in the rock, node is.
node migrate.js
