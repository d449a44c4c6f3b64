// The cluster's credentials, made once with openssl under .cache/real-juju/certs: a CA, the apiserver's
// and the kubelet's serving certificates, the service-account signing key, static tokens for the users
// (admin, the node, the controller-manager, the scheduler, the proxy), and a kubeconfig for each.
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { CLOUD, NETWORK, NODE_NAME, state } from "./layout.ts";
import { run } from "./steps.ts";

/** The static token users: kubeconfig name → [user, groups]. */
const USERS = {
  admin: ["admin", "system:masters"],
  kubelet: [`system:node:${NODE_NAME}`, "system:nodes"],
  "controller-manager": ["system:kube-controller-manager", ""],
  scheduler: ["system:kube-scheduler", ""],
  proxy: ["system:kube-proxy", ""],
} as const;
export type KubeUser = keyof typeof USERS;

/** The user the apiserver presents to kubelets (its serving certificate's CN): bound to system:kubelet-api-admin. */
export const APISERVER_CLIENT_USER = "kube-apiserver";

export const certs = {
  caCert: join(state.certs, "ca.crt"),
  caKey: join(state.certs, "ca.key"),
  apiserverCert: join(state.certs, "apiserver.crt"),
  apiserverKey: join(state.certs, "apiserver.key"),
  kubeletCert: join(state.certs, "kubelet.crt"),
  kubeletKey: join(state.certs, "kubelet.key"),
  serviceAccountKey: join(state.certs, "sa.key"),
  serviceAccountPub: join(state.certs, "sa.pub"),
  tokens: join(state.certs, "tokens.csv"),
};

export function kubeconfigOf(user: KubeUser): string {
  return user === "admin" ? state.kubeconfig : join(state.certs, `${user}.kubeconfig`);
}

export const apiserverUrl = `https://${NETWORK.nodeIp}:${NETWORK.apiserverPort}`;

export async function ensureCerts(log: string): Promise<void> {
  await mkdir(state.certs, { recursive: true, mode: 0o700 });
  if (!existsSync(certs.caKey)) {
    await run(log, "openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "3650", "-subj", "/CN=paas-charm-ts real-juju CA",
      "-keyout", certs.caKey, "-out", certs.caCert]);
  }
  const firstServiceIp = NETWORK.serviceCidr.replace(/0\/\d+$/, "1");
  await signed(log, certs.apiserverKey, certs.apiserverCert, APISERVER_CLIENT_USER, [
    `IP:${NETWORK.nodeIp}`, `IP:${firstServiceIp}`, "IP:127.0.0.1", "DNS:localhost", "DNS:kubernetes", "DNS:kubernetes.default",
    "DNS:kubernetes.default.svc", "DNS:kubernetes.default.svc.cluster.local",
  ]);
  await signed(log, certs.kubeletKey, certs.kubeletCert, `system:node:${NODE_NAME}`, [`IP:${NETWORK.nodeIp}`, `DNS:${NODE_NAME}`]);
  if (!existsSync(certs.serviceAccountKey)) {
    await run(log, "openssl", ["genrsa", "-out", certs.serviceAccountKey, "2048"]);
    await run(log, "openssl", ["rsa", "-in", certs.serviceAccountKey, "-pubout", "-out", certs.serviceAccountPub]);
  }
  if (!existsSync(certs.tokens)) {
    const lines = Object.entries(USERS).map(([name, [user, groups]]) => `${randomBytes(24).toString("hex")},${user},${name}${groups ? `,"${groups}"` : ""}`);
    await writeFile(certs.tokens, lines.join("\n") + "\n", { mode: 0o600 });
  }
  const tokens = await readTokens();
  const ca = (await readFile(certs.caCert)).toString("base64");
  for (const user of Object.keys(USERS) as KubeUser[]) await writeFile(kubeconfigOf(user), kubeconfig(user, tokens[user]!, ca), { mode: 0o600 });
}

async function signed(log: string, key: string, cert: string, commonName: string, altNames: string[]): Promise<void> {
  if (existsSync(cert)) return;
  const extensions = join(state.certs, "extensions.cnf");
  await writeFile(extensions, `subjectAltName=${altNames.join(",")}\nextendedKeyUsage=serverAuth,clientAuth\nkeyUsage=digitalSignature,keyEncipherment\n`);
  const request = `${cert}.csr`;
  await run(log, "openssl", ["req", "-newkey", "rsa:2048", "-nodes", "-subj", `/CN=${commonName}`, "-keyout", key, "-out", request]);
  await run(log, "openssl", ["x509", "-req", "-in", request, "-CA", certs.caCert, "-CAkey", certs.caKey, "-CAcreateserial", "-days", "3650",
    "-extfile", extensions, "-out", cert]);
}

async function readTokens(): Promise<Record<string, string>> {
  const tokens: Record<string, string> = {};
  for (const line of (await readFile(certs.tokens, "utf8")).trim().split("\n")) {
    const [token, , name] = line.split(",");
    tokens[name!] = token!;
  }
  return tokens;
}

/** The CA inline: Juju copies a kubeconfig's cluster into its cloud definition, where a file path would not follow. */
function kubeconfig(user: KubeUser, token: string, ca: string): string {
  return [
    "apiVersion: v1",
    "kind: Config",
    "clusters:",
    `- name: ${CLOUD}`,
    "  cluster:",
    `    server: ${apiserverUrl}`,
    `    certificate-authority-data: ${ca}`,
    "users:",
    `- name: ${user}`,
    "  user:",
    `    token: ${token}`,
    "contexts:",
    `- name: ${CLOUD}`,
    "  context:",
    `    cluster: ${CLOUD}`,
    `    user: ${user}`,
    `current-context: ${CLOUD}`,
    "",
  ].join("\n");
}
