#!/usr/bin/env python3
"""postgresql-k8s for the integration suite: a real PostgreSQL in the `postgresql` container, and the
provider side of postgresql_client as data_interfaces v0 writes it (the relation's role
`relation_id_<id>`, the requested database, `secret-user` and `secret-tls` in the application databag,
`endpoints`, `read-only-endpoints`, `version`).

Every event reconciles everything, so a restarted container (a fresh cluster in /tmp) gets its roles and
databases back. A relation's secrets are added in one hook and granted and published from the next one
on: Juju 4.1 silently drops a secret-grant made in the hook that added the secret, so the requirer is told
of the secret only once a grant can have taken effect. The grant is repeated on every event.
"""

import logging
import secrets
import time

import ops
from reconciler import observe_all

logger = logging.getLogger(__name__)

CONTAINER = "postgresql"
ENDPOINT = "database"
PORT = 5432
READY_TIMEOUT_S = 60


def quoted(value: str) -> str:
    """An SQL string literal."""
    return "'" + value.replace("'", "''") + "'"


def identifier(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


class PostgresqlCharm(ops.CharmBase):
    def __init__(self, framework: ops.Framework):
        super().__init__(framework)
        observe_all(self, self._reconcile, CONTAINER, ENDPOINT, ("created", "joined", "changed"))
        framework.observe(self.on[ENDPOINT].relation_broken, self._on_broken)

    @property
    def _container(self) -> ops.Container:
        return self.unit.get_container(CONTAINER)

    def _sql(self, statements: str, database: str = "postgres") -> str:
        """Runs SQL as the superuser; statements travel on stdin (they may hold passwords)."""
        process = self._container.exec(["/usr/local/bin/postgresql-sql", database], stdin=statements, user="_daemon_", working_dir="/tmp")
        stdout, _ = process.wait_output()
        return stdout

    def _server_version(self) -> str | None:
        """The running server's version ("15.14"), waiting for it to accept connections; None if it does not."""
        deadline = time.monotonic() + READY_TIMEOUT_S
        while True:
            try:
                return self._sql("SELECT current_setting('server_version');").split()[0]
            except (ops.pebble.ExecError, ops.pebble.ChangeError) as error:
                if time.monotonic() > deadline:
                    logger.warning("PostgreSQL does not answer: %s", error)
                    return None
                time.sleep(1)

    def _reconcile(self, _: ops.EventBase) -> None:
        if not self._container.can_connect():
            self.unit.status = ops.WaitingStatus("waiting for Pebble")
            return
        self._container.replan()
        version = self._server_version()
        if version is None:
            self.unit.status = ops.BlockedStatus("PostgreSQL does not start: see `juju ssh --container postgresql <unit> /charm/bin/pebble logs`")
            return
        self.unit.set_workload_version(version)
        self.unit.set_ports(PORT)
        if self.unit.is_leader():
            for relation in self.model.relations[ENDPOINT]:
                self._provide(relation, version)
        self.unit.status = ops.ActiveStatus()

    def _secret(self, relation: ops.Relation, group: str, content: dict[str, str]) -> ops.Secret | None:
        """The relation's secret of `group`, added with `content` when missing (then None: it is used from the next hook)."""
        label = f"{ENDPOINT}.{relation.id}.{group}"
        try:
            return self.model.get_secret(label=label)
        except ops.SecretNotFoundError:
            self.app.add_secret(content, label=label)
            return None

    def _provide(self, relation: ops.Relation, version: str) -> None:
        user = f"relation_id_{relation.id}"
        user_secret = self._secret(relation, "user", {"username": user, "password": secrets.token_urlsafe(18)})
        tls_secret = self._secret(relation, "tls", {"tls": "False"})
        if user_secret is None or tls_secret is None or relation.app is None:
            return
        for secret in (user_secret, tls_secret):
            secret.grant(relation)
        database = relation.data[relation.app].get("database")
        if not database:
            return
        credentials = user_secret.peek_content()
        password = credentials["password"]
        asking = [other for other in self.model.relations[ENDPOINT] if other.app and other.data[other.app].get("database") == database]
        self._ensure_database(database, user, password, sole=len(asking) == 1)
        address = self.model.get_binding(relation).network.ingress_address
        endpoint = f"{address}:{PORT}"
        uri = f"postgresql://{user}:{password}@{endpoint}/{database}"
        wanted = {"username": user, "password": password, "uris": uri, "read-only-uris": uri}
        if credentials != wanted:
            user_secret.set_content(wanted)
        published = {
            "database": database,
            "endpoints": endpoint,
            "read-only-endpoints": endpoint,
            "secret-user": user_secret.id,
            "secret-tls": tls_secret.id,
            "version": version,
        }
        ours = relation.data[self.app]
        for key, value in published.items():
            if ours.get(key) != value:
                ours[key] = value

    def _ensure_database(self, database: str, user: str, password: str, sole: bool) -> None:
        """The role with its password, the database, and the role's rights in it: as postgresql-k8s does, the
        only relation asking for a database owns its schema and tables (so a re-integrated app owns what its
        earlier relation made)."""
        self._sql(
            f"SELECT format('CREATE ROLE %I', {quoted(user)}) WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = {quoted(user)})\\gexec\n"
            f"ALTER ROLE {identifier(user)} WITH LOGIN PASSWORD {quoted(password)};\n"
            f"SELECT format('CREATE DATABASE %I', {quoted(database)}) WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = {quoted(database)})\\gexec\n"
            f"REVOKE ALL PRIVILEGES ON DATABASE {identifier(database)} FROM PUBLIC;\n"
            f"GRANT ALL PRIVILEGES ON DATABASE {identifier(database)} TO {identifier(user)};\n"
        )
        if sole:
            self._sql(
                f"ALTER SCHEMA public OWNER TO {identifier(user)};\n"
                f"SELECT format('ALTER TABLE public.%I OWNER TO %I', tablename, {quoted(user)}) FROM pg_tables WHERE schemaname = 'public'\\gexec\n",
                database,
            )
        else:
            self._sql(
                f"GRANT ALL ON SCHEMA public TO {identifier(user)};\n"
                f"GRANT ALL PRIVILEGES ON ALL TABLES IN SCHEMA public TO {identifier(user)};\n"
                f"GRANT ALL PRIVILEGES ON ALL SEQUENCES IN SCHEMA public TO {identifier(user)};\n",
                database,
            )

    def _on_broken(self, event: ops.RelationBrokenEvent) -> None:
        """The relation's role goes, what it owned passing to the superuser; databases stay, as postgresql-k8s keeps them."""
        if not self.unit.is_leader() or not self._container.can_connect() or self._server_version() is None:
            return
        user = f"relation_id_{event.relation.id}"
        if self._sql(f"SELECT 1 FROM pg_roles WHERE rolname = {quoted(user)};").strip():
            for database in self._sql("SELECT datname FROM pg_database WHERE datallowconn;").split():
                self._sql(f"REASSIGN OWNED BY {identifier(user)} TO postgres;\nDROP OWNED BY {identifier(user)};\n", database)
            self._sql(f"DROP ROLE {identifier(user)};\n")
        for group in ("user", "tls"):
            try:
                self.model.get_secret(label=f"{ENDPOINT}.{event.relation.id}.{group}").remove_all_revisions()
            except ops.SecretNotFoundError:
                pass

if __name__ == "__main__":
    ops.main(PostgresqlCharm)
