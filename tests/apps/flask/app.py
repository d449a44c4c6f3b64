"""Flask test app: everything it knows comes from the environment the charm sets."""
import os

import flask
import psycopg
import redis

app = flask.Flask(__name__)
# FLASK_SECRET_KEY, FLASK_BASE_URL, ... the way paas-charm's documentation recommends.
app.config.from_prefixed_env()


@app.get("/")
def index():
    return "flask test app\n"


@app.get("/env")
def environment():
    return flask.jsonify(dict(os.environ))


@app.get("/items")
def list_items():
    with _database() as connection:
        rows = connection.execute("SELECT id, value FROM items ORDER BY id").fetchall()
    return flask.jsonify([{"id": row[0], "value": row[1]} for row in rows])


@app.post("/items")
def add_item():
    value = (flask.request.get_json(silent=True) or {}).get("value")
    if not isinstance(value, str) or not value:
        return flask.jsonify(error='send a JSON body {"value": "<non-empty string>"}'), 400
    with _database() as connection:
        row = connection.execute("INSERT INTO items (value) VALUES (%s) RETURNING id", (value,)).fetchone()
    return flask.jsonify(id=row[0], value=value), 201


@app.get("/redis")
def ping_redis():
    url = os.environ.get("REDIS_DB_CONNECT_STRING")
    if not url:
        return flask.jsonify(error="no Redis: REDIS_DB_CONNECT_STRING is not set"), 503
    return flask.jsonify(ping=redis.Redis.from_url(url, socket_timeout=5).ping())


def _database():
    url = os.environ.get("POSTGRESQL_DB_CONNECT_STRING")
    if not url:
        flask.abort(flask.make_response(flask.jsonify(error="no database: POSTGRESQL_DB_CONNECT_STRING is not set"), 503))
    return psycopg.connect(url)
