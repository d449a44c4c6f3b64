#!/usr/bin/env python3
"""A small ops charm: its own workload service, a config option, a peer relation, a secret, an action."""

import hashlib
import secrets

import ops

PEER = "replicas"
TOKEN_ID_KEY = "token-secret-id"


class OpsDemoCharm(ops.CharmBase):
    def __init__(self, framework: ops.Framework):
        super().__init__(framework)
        framework.observe(self.on.web_pebble_ready, self._reconcile)
        framework.observe(self.on.config_changed, self._reconcile)
        framework.observe(self.on.leader_elected, self._reconcile)
        framework.observe(self.on[PEER].relation_changed, self._reconcile)
        framework.observe(self.on.update_status, self._reconcile)
        framework.observe(self.on.token_fingerprint_action, self._on_token_fingerprint)

    def _token(self) -> str | None:
        peer = self.model.get_relation(PEER)
        if self.unit.is_leader() and peer is not None and TOKEN_ID_KEY not in peer.data[self.app]:
            secret = self.app.add_secret({"token": secrets.token_hex(16)}, label="demo-token")
            peer.data[self.app][TOKEN_ID_KEY] = secret.id
        secret_id = peer.data[self.app].get(TOKEN_ID_KEY) if peer is not None else None
        if not secret_id:
            return None
        return self.model.get_secret(id=secret_id).get_content(refresh=True)["token"]

    def _reconcile(self, _: ops.EventBase) -> None:
        container = self.unit.get_container("web")
        if not container.can_connect():
            self.unit.status = ops.WaitingStatus("waiting for Pebble")
            return
        token = self._token()
        if token is None:
            self.unit.status = ops.WaitingStatus("waiting for the leader's token")
            return
        port = int(self.config["port"])
        container.push("/srv/www/index.html", f"{self.config['greeting']}\n", make_dirs=True)
        # The image's own services stay off: this charm brings the workload it serves.
        others = {name: {"override": "merge", "startup": "disabled"} for name in container.get_plan().services if name != "web"}
        container.add_layer("demo", {
            "services": {
                "web": {
                    "override": "replace",
                    "startup": "enabled",
                    "command": f"python3 -m http.server {port} --directory /srv/www",
                },
                **others,
            },
        }, combine=True)
        for name in others:
            if container.get_service(name).is_running():
                container.stop(name)
        container.replan()
        self.unit.set_ports(port)
        peers = self.model.get_relation(PEER)
        count = len(peers.units) + 1 if peers is not None else 1
        self.unit.status = ops.ActiveStatus(f"serving on {port}, token shared by {count} units")

    def _on_token_fingerprint(self, event: ops.ActionEvent) -> None:
        token = self._token()
        if token is None:
            event.fail("no token yet")
            return
        event.set_results({"fingerprint": hashlib.sha256(token.encode()).hexdigest()[:12]})


if __name__ == "__main__":
    ops.main(OpsDemoCharm)
