// Workload containers: two units of a hand-made rock at once, each a real Pebble in its own mount and
// network namespaces. Same port on their own addresses, each reaching the other as pods do, private /app
// and /tmp, the rock's user resolved inside, the Pebble API over the host-side socket, exec as _daemon_,
// pod-churn restarts, and a teardown that leaves no namespace, veth pair or process behind.
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { access, mkdtemp, rm, writeFile } from "node:fs/promises";
import { once } from "node:events";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { PebbleClient } from "../../pebble/client.ts";
import { run } from "../../pebble/exec.ts";
import { cleanupStale, startWorkloadContainer } from "../../simulator/containers/container.ts";
import type { WorkloadContainer } from "../../simulator/containers/container.ts";
import { slotAddresses } from "../../simulator/containers/network.ts";
import { DAEMON_USER } from "../../simulator/rocks/types.ts";
import type { Rock } from "../../simulator/rocks/types.ts";
import { nodeBin, pebbleBin, repoRoot } from "../support/paths.ts";

const execFileAsync = promisify(execFile);

// Reports who it runs as and what it sees; /touch?name=N creates N in /tmp and in /app.
const SERVER = `
import json, os, pwd, socket
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import urlparse, parse_qs

class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        url = urlparse(self.path)
        if url.path == "/touch":
            name = parse_qs(url.query)["name"][0]
            for directory in ("/tmp", "/app"):
                open(os.path.join(directory, name), "w").close()
        body = json.dumps({
            "uid": os.getuid(),
            "user": pwd.getpwuid(os.getuid()).pw_name,
            "hostname": socket.gethostname(),
            "tmp": sorted(os.listdir("/tmp")),
            "app": sorted(os.listdir("/app")),
        }).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass

HTTPServer(("0.0.0.0", 8080), Handler).serve_forever()
`;

const LAYER = `summary: test rock
description: a web server that reports what it sees
services:
  web:
    override: replace
    command: python3 /app/server.py
    startup: enabled
    user: _daemon_
`;

interface Seen {
  uid: number;
  user: string;
  hostname: string;
  tmp: string[];
  app: string[];
}

async function get(container: WorkloadContainer, path = "/"): Promise<Seen> {
  const response = await fetch(`http://${container.address}:8080${path}`);
  assert.equal(response.status, 200);
  return (await response.json()) as Seen;
}

/** Polls until the service answers on the unit's address (it starts a moment after replan). */
async function serving(container: WorkloadContainer): Promise<Seen> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      return await get(container);
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

async function netnsNames(): Promise<string[]> {
  const { stdout } = await execFileAsync("ip", ["netns", "list"]);
  return stdout.split("\n").map((line) => line.split(" ")[0] ?? "").filter(Boolean);
}

async function linkExists(name: string): Promise<boolean> {
  return execFileAsync("ip", ["link", "show", name]).then(() => true, () => false);
}

/** A zombie counts as gone: it runs nothing, and the orphan reaper collects it in its own time. */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

test("each unit gets its own /30 out of 10.213.0.0/16: host end .1, unit .2", () => {
  const table: Array<[number, string, string]> = [
    [0, "10.213.0.1", "10.213.0.2"],
    [1, "10.213.0.5", "10.213.0.6"],
    [64, "10.213.1.1", "10.213.1.2"],
    [16383, "10.213.255.253", "10.213.255.254"],
  ];
  for (const [slot, hostAddress, address] of table) assert.deepEqual(slotAddresses(slot), { hostAddress, address });
  assert.throws(() => slotAddresses(16384), /outside 0\.\.16383/);
});

