// The charm's Kubernetes client on its own: in-cluster configuration from the pod's env and files (off,
// with the reason, outside a pod), and a request to an API server that never answers ends in time with
// an "unavailable" error instead of hanging the hook.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inClusterAccess } from "../../src/kubernetes/inCluster.ts";
import { kubernetesReader } from "../../src/kubernetes/reads.ts";
import { isKubernetesError } from "../../src/kubernetes/errors.ts";

const dir = mkdtempSync(join(tmpdir(), "serviceaccount-"));
after(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, "token"), "the-token\n");
writeFileSync(join(dir, "ca.crt"), "-----BEGIN CERTIFICATE-----\n");
writeFileSync(join(dir, "namespace"), "my-model");

test("outside a pod the feature is off and says why", () => {
  const lookup = inClusterAccess({});
  assert.ok("off" in lookup && /KUBERNETES_SERVICE_HOST\/PORT unset/.test(lookup.off));
});

test("in a pod: the service address and the mounted service account", () => {
  assert.deepEqual(inClusterAccess({ KUBERNETES_SERVICE_HOST: "10.152.183.1", KUBERNETES_SERVICE_PORT: "443" }, dir), {
    access: { server: "https://10.152.183.1:443", token: "the-token", caCert: "-----BEGIN CERTIFICATE-----\n", namespace: "my-model" },
  });
  const v6 = inClusterAccess({ KUBERNETES_SERVICE_HOST: "fd00::1", KUBERNETES_SERVICE_PORT: "443" }, dir);
  assert.ok("access" in v6 && v6.access.server === "https://[fd00::1]:443");
  const missing = inClusterAccess({ KUBERNETES_SERVICE_HOST: "10.152.183.1", KUBERNETES_SERVICE_PORT: "443" }, join(dir, "nowhere"));
  assert.ok("off" in missing && missing.off.includes(join(dir, "nowhere")));
});

test("an API server that accepts and never answers: the request fails as unavailable after its timeout", async () => {
  const sockets: Socket[] = [];
  const server = createServer((socket) => { sockets.push(socket); });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  try {
    const client = kubernetesReader({ server: `https://127.0.0.1:${port}`, token: "t", caCert: "", namespace: "my-model" }, 300);
    const started = Date.now();
    const error = await client.readPod("app-0").then(() => undefined, (e: unknown) => e);
    assert.ok(isKubernetesError(error), `not a KubernetesError: ${String(error)}`);
    assert.equal(error.kind, "unavailable");
    assert.match(error.message, /^cannot get pod my-model\/app-0: no answer within 300 ms$/);
    assert.ok(Date.now() - started < 5000);
  } finally {
    for (const socket of sockets) socket.destroy();
    server.close();
  }
});
