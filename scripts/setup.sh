#!/bin/sh
# Installs everything the main job and the tests need on a fresh machine; safe to run again.
# - npm packages (the pinned Node 22 runtime among them) from package-lock.json
# - Pebble 1.26.0, built from the Go module proxy through tools/pebble (pinned in its go.sum)
# - kube-apiserver 1.31.4, built from the Go module proxy through tools/kube-apiserver (the simulator's
#   Kubernetes API, with etcd from Debian)
# - PostgreSQL, Redis and etcd from Debian's packages (the tests start their own throwaway servers)
# - the workload containers' base rootfs (Debian bookworm with Python, Node.js, Java) made by mmdebstrap into
#   the user's cache directory (~/.cache/paas-charm-ts), where a clean checkout finds it again
# - for the real Juju platform (npm run real-juju, which builds the rest itself): containerd, runc, the CNI
#   plugins, iptables and conntrack to run a Kubernetes node; autotools and the libuv, lz4 and sqlite headers
#   to build dqlite; openssl for the cluster's certificates
# - charmcraft 4.5.0 and jubilant 1.14.0 in a private venv (charmcraft needs Debian's python3-apt;
#   its pack test copies the project with git and runs in a mount namespace made by util-linux's unshare)
set -eu
cd "$(dirname "$0")/.."
cache="$PWD/.cache"
mkdir -p "$cache/bin"

missing=""
for package in postgresql redis-server etcd-server unzip binutils time iproute2 util-linux python3-venv python3-apt git mmdebstrap \
    containerd runc containernetworking-plugins iptables conntrack openssl autoconf automake libtool make gcc pkg-config \
    libuv1-dev liblz4-dev libsqlite3-dev; do
  dpkg -s "$package" >/dev/null 2>&1 || missing="$missing $package"
done
if [ -n "$missing" ]; then
  echo "setup: installing$missing"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
fi

# The host's npm may run on an older Node than package.json's engine (everything then runs on the pinned
# Node 22 it installs): its EBADENGINE warnings are noise, so only errors are printed.
[ -d node_modules/.bin ] && [ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund --loglevel=error

if ! "$cache/bin/pebble" version --client >/dev/null 2>&1; then
  echo "setup: building pebble"
  (cd tools/pebble && GOFLAGS=-mod=mod GOBIN="$cache/bin" go install github.com/canonical/pebble/cmd/pebble)
fi

if ! "$cache/bin/kube-apiserver" --version >/dev/null 2>&1; then
  echo "setup: building kube-apiserver (a few minutes)"
  (cd tools/kube-apiserver && GOFLAGS=-mod=mod go build -o "$cache/bin/kube-apiserver.part" k8s.io/kubernetes/cmd/kube-apiserver)
  mv "$cache/bin/kube-apiserver.part" "$cache/bin/kube-apiserver"
fi

if ! cmp -s tools/python-requirements.txt "$cache/venv/requirements.txt"; then
  echo "setup: installing charmcraft, jubilant and pytest"
  rm -rf "$cache/venv"
  /usr/bin/python3 -m venv "$cache/venv"
  "$cache/venv/bin/pip" install -q --disable-pip-version-check -r tools/python-requirements.txt
  # charmcraft imports python3-apt, which is not on PyPI: use Debian's build of it.
  site="$("$cache/venv/bin/python" -c 'import site; print(site.getsitepackages()[0])')"
  for module in /usr/lib/python3/dist-packages/apt /usr/lib/python3/dist-packages/apt_pkg*.so \
                /usr/lib/python3/dist-packages/apt_inst*.so /usr/lib/python3/dist-packages/aptsources; do
    [ -e "$module" ] && ln -sf "$module" "$site/"
  done
  cp tools/python-requirements.txt "$cache/venv/requirements.txt"
fi

# Built once per content; the simulator builds it on first use too, this says so up front.
node_modules/.bin/node --input-type=module -e 'const { baseRootfs } = await import("./simulator/containers/baseRootfs.ts"); await baseRootfs((line) => console.log(`setup: ${line}`));'
