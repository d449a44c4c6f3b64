// A throwaway Kubernetes API server: etcd and kube-apiserver 1.31 (built by scripts/setup.sh) in a temp
// dir, both on free loopback ports, RBAC on, service-account tokens signed with a key made here. No
// controllers, scheduler or kubelet run: the simulator creates Juju's objects and plays the kubelet itself.
// The API server's audit log records every request it answers, so tests can count what a charm asked.
//
//   const cluster = await startKubernetes();
//   after(() => cluster.stop());
import { spawn, type ChildProcess } from "node:child_process";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { request } from "node:https";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "./postgres.ts";

/** $KUBE_APISERVER_BIN, else the repository's .cache/bin/kube-apiserver (built by scripts/setup.sh). */
const defaultApiserver = join(dirname(fileURLToPath(import.meta.url)), "..", "..", ".cache", "bin", "kube-apiserver");

export interface KubernetesServer {
  host: string;
  port: number;
  /** The CA that signed the API server's serving certificate (what a pod's ca.crt holds). */
  caCert: string;
  /** A cluster-admin bearer token, for the simulator only: charms get their service account's token. */
  adminToken: string;
  /**
   * The requests the API server answered for `username` (a service account is
   * `system:serviceaccount:<namespace>:<name>`), oldest first, from its audit log.
   */
  requestsBy(username: string): AuditedRequest[];
  /** Stops the API server (the address then refuses connections); start() brings it back on the same port. */
  pause(): Promise<void>;
  resume(): Promise<void>;
  stop(): Promise<void>;
}

export interface AuditedRequest {
  verb: string;
  requestURI: string;
  code: number;
}

const HOST = "127.0.0.1";

/** Metadata of every request, once it is answered; the log backend's default mode writes it before the answer. */
const AUDIT_POLICY = "apiVersion: audit.k8s.io/v1\nkind: Policy\nomitStages: [RequestReceived, ResponseStarted]\nrules:\n  - level: Metadata\n";

export async function startKubernetes(): Promise<KubernetesServer> {
  const apiserver = process.env.KUBE_APISERVER_BIN ?? defaultApiserver;
  if (!existsSync(apiserver)) throw new Error(`${apiserver} is missing: run scripts/setup.sh`);
  const dir = mkdtempSync(join(tmpdir(), "kubernetes-"));
  const adminToken = randomBytes(24).toString("hex");
  writeFileSync(join(dir, "tokens.csv"), `${adminToken},sim-admin,sim-admin,system:masters\n`, { mode: 0o600 });
  const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  writeFileSync(join(dir, "sa.pub"), publicKey.export({ type: "spki", format: "pem" }));
  writeFileSync(join(dir, "sa.key"), privateKey.export({ type: "pkcs8", format: "pem" }), { mode: 0o600 });
  writeFileSync(join(dir, "audit-policy.yaml"), AUDIT_POLICY);
  const auditLog = join(dir, "audit.log");

  const [etcdClient, etcdPeer, port] = [await freePort(), await freePort(), await freePort()];
  const processes: ChildProcess[] = [];
  const stopAll = async () => { for (const child of processes.splice(0).reverse()) await stopProcess(child); };
  const startApiserver = async () => {
    processes.push(launch(apiserver, [
      `--etcd-servers=http://${HOST}:${etcdClient}`, `--secure-port=${port}`, `--bind-address=${HOST}`, `--advertise-address=${HOST}`,
      `--cert-dir=${join(dir, "certs")}`, `--token-auth-file=${join(dir, "tokens.csv")}`,
      `--service-account-key-file=${join(dir, "sa.pub")}`, `--service-account-signing-key-file=${join(dir, "sa.key")}`,
      "--service-account-issuer=https://kubernetes.default.svc", "--authorization-mode=RBAC",
      "--service-cluster-ip-range=10.152.183.0/24", "--enable-priority-and-fairness=false",
      `--audit-policy-file=${join(dir, "audit-policy.yaml")}`, `--audit-log-path=${auditLog}`, "--audit-log-format=json",
    ], join(dir, "apiserver.log")));
    await waitReady(`https://${HOST}:${port}/readyz`, adminToken, join(dir, "apiserver.log"));
  };
  try {
    processes.push(launch("etcd", [
      "--data-dir", join(dir, "etcd"), "--listen-client-urls", `http://${HOST}:${etcdClient}`, "--advertise-client-urls", `http://${HOST}:${etcdClient}`,
      "--listen-peer-urls", `http://${HOST}:${etcdPeer}`, "--initial-advertise-peer-urls", `http://${HOST}:${etcdPeer}`,
      "--initial-cluster", `default=http://${HOST}:${etcdPeer}`, "--unsafe-no-fsync",
    ], join(dir, "etcd.log")));
    await startApiserver();
  } catch (error) {
    await stopAll();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const etcd = processes[0]!;
  return {
    host: HOST,
    port,
    caCert: readFileSync(join(dir, "certs", "apiserver.crt"), "utf8"),
    adminToken,
    requestsBy(username) {
      if (!existsSync(auditLog)) return [];
      return readFileSync(auditLog, "utf8").split("\n").filter(Boolean)
        .map((line) => JSON.parse(line) as { verb: string; requestURI: string; user: { username: string }; responseStatus?: { code: number } })
        .filter((event) => event.user.username === username)
        .map((event) => ({ verb: event.verb, requestURI: event.requestURI, code: event.responseStatus?.code ?? 0 }));
    },
    async pause() {
      const child = processes.pop();
      if (child && child !== etcd) await stopProcess(child);
    },
    async resume() {
      if (processes.length === 1) await startApiserver();
    },
    async stop() {
      await stopAll();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function launch(command: string, args: string[], logFile: string): ChildProcess {
  const child = spawn(command, args, { stdio: ["ignore", "ignore", "pipe"] });
  const chunks: Buffer[] = [];
  child.stderr!.on("data", (chunk: Buffer) => { chunks.push(chunk); if (chunks.length > 200) chunks.shift(); });
  child.on("exit", () => writeFileSync(logFile, Buffer.concat(chunks)));
  return child;
}

async function waitReady(url: string, token: string, logFile: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  let last = "";
  while (Date.now() < deadline) {
    try {
      // Its certificate is not written yet: readiness only, with the admin token, on loopback.
      const status = await httpsStatus(url, token, { insecure: true });
      if (status === 200) return;
      last = `HTTP ${status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`kube-apiserver was not ready in 60 s (${last}); its log: ${logFile}`);
}

/** The HTTP status of a GET with a bearer token, verifying the server against `ca` (or not at all). */
export function httpsStatus(url: string, token: string, tls: { ca: string } | { insecure: true }): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      headers: { authorization: `Bearer ${token}` }, timeout: 5000,
      ...("ca" in tls ? { ca: tls.ca } : { rejectUnauthorized: false }),
    }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    req.on("timeout", () => req.destroy(new Error(`no answer from ${url} in 5 s`)));
    req.on("error", reject);
    req.end();
  });
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    child.once("exit", () => { clearTimeout(timer); resolve(); });
    child.kill("SIGTERM");
  });
}
