#!/usr/bin/env python3
"""ingress-proxy for the integration suite: the provider side of ingress v2 (traefik_k8s.v2.ingress) with
path routing, and a reverse proxy in the `proxy` container that routes each published URL to the
requirer's units. Every event recomputes the routes from the relations and rewrites them."""

import json
import logging

import ops
from reconciler import observe_all

logger = logging.getLogger(__name__)

CONTAINER = "proxy"
ENDPOINT = "ingress"
PORT = 8081
ROUTES = "/tmp/ingress-routes.json"


def decoded(value: str | None):
    """A requirer's value is JSON (ingress v2 encodes every field); None when absent or not JSON."""
    if value is None:
        return None
    try:
        return json.loads(value)
    except json.JSONDecodeError:
        return None


class IngressProxyCharm(ops.CharmBase):
    def __init__(self, framework: ops.Framework):
        super().__init__(framework)
        observe_all(self, self._reconcile, CONTAINER, ENDPOINT, ("joined", "changed", "departed", "broken"))

    def _route(self, relation: ops.Relation) -> tuple[str, dict] | None:
        """The relation's path prefix and route, once the requirer asked for one and a unit has an address."""
        if relation.app is None:
            return None
        request = relation.data[relation.app]
        model, name, port = decoded(request.get("model")), decoded(request.get("name")), decoded(request.get("port"))
        if not isinstance(model, str) or not isinstance(name, str) or not isinstance(port, int):
            return None
        addresses = sorted(ip for ip in (decoded(relation.data[unit].get("ip")) for unit in relation.units) if isinstance(ip, str) and ip)
        if not addresses:
            return None
        return f"{model}-{name}", {"backends": [f"http://{ip}:{port}" for ip in addresses], "strip-prefix": decoded(request.get("strip-prefix")) is True}

    def _reconcile(self, _: ops.EventBase) -> None:
        container = self.unit.get_container(CONTAINER)
        if not container.can_connect():
            self.unit.status = ops.WaitingStatus("waiting for Pebble")
            return
        routed = {relation.id: self._route(relation) for relation in self.model.relations[ENDPOINT]}
        routes = dict(route for route in routed.values() if route is not None)
        container.push(ROUTES, json.dumps(routes, indent=2, sort_keys=True) + "\n", make_dirs=True, permissions=0o644)
        container.replan()
        self.unit.set_ports(PORT)
        if self.unit.is_leader():
            address = self.model.get_binding(ENDPOINT).network.ingress_address
            for relation in self.model.relations[ENDPOINT]:
                route = routed.get(relation.id)
                ours = relation.data[self.app]
                url = json.dumps({"url": f"http://{address}:{PORT}/{route[0]}"}) if route else None
                if url is None:
                    ours.pop("ingress", None)
                elif ours.get("ingress") != url:
                    ours["ingress"] = url
        self.unit.status = ops.ActiveStatus(f"routing {len(routes)} application{'s' if len(routes) != 1 else ''}")


if __name__ == "__main__":
    ops.main(IngressProxyCharm)
