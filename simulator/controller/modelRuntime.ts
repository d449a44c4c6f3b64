// One model of the simulated controller: its Simulation, what `juju status` shows beyond the model file
// (charm origins and revisions, failed hooks), its model config, and the periodic update-status.
// Operations on a model run one at a time, in the order they arrive.
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { DispatchResult } from "../driver.ts";
import { dispatchPath, type SimEvent } from "../events.ts";
import { startPostgres, type PostgresServer } from "../servers/postgres.ts";
import { startKubernetes, type KubernetesServer } from "../servers/kubernetes.ts";
import { Simulation, type WorkloadHandle } from "../simulation.ts";
import { updateModel } from "../model.ts";
import { parseGoDuration } from "./duration.ts";
import { ensureServiceAddress, SERVICE_ADDRESS } from "./serviceAddress.ts";
import { JUJU_VERSION } from "./home.ts";
import type { WorkloadStarter } from "./workloads.ts";

export interface AppInfo {
  origin: "local" | "charmhub";
  charmName: string;
  revision: number;
  channel?: string;
  base: { name: string; channel: string };
  resources: Record<string, string>;
  /** The Kubernetes service address Juju gives the application. */
  serviceAddress: string;
  /** For scripted apps, which cannot run `application-version-set`. */
  workloadVersion?: string;
  /** Each workload container's image resource (metadata.yaml `containers.<c>.resource`). */
  containerResources: Record<string, string>;
}

/** A hook that exited non-zero: the unit shows `error` until a later run of that hook succeeds. */
export interface HookFailure {
  hook: string;
  event: SimEvent;
  since: string;
  attempts: number;
  retry?: NodeJS.Timeout;
}

/** Model-config keys the simulator knows, with Juju's defaults. */
export const MODEL_CONFIG_DEFAULTS: Record<string, string> = {
  "update-status-hook-interval": "5m",
  "juju-http-proxy": "",
  "juju-https-proxy": "",
  "juju-no-proxy": "127.0.0.1,localhost,::1",
  logging: "<root>=INFO",
  "default-base": "",
  "automatically-retry-hooks": "true",
};

const RETRY_FIRST_MS = 5_000;
const RETRY_MAX_MS = 5 * 60_000;

export interface ModelRuntimeOptions {
  name: string;
  dir: string;
  toolsDir: string;
  workloads: WorkloadStarter;
  config: Record<string, string>;
  log: (line: string) => void;
}

export class ModelRuntime {
  readonly name: string;
  readonly uuid: string;
  readonly dir: string;
  readonly createdAt = new Date().toISOString();
  readonly sim: Simulation;
  readonly apps = new Map<string, AppInfo>();
  readonly failures = new Map<string, HookFailure>();
  private readonly config: Record<string, string> = {};
  private readonly localRevisions = new Map<string, number>();
  private readonly log: (line: string) => void;
  private chain: Promise<unknown> = Promise.resolve();
  private updateStatusTimer?: NodeJS.Timeout;
  /** Each postgresql-k8s application's own PostgreSQL, as each real one runs its own database server. */
  private readonly postgres = new Map<string, Promise<PostgresServer & { stop(): Promise<void> }>>();
  private kubernetes?: Promise<KubernetesServer>;
  private destroyed = false;

  constructor(options: ModelRuntimeOptions) {
    this.name = options.name;
    this.dir = options.dir;
    this.log = options.log;
    rmSync(options.dir, { recursive: true, force: true });
    mkdirSync(options.dir, { recursive: true });
    this.sim = new Simulation({
      dir: join(options.dir, "sim"),
      modelName: options.name,
      jujuVersion: JUJU_VERSION,
      toolsDir: options.toolsDir,
      containers: (unit, container, socketDir) => this.startWorkload(options.workloads, unit, container, socketDir),
      onEvent: (unit, result) => this.recordHook(unit, result),
    });
    this.uuid = this.sim.model().uuid;
    this.setConfig(options.config, []);
  }

  /** Runs `operation` after every operation queued before it on this model. */
  serialize<T>(operation: () => Promise<T>): Promise<T> {
    const next = this.chain.then(operation, operation);
    this.chain = next.catch(() => undefined);
    return next;
  }

  modelConfig(): Record<string, { value: string; source: "default" | "model" }> {
    const entries = Object.keys({ ...MODEL_CONFIG_DEFAULTS, ...this.config }).sort();
    return Object.fromEntries(entries.map((key) => [key, key in this.config ? { value: this.config[key]!, source: "model" as const } : { value: MODEL_CONFIG_DEFAULTS[key]!, source: "default" as const }]));
  }

  setConfig(set: Record<string, string>, reset: string[]): void {
    if (set["update-status-hook-interval"] !== undefined) parseGoDuration(set["update-status-hook-interval"]);
    Object.assign(this.config, set);
    for (const key of reset) delete this.config[key];
    this.scheduleUpdateStatus();
  }

