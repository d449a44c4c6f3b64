"""What the partner charms share: each recomputes everything on every event it handles (packed into each
charm's lib/ by pack.py)."""

import ops

# The events after which a charm's whole state may differ, besides its container's and its relations'.
LIFECYCLE = ("start", "config_changed", "upgrade_charm", "leader_elected", "update_status")


def observe_all(charm: ops.CharmBase, handler, container: str, endpoint: str, relation_events: tuple[str, ...]) -> None:
    """Routes the lifecycle events, the container's pebble-ready and the endpoint's `relation_events` to handler."""
    events = [charm.on[container].pebble_ready, *(getattr(charm.on, name) for name in LIFECYCLE)]
    events += [getattr(charm.on[endpoint], f"relation_{name}") for name in relation_events]
    for event in events:
        charm.framework.observe(event, handler)