describe("two workload containers of one rock", () => {
  let dir: string;
  let rock: Rock;
  const units: Array<{ name: string; container: WorkloadContainer; client: PebbleClient; socketDir: string; workDir: string }> = [];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "containers-test-"));
    await writeFile(join(dir, "server.py"), SERVER);
    rock = {
      framework: "test",
      emptyDirs: [{ containerPath: "/app", owner: "_daemon_" }],
      mounts: [{ hostPath: join(dir, "server.py"), containerPath: "/app/server.py", readOnly: true }],
      layer: LAYER,
      users: [{ ...DAEMON_USER }],
    };
    const started = await Promise.all(
      ["web/0", "web/1"].map(async (name, i) => {
        const socketDir = join(dir, `charm-${i}`, "containers", "app");
        const workDir = join(dir, `work-${i}`);
        const container = await startWorkloadContainer({ unitName: name, containerName: "app", rock, socketDir, workDir, pebbleBin });
        return { name, container, client: new PebbleClient({ socketPath: container.socketPath }), socketDir, workDir };
      }),
    );
    units.push(...started);
  });

  after(async () => {
    await Promise.all(units.map((unit) => unit.container.stop()));
    await rm(dir, { recursive: true, force: true });
  });

  test("the socket is at <socketDir>/pebble.socket and Pebble loaded the rock's layer, held (--hold)", async () => {
    for (const unit of units) {
      assert.equal(unit.container.socketPath, join(unit.socketDir, "pebble.socket"));
      assert.equal((await unit.client.systemInfo()).version, "v1.26.0");
      const plan = await unit.client.getPlan();
      assert.deepEqual(Object.keys(plan.services), ["web"]);
      assert.deepEqual((await unit.client.getServices()).map((s) => [s.name, s.current]), [["web", "inactive"]]);
    }
  });

  test("both serve port 8080 on their own addresses, as _daemon_ (uid 584792) resolved inside", async () => {
    assert.notEqual(units[0]!.container.address, units[1]!.container.address);
    for (const unit of units) {
      assert.match(unit.container.address, /^10\.213\.\d+\.\d+$/);
      await unit.client.replan();
      const seen = await serving(unit.container);
      assert.equal(seen.uid, 584792);
      assert.equal(seen.user, "_daemon_");
      assert.equal(seen.hostname, unit.name.replace("/", "-"));
    }
  });

  test("/app and /tmp are private to each unit", async () => {
    const [a, b] = [units[0]!.container, units[1]!.container];
    const written = await get(a, "/touch?name=only-in-web-0");
    assert.ok(written.tmp.includes("only-in-web-0"));
    assert.deepEqual(written.app, ["only-in-web-0", "server.py"]);
    const other = await get(b);
    assert.ok(!other.tmp.includes("only-in-web-0"));
    assert.deepEqual(other.app, ["server.py"]);
    await assert.rejects(access("/tmp/only-in-web-0"));
  });

  test("exec as _daemon_ runs inside the container, with the rock's PATH", async () => {
    const unit = units[1]!;
    const result = await run(unit.client, { command: ["sh", "-c", "id -un; id -u; id -g; echo $PATH; ls; uname -n"], user: "_daemon_", workingDir: "/app" });
    assert.equal(result.stdout, "_daemon_\n584792\n584792\n/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\nserver.py\nweb-1\n");
  });

  test("units reach each other's addresses, as pods do, and nothing off the host", async () => {
    const [a, b] = [units[0]!, units[1]!];
    const fetchFrom = (unit: typeof a, url: string) =>
      run(unit.client, { command: ["python3", "-c", `import urllib.request, sys; print(urllib.request.urlopen(sys.argv[1], timeout=3).status)`, url], user: "_daemon_", workingDir: "/app" });
    assert.equal((await fetchFrom(a, `http://${b.container.address}:8080/`)).stdout, "200\n");
    assert.equal((await fetchFrom(b, `http://${a.container.address}:8080/`)).stdout, "200\n");
    await assert.rejects(fetchFrom(a, "http://192.0.2.1:80/"), /unreachable|No route/i);
  });

  test("exec as _daemon_ without a working dir fails as in a real rock: its home, /nonexistent, is absent", async () => {
    await assert.rejects(run(units[1]!.client, { command: ["true"], user: "_daemon_" }), /home directory "\/nonexistent" does not exist/);
  });

  test("the rock's mount is read-only; its empty dir belongs to _daemon_", async () => {
    const unit = units[0]!;
    const result = await run(unit.client, { command: ["sh", "-c", "stat -c '%u:%g %a' /app; echo x > /app/server.py 2>&1 || echo refused"], user: "_daemon_", workingDir: "/app" });
    assert.match(result.stdout, /^584792:584792 755\n/);
    assert.match(result.stdout, /refused\n$/);
  });

  test("cleanupStale() leaves the namespaces of a live run alone", async () => {
    const removed = await cleanupStale();
    for (const unit of units) assert.ok(!removed.includes(unit.container.netns));
    await get(units[0]!.container);
  });

  test("restart() is a pod restart: fresh /tmp and /app, a new Pebble with only the rock's layer, same address", async () => {
    const unit = units[0]!;
    const { address } = unit.container;
    const oldPid = unit.container.pid;
    await unit.client.addLayer("charm", "services:\n  extra:\n    override: replace\n    command: sleep 1000\n", { combine: true });
    await get(unit.container, "/touch?name=before-restart");

    await unit.container.restart();

    assert.notEqual(unit.container.pid, oldPid);
    assert.ok(!alive(oldPid));
    assert.equal(unit.container.address, address);
    assert.deepEqual(Object.keys((await unit.client.getPlan()).services), ["web"]);
    await unit.client.replan();
    const seen = await serving(unit.container);
    assert.ok(!seen.tmp.includes("before-restart"));
    assert.deepEqual(seen.app, ["server.py"]);
  });

  test("stop() leaves no namespace, veth pair, process, socket or work dir behind", async () => {
    const gone = units.map((unit) => ({ netns: unit.container.netns, link: `psim${unit.container.netns.slice("psim-".length)}`, pid: unit.container.pid, unit }));
    for (const { netns, link } of gone) {
      assert.ok((await netnsNames()).includes(netns));
      assert.ok(await linkExists(link));
    }
    await Promise.all(units.map((unit) => unit.container.stop()));
    const names = await netnsNames();
    for (const { netns, link, pid, unit } of gone) {
      assert.ok(!names.includes(netns), `${netns} still exists`);
      assert.ok(!(await linkExists(link)), `${link} still exists`);
      assert.ok(!alive(pid), `pebble ${pid} still runs`);
      await assert.rejects(access(unit.container.socketPath));
      await assert.rejects(access(join(unit.socketDir, "pebble")));
      await assert.rejects(access(unit.workDir));
    }
  });
});

