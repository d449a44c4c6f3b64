// What `up` needs of the machine, named with the package or setting that provides it: a missing
// prerequisite is a failure that says so, never a skip.
import { existsSync } from "node:fs";
import { onPath } from "../../simulator/containers/prerequisites.ts";

/** Each program the platform runs or builds with, and the Debian package that provides it (scripts/setup.sh installs them). */
const TOOLS: Array<[string, string]> = [
  ["containerd", "containerd"], ["ctr", "containerd"], ["runc", "runc"], ["etcd", "etcd-server"], ["iptables", "iptables"],
  ["iptables-save", "iptables"], ["ip", "iproute2"], ["openssl", "openssl"], ["mmdebstrap", "mmdebstrap"], ["autoreconf", "autoconf"],
  ["libtoolize", "libtool"], ["make", "make"], ["gcc", "gcc"], ["go", "Go 1.26 (scripts/setup.sh's other builds need it too)"], ["tar", "tar"],
];
const LIBRARIES: Array<[string, string]> = [
  ["/usr/include/uv.h", "libuv1-dev"], ["/usr/include/lz4.h", "liblz4-dev"], ["/usr/include/sqlite3.h", "libsqlite3-dev"],
];

export async function checkPrerequisites(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error("the real Juju platform needs root (network namespaces, bridges, iptables, mounts): run it as root");
  const missing: string[] = [];
  for (const [tool, pkg] of TOOLS) if (!(await onPath(tool, process.env.PATH ?? ""))) missing.push(`${tool} (${pkg})`);
  for (const [file, pkg] of LIBRARIES) if (!existsSync(file)) missing.push(`${file} (${pkg})`);
  // The sources in ../shared/third_party are checked by the builds that need them: with the builds
  // cached (a clean clone on a machine that built them once), they are not needed.
  if (missing.length) throw new Error(`missing: ${missing.join(", ")}; scripts/setup.sh installs them`);
}
