// A small charm for driving the simulator's `juju` CLI: its `dispatch` is a shell script. It requires
// PostgreSQL (postgresql_client) and is active once the provider published credentials, blocked before;
// `greeting` config shows in its status message; actions `greet` (results from params) and `explode`
// (action-fail plus a non-zero exit).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { writeZip } from "../../packing/zip.ts";

const DISPATCH = `#!/bin/sh
set -e
event="\${JUJU_DISPATCH_PATH#*/}"
juju-log -- "event=$event"
greeting=$(config-get greeting)
case "$event" in
  greet)
    name=$(action-get name)
    action-log "greeting $name"
    action-set "message=$greeting, $name" "count=$(action-get count)"
    exit 0 ;;
  explode)
    action-fail "the explode action always fails"
    echo "about to fail" >&2
    exit 3 ;;
esac
application-version-set 1.2.3
rel=$(relation-ids database | tr -d '[]" ' | tr ',' ' ')
# relation-ids still lists a relation in its own -broken hook, as Juju does: it is gone all the same.
if [ "$event" = "database-relation-broken" ]; then rel=""; fi
secret=""
if [ -n "$rel" ]; then secret=$(relation-get -r "$rel" --app secret-user "$(relation-list -r "$rel" --app 2>/dev/null || echo postgresql-k8s)" 2>/dev/null || true); fi
if [ -n "$secret" ] && [ "$secret" != '""' ]; then
  status-set active "$greeting"
else
  status-set blocked "missing integrations: postgresql"
fi
if [ "$event" = "database-relation-created" ] || [ "$event" = "leader-elected" ]; then
  if [ -n "$rel" ] && is-leader | grep -q True; then relation-set -r "$rel" --app database=greeter; fi
fi
`;

const METADATA = `name: greeter
summary: greets
description: greets, once PostgreSQL is there
requires:
  database:
    interface: postgresql_client
    limit: 1
peers:
  greeter-peers:
    interface: greeter_peers
`;

const CONFIG = `options:
  greeting:
    type: string
    default: hello
    description: What the unit says.
  retries:
    type: int
    default: 3
    description: How often to try.
  debug:
    type: boolean
    description: Verbose logs.
`;

const ACTIONS = `greet:
  description: Greets someone.
  params:
    name:
      type: string
      description: Who to greet.
    count:
      type: integer
      default: 1
  required: [name]
explode:
  description: Always fails.
`;

const MANIFEST = `charmcraft-version: 4.5.0
charmcraft-started-at: "1980-01-01T00:00:00Z"
bases:
- name: ubuntu
  channel: "24.04"
  architectures: [amd64]
`;

/** Writes greeter.charm into `dir`; returns its path. */
export function packGreeter(dir: string): string {
  const path = join(dir, "greeter.charm");
  const file = (name: string, text: string, mode = 0o644) => ({ name, data: Buffer.from(text), mode });
  writeFileSync(path, writeZip([
    file("metadata.yaml", METADATA), file("config.yaml", CONFIG), file("actions.yaml", ACTIONS), file("manifest.yaml", MANIFEST), file("dispatch", DISPATCH, 0o755),
  ]));
  return path;
}
