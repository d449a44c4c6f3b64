# Run by the charm as `bash -eo pipefail migrate.sh` in /flask/app with the app's environment.
# Only app.py and migrate* are copied into the rock, so the Python lives here.
python3 - <<'PYTHON'
import os
import psycopg

with psycopg.connect(os.environ["POSTGRESQL_DB_CONNECT_STRING"]) as connection:
    connection.execute("CREATE TABLE IF NOT EXISTS items (id SERIAL PRIMARY KEY, value TEXT NOT NULL)")
print("migrate: table items is ready")
PYTHON
