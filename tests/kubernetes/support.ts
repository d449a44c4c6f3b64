// The packed charm's unit example-app/0 in a pod of a real kube-apiserver (one per test file), with a real
// PostgreSQL related so the charm's own status can be active, and the status helpers the tests share.
import { after } from "node:test";
import assert from "node:assert/strict";
import { charmHarness, charmPath, type CharmHarness } from "../charm/support.ts";
import { startKubernetes, type KubernetesServer } from "../../simulator/servers/kubernetes.ts";
import { startPostgres } from "../../simulator/servers/postgres.ts";
import { postgresqlProvider } from "../../simulator/providers/postgresql.ts";

export const unit = "example-app/0";

export interface KubernetesHarness extends CharmHarness {
  cluster: KubernetesServer;
  /** `juju deploy example-app`, then PostgreSQL related. */
  deployWithPostgres(): Promise<void>;
  status(): { status: string; message: string };
  /**
   * What the charm says of its app by itself: active, or waiting on its ready check (the stand-in app
   * listens on no port). Never a word about the pod.
   */
  assertCharmOwnStatus(): void;
}

export async function kubernetesHarness(): Promise<KubernetesHarness> {
  const cluster = await startKubernetes();
  const postgres = await startPostgres();
  after(async () => { await postgres.stop(); await cluster.stop(); });
  const harness = await charmHarness({ kubernetes: cluster });
  const { simulation } = harness;
  const status = () => harness.status(unit);
  return {
    ...harness, cluster, status,
    async deployWithPostgres() {
      await simulation.deployCharm("example-app", charmPath);
      await simulation.deployScripted(postgresqlProvider(postgres));
      await simulation.integrate({ app: "example-app", endpoint: "postgresql" }, { app: "postgresql-k8s", endpoint: "database" });
    },
    assertCharmOwnStatus() {
      const { status: name, message } = status();
      if (name === "active") assert.equal(message, "");
      else assert.deepEqual({ status: name, message }, { status: "waiting", message: "Waiting for the app to answer on port 8080 (check expressjs-ready is failing)" });
    },
  };
}