test("a rock whose layer Pebble rejects fails with Pebble's message and leaves nothing behind", async () => {
  const dir = await mkdtemp(join(tmpdir(), "containers-test-"));
  try {
    const before = await netnsNames();
    const rock: Rock = { framework: "broken", mounts: [], emptyDirs: [], layer: "services:\n  web:\n    override: sideways\n    command: x\n", users: [] };
    await assert.rejects(
      startWorkloadContainer({ unitName: "broken/0", containerName: "app", rock, socketDir: join(dir, "socket"), workDir: join(dir, "work"), pebbleBin }),
      (error: Error) => {
        assert.match(error.message, /^broken\/0 container app: Pebble exited with \d+; its output:\n/);
        assert.match(error.message, /override/);
        return true;
      },
    );
    assert.deepEqual(await netnsNames(), before);
    await assert.rejects(access(join(dir, "work")));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("a mount whose host path is missing is refused before anything starts", async () => {
  const rock: Rock = { framework: "flask", mounts: [{ hostPath: "/nonexistent/app", containerPath: "/flask/app" }], emptyDirs: [], layer: LAYER, users: [] };
  await assert.rejects(
    startWorkloadContainer({ unitName: "web/9", containerName: "app", rock, socketDir: "/nonexistent/socket", workDir: "/nonexistent/work", pebbleBin }),
    { message: "web/9 container app: the flask rock mounts /nonexistent/app at /flask/app, but /nonexistent/app does not exist: rebuild the rock" },
  );
});

test("a socket path longer than a Unix socket takes is refused before Pebble starts, saying what to shorten", async () => {
  const dir = await mkdtemp(join(tmpdir(), "containers-test-"));
  try {
    const rock: Rock = { framework: "test", mounts: [], emptyDirs: [], layer: LAYER, users: [] };
    const socketDir = join(dir, "x".repeat(100));
    await assert.rejects(
      startWorkloadContainer({ unitName: "web/9", containerName: "app", rock, socketDir, workDir: join(dir, "work"), pebbleBin }),
      { message: `web/9 container app: its Pebble socket ${socketDir}/pebble.socket is ${socketDir.length + 14} bytes long, and a Unix socket's path takes at most 107: use a shorter JUJU_SIM_HOME (or socketDir)` },
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("a missing Pebble binary is named, with how to get one", async () => {
  const rock: Rock = { framework: "test", mounts: [], emptyDirs: [], layer: LAYER, users: [] };
  await assert.rejects(
    startWorkloadContainer({ unitName: "web/8", containerName: "app", rock, socketDir: "/nonexistent/socket", workDir: "/nonexistent/work", pebbleBin: "/nonexistent/pebble" }),
    { message: "no executable Pebble at /nonexistent/pebble: run scripts/setup.sh (it builds Pebble 1.26.0) or set PEBBLE_BIN" },
  );
});

test("cleanupStale() removes what a killed run left: its namespace, veth pair and Pebble", async () => {
  const dir = await mkdtemp(join(tmpdir(), "containers-test-"));
  try {
    // A separate Node process starts a container, reports it, and is SIGKILLed: no teardown runs.
    const script = `
      import { startWorkloadContainer } from ${JSON.stringify(new URL("../../simulator/containers/container.ts", import.meta.url).pathname)};
      const rock = { framework: "test", mounts: [], emptyDirs: [], layer: "services: {}\\n", users: [] };
      const c = await startWorkloadContainer({ unitName: "crash/0", containerName: "app", rock, socketDir: ${JSON.stringify(join(dir, "socket"))}, workDir: ${JSON.stringify(join(dir, "work"))}, pebbleBin: ${JSON.stringify(pebbleBin)} });
      console.log(JSON.stringify({ netns: c.netns, pid: c.pid }));
      setInterval(() => {}, 1000);
    `;
    const child = spawn(nodeBin, ["--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "inherit"] });
    const [line] = (await once(child.stdout!, "data")) as [Buffer];
    const crashed = JSON.parse(line.toString("utf8")) as { netns: string; pid: number };
    child.kill("SIGKILL");
    await once(child, "exit");
    assert.ok(alive(crashed.pid));

    const removed = await cleanupStale();

    assert.ok(removed.includes(crashed.netns));
    assert.ok(!(await netnsNames()).includes(crashed.netns));
    assert.ok(!(await linkExists(`psim${crashed.netns.slice("psim-".length)}`)));
    assert.ok(!alive(crashed.pid));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("a container's users are its image's: a host _daemon_ with another uid and a host-only user change nothing", async () => {
  const dir = await mkdtemp(join(tmpdir(), "containers-passwd-"));
  try {
    // The host's own files stay untouched: the run below sees this passwd only in its mount namespace.
    const hostPasswd = readFileSync("/etc/passwd", "utf8").split("\n").filter((line) => line && !line.startsWith("_daemon_:")).join("\n");
    await writeFile(join(dir, "passwd"), `${hostPasswd}\n_daemon_:x:4242:4242::/srv:/bin/sh\nhostonly:x:4343:4343::/:/bin/sh\n`);
    const script = join(dir, "probe.ts");
    await writeFile(script, [
      `import { startWorkloadContainer } from ${JSON.stringify(join(repoRoot, "simulator", "containers", "container.ts"))};`,
      `import { PebbleClient } from ${JSON.stringify(join(repoRoot, "pebble", "client.ts"))};`,
      `import { run } from ${JSON.stringify(join(repoRoot, "pebble", "exec.ts"))};`,
      `import { DAEMON_USER } from ${JSON.stringify(join(repoRoot, "simulator", "rocks", "types.ts"))};`,
      `import { execFileSync } from "node:child_process";`,
      `const host = execFileSync("getent", ["passwd", "_daemon_"], { encoding: "utf8" }).trim();`,
      `const rock = { framework: "test", mounts: [], emptyDirs: [{ containerPath: "/app", owner: "_daemon_" }], layer: "services: {}\\n", users: [{ ...DAEMON_USER }] };`,
      `const container = await startWorkloadContainer({ unitName: "passwd/0", containerName: "app", rock, socketDir: ${JSON.stringify(join(dir, "socket"))}, workDir: ${JSON.stringify(join(dir, "work"))}, pebbleBin: ${JSON.stringify(pebbleBin)} });`,
      `try {`,
      `  const client = new PebbleClient({ socketPath: container.socketPath });`,
      `  const inside = await run(client, { command: ["sh", "-c", "id -u _daemon_; grep -c hostonly /etc/passwd || true; test -e /work && echo host-visible || echo own-root"], user: "_daemon_", workingDir: "/app" });`,
      `  console.log(JSON.stringify({ host, inside: inside.stdout }));`,
      `} finally { await container.stop(); }`,
    ].join("\n"));
    const { stdout } = await execFileAsync("unshare", ["--mount", "--propagation", "private", "--", "/bin/sh", "-c",
      `mount --bind "$1" /etc/passwd && exec "$2" "$3"`, "probe", join(dir, "passwd"), nodeBin, script], { timeout: 120_000 });
    const seen = JSON.parse(stdout.trim().split("\n").at(-1)!) as { host: string; inside: string };
    assert.equal(seen.host, "_daemon_:x:4242:4242::/srv:/bin/sh", "the probe's host view has the other _daemon_");
    assert.equal(seen.inside, "584792\n0\nown-root\n");
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