  /** The next revision of a local charm of this name: Juju numbers uploads 0, 1, 2, ... per model. */
  nextLocalRevision(charmName: string): number {
    const revision = this.localRevisions.get(charmName) ?? 0;
    this.localRevisions.set(charmName, revision + 1);
    return revision;
  }

  serviceAddressFor(): string {
    return `10.152.183.${(this.apps.size % 250) + 2}`;
  }

  /** The PostgreSQL server of postgresql-k8s application `app`, started on its deploy. */
  postgresServer(app: string): Promise<PostgresServer> {
    let server = this.postgres.get(app);
    if (!server) {
      // Reachable from the host and from every workload container.
      server = ensureServiceAddress().then(() => startPostgres({ host: SERVICE_ADDRESS }));
      this.postgres.set(app, server);
    }
    return server;
  }

  /** A removed postgresql-k8s application's server goes with it (a no-op for other applications). */
  async stopPostgres(app: string): Promise<void> {
    const server = this.postgres.get(app);
    this.postgres.delete(app);
    if (server) await (await server.catch(() => undefined))?.stop();
  }

  /**
   * With JUJU_SIM_KUBERNETES=1 in the controller's environment, the model's first deploy starts a real
   * kube-apiserver and etcd for it (loopback only): charms then run in pods with their service account.
   */
  async ensureKubernetes(): Promise<void> {
    if (process.env.JUJU_SIM_KUBERNETES !== "1" || this.kubernetes) return;
    this.kubernetes = startKubernetes();
    this.sim.attachKubernetes(await this.kubernetes);
  }

  async destroy(): Promise<void> {
    this.destroyed = true;
    clearTimeout(this.updateStatusTimer);
    for (const failure of this.failures.values()) clearTimeout(failure.retry);
    await this.chain;
    await this.sim.destroy();
    for (const app of [...this.postgres.keys()]) await this.stopPostgres(app);
    if (this.kubernetes) await (await this.kubernetes.catch(() => undefined))?.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async startWorkload(start: WorkloadStarter, unit: string, container: string, socketDir: string): Promise<WorkloadHandle> {
    const app = unit.slice(0, unit.lastIndexOf("/"));
    const info = this.apps.get(app);
    const resource = info?.containerResources[container];
    const image = resource === undefined ? undefined : info?.resources[resource];
    if (image === undefined) throw new Error(`${unit}: no image resource for container "${container}"`);
    const handle = await start({ unit, container, socketDir, image });
    const address = handle.address;
    // The unit's pod address is its container's: relation data and `juju status` show where it serves.
    if (address) updateModel(this.sim.modelPath, (m) => { m.units[unit]!.address = address; });
    return handle;
  }

  private recordHook(unit: string, result: DispatchResult): void {
    const event = result.event;
    if (event.kind === "action") return;
    const hook = result.dispatchPath.slice("hooks/".length);
    const failure = this.failures.get(unit);
    if (result.exitCode === 0) {
      if (failure?.hook === hook) {
        clearTimeout(failure.retry);
        this.failures.delete(unit);
      }
      return;
    }
    this.log(`${unit}: hook ${hook} failed (exit ${result.exitCode})`);
    if (failure) clearTimeout(failure.retry);
    const next: HookFailure = { hook, event, since: failure?.hook === hook ? failure.since : new Date().toISOString(), attempts: (failure?.hook === hook ? failure.attempts : 0) + 1 };
    this.failures.set(unit, next);
    if (this.config["automatically-retry-hooks"] !== "false") {
      // Juju retries a failed hook with exponential backoff until it succeeds.
      const delay = Math.min(RETRY_FIRST_MS * 2 ** (next.attempts - 1), RETRY_MAX_MS);
      next.retry = setTimeout(() => this.retry(unit, event), delay);
    }
  }

  private retry(unit: string, event: SimEvent): void {
    if (this.destroyed) return;
    this.serialize(async () => {
      if (this.failures.get(unit)?.hook !== dispatchPath(event).slice("hooks/".length)) return;
      if (!this.sim.unitsOf(unit.slice(0, unit.lastIndexOf("/"))).includes(unit)) return void this.failures.delete(unit);
      await this.sim.emit(unit, event);
    }).catch((error: Error) => this.log(`retrying ${unit}'s hook failed: ${error.message}`));
  }

  /** Every `update-status-hook-interval`, update-status on every started charm unit not in error. */
  private scheduleUpdateStatus(): void {
    clearTimeout(this.updateStatusTimer);
    if (this.destroyed) return;
    const interval = parseGoDuration(this.modelConfig()["update-status-hook-interval"]!.value);
    this.updateStatusTimer = setTimeout(() => {
      this.serialize(async () => {
        const units = [...this.apps.entries()].filter(([, info]) => info.origin === "local").flatMap(([app]) => this.sim.unitsOf(app));
        await this.sim.updateStatus(units.filter((unit) => !this.failures.has(unit)));
      })
        .catch((error: Error) => this.log(`update-status in ${this.name} failed: ${error.message}`))
        .finally(() => this.scheduleUpdateStatus());
    }, Math.max(interval, 1000));
  }
}
