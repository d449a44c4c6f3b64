// One simulated Juju model: applications backed by a packed charm (each unit runs the real charm through
// `dispatch`) or by a scripted provider, and Juju's event sequences for deploy, config, integrate,
// remove-relation, add-unit, remove-unit, leader change, refresh and pod restart (docs/juju-contract.md §4).
// Events queue per model and run one at a time; what a hook writes (relation data, secret revisions)
// queues the events Juju would send in reaction (relation-changed on the other side, secret-changed).
import { cpSync, mkdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { charmContainers, charmMetaFromDir } from "./charmMeta.ts";
import { dispatch, type DispatchResult, type Dispatcher, type UnitRuntime } from "./driver.ts";
import { SECRET_AUDIT_ENV } from "./hookTools/secretAudit.ts";
import type { SimEvent } from "./events.ts";
import { loadModel, mkdirPrivate, saveModel, updateModel, appOfUnit, type ConfigValue, type Model, type Relation, type CharmMeta } from "./model.ts";
import {
  addApplication, addRelation, addUnit, breakRelation, enqueueAction, enterScope, latestRevision, leaveScope, newModel,
  requireRelation, setLeader,
} from "./modelBuilder.ts";
import { unpackCharm } from "../packing/unpack.ts";
import { JujuObjects } from "./kubernetes/jujuObjects.ts";
import type { KubernetesServer } from "./servers/kubernetes.ts";

/** A running workload container of one unit (a real Pebble; see simulator/containers). */
export interface WorkloadHandle {
  stop(): Promise<void>;
  /** A pod restart: a fresh container filesystem and Pebble, rock layer only. */
  restart(): Promise<void>;
  /** Called when the kubelet restarted the container on its own (its Pebble died), once the new Pebble answers. */
  onRestart?(listener: () => void): void;
}

/** Starts the workload container `container` of `unit`, its Pebble socket at `<socketDir>/pebble.socket`. */
export type ContainerFactory = (unit: string, container: string, socketDir: string) => Promise<WorkloadHandle>;

/** An application played by code rather than a charm: it reacts to its units' events by editing the model. */
export interface ScriptedApp {
  name: string;
  charm: CharmMeta;
  units?: number;
  /** Called for each event of each of its units; edits to `model` are committed as the hook's writes. */
  handle(event: SimEvent, unit: string, model: Model): void | Promise<void>;
  /** Called when the app is removed (stop servers, drop databases). */
  dispose?(): Promise<void>;
}

interface CharmApp { kind: "charm"; charmPath: string; containers: string[] }
interface Scripted { kind: "scripted"; app: ScriptedApp }

interface UnitRecord {
  runtime?: UnitRuntime;
  containers: Map<string, WorkloadHandle>;
}

export interface QueuedEvent { unit: string; event: SimEvent }

export interface SimulationOptions {
  dir: string;
  modelName: string;
  jujuVersion?: string;
  /** Directory of the installed hook tools (simulator/hookTools/install.ts). */
  toolsDir: string;
  containers: ContainerFactory;
  /** A real API server: the model gets Juju's Kubernetes objects and units run "in" their pods. */
  kubernetes?: KubernetesServer;
  /** Runs the charm in place of `dispatch` (the in-process tier); charms are then given as directories of their files. */
  dispatcher?: Dispatcher;
  /** Called after each dispatched event (tests record them; the CLI logs them). */
  onEvent?: (unit: string, result: DispatchResult) => void;
}

export class Simulation {
  readonly modelPath: string;
  private readonly apps = new Map<string, CharmApp | Scripted>();
  private readonly units = new Map<string, UnitRecord>();
  private readonly queue: QueuedEvent[] = [];
  readonly history: Array<{ unit: string; result?: DispatchResult; event: SimEvent }> = [];

  private readonly options: SimulationOptions;
  private cluster: JujuObjects | undefined;
  private kubeServer: KubernetesServer | undefined;
  private namespaceCreated = false;
  private settling: Promise<void> | undefined;
  private readonly backgroundErrors: Error[] = [];

  constructor(options: SimulationOptions) {
    this.options = options;
    if (options.kubernetes) this.attachKubernetes(options.kubernetes);
    mkdirPrivate(options.dir);
    this.modelPath = join(options.dir, "model.json");
    const auditFile = process.env[SECRET_AUDIT_ENV];
    saveModel(this.modelPath, {
      ...newModel({ name: options.modelName, ...(options.jujuVersion ? { jujuVersion: options.jujuVersion } : {}) }),
      ...(auditFile ? { secretAudit: auditFile } : {}),
    });
  }

  model(): Model {
    return loadModel(this.modelPath);
  }

  // --- sequences -----------------------------------------------------------------------------------

  /** `juju deploy`: install, peer relation-created, leader-elected, config-changed, start, pebble-ready per unit. */
  async deployCharm(app: string, charmPath: string, opts: { units?: number; config?: Record<string, ConfigValue>; trust?: boolean } = {}): Promise<void> {
    const unpacked = join(this.options.dir, "charms", app);
    rmSync(unpacked, { recursive: true, force: true });
    placeCharm(charmPath, unpacked);
    const charm = charmMetaFromDir(unpacked);
    this.apps.set(app, { kind: "charm", charmPath, containers: charmContainers(unpacked) });
    this.edit((m) => addApplication(m, app, charm, { ...(opts.config ? { config: opts.config } : {}), ...(opts.trust ? { trusted: true } : {}) }));
    if (this.cluster) {
      if (!this.namespaceCreated) await this.cluster.createNamespace();
      this.namespaceCreated = true;
      await this.cluster.deployApp(app, Object.fromEntries(charmContainers(unpacked).map((c) => [c, { image: `localhost:32000/${app}-${c}:sim` }])), opts.trust === true);
    }
    const peers = Object.entries(charm.endpoints).filter(([, e]) => e.role === "peers").map(([name]) => name);
    const peerIds = this.edit((m) => peers.map((endpoint) => addRelation(m, { app, endpoint })));
    for (let i = 0; i < (opts.units ?? 1); i++) await this.addUnit(app, { peerIds });
    await this.settle();
  }

  async deployScripted(scripted: ScriptedApp): Promise<void> {
    this.apps.set(scripted.name, { kind: "scripted", app: scripted });
    this.edit((m) => addApplication(m, scripted.name, scripted.charm));
    for (let i = 0; i < (scripted.units ?? 1); i++) {
      const unit = this.edit((m) => addUnit(m, scripted.name, { leader: i === 0 }));
      this.units.set(unit, { containers: new Map() });
      this.enqueue(unit, { kind: "lifecycle", hook: "install" });
      this.enqueue(unit, { kind: "lifecycle", hook: i === 0 ? "leader-elected" : "leader-settings-changed" });
      this.enqueue(unit, { kind: "lifecycle", hook: "config-changed" });
      this.enqueue(unit, { kind: "lifecycle", hook: "start" });
    }
    await this.settle();
  }

  /** `juju add-unit`: the new unit sees every existing relation created, then joins them. */
  async addUnit(app: string, internal: { peerIds?: number[] } = {}): Promise<string> {
    const spec = this.requireCharmApp(app);
    const unit = this.edit((m) => addUnit(m, app, { leader: !Object.values(m.units).some((u) => u.app === app && u.leader) }));
    const record: UnitRecord = { containers: new Map(), runtime: this.prepareRuntime(unit, spec) };
    this.units.set(unit, record);
    await this.cluster?.addUnit(app, unitNumber(unit), serviceAccountDir(record.runtime!));
    const model = this.model();
    const relations = internal.peerIds
      ? internal.peerIds.map((id) => requireRelation(model, id))
      : Object.values(model.relations).filter((r) => !r.broken && r.ends.some((e) => e.app === app));
    this.enqueue(unit, { kind: "lifecycle", hook: "install" });
    for (const relation of relations) this.enqueue(unit, relationEvent(relation, app, "created"));
    this.enqueue(unit, { kind: "lifecycle", hook: model.units[unit]!.leader ? "leader-elected" : "leader-settings-changed" });
    this.enqueue(unit, { kind: "lifecycle", hook: "config-changed" });
    this.enqueue(unit, { kind: "lifecycle", hook: "start" });
    for (const container of spec.containers) {
      const socketDir = join(record.runtime!.containersDir, container);
      mkdirSync(socketDir, { recursive: true });
      const handle = await this.options.containers(unit, container, socketDir);
      // Juju's Pebble poller (worker/uniter/pebblepoller.go) sees the new boot id and fires pebble-ready.
      handle.onRestart?.(() => {
        if (this.units.get(unit)?.containers.get(container) !== handle) return;
        this.enqueue(unit, { kind: "workload", hook: "pebble-ready", container });
        void this.settle().catch((error: Error) => this.backgroundErrors.push(error));
      });
      record.containers.set(container, handle);
      this.enqueue(unit, { kind: "workload", hook: "pebble-ready", container });
    }
    for (const relation of relations) this.joinScope(relation.id, unit);
    await this.settle();
    return unit;
  }

  /** `juju integrate a:ep b:ep`: created on every unit of both sides, then joined/changed per remote unit. */
  async integrate(a: { app: string; endpoint: string }, b: { app: string; endpoint: string }): Promise<number> {
    const id = this.edit((m) => addRelation(m, a, b));
    const relation = requireRelation(this.model(), id);
    for (const end of relation.ends) for (const unit of this.unitsOf(end.app)) this.enqueue(unit, relationEvent(relation, end.app, "created"));
    for (const end of relation.ends) for (const unit of this.unitsOf(end.app)) this.joinScope(id, unit);
    await this.settle();
    return id;
  }

  /** `juju remove-relation`: departed per remote unit, then broken, on every unit of both sides. */
  async removeRelation(id: number): Promise<void> {
    const relation = requireRelation(this.model(), id);
    for (const end of relation.ends) {
      for (const unit of this.unitsOf(end.app)) {
        for (const remote of relation.scope.filter((u) => appOfUnit(u) !== end.app || relation.ends.length === 1)) {
          if (remote === unit) continue;
          this.enqueue(unit, { ...relationEvent(relation, end.app, "departed"), remoteUnit: remote, departingUnit: remote });
        }
      }
    }
    await this.settle();
    // Juju marks the relation dying before -broken: other hooks no longer see it; the -broken hook itself
    // still does (relation-ids lists it there, hookTools/tools/relation.ts).
    this.edit((m) => {
      for (const unit of [...requireRelation(m, id).scope]) leaveScope(m, id, unit);
      breakRelation(m, id);
    });
    for (const end of relation.ends) for (const unit of this.unitsOf(end.app)) this.enqueue(unit, relationEvent(relation, end.app, "broken"));
    await this.settle();
  }

  async configure(app: string, values: Record<string, ConfigValue | null>): Promise<void> {
    this.edit((m) => {
      const config = m.applications[app]!.config;
      for (const [key, value] of Object.entries(values)) {
        if (value === null) delete config[key];
        else config[key] = value;
      }
    });
    for (const unit of this.unitsOf(app)) this.enqueue(unit, { kind: "lifecycle", hook: "config-changed" });
    await this.settle();
  }

  /** Leadership moves to `unit`: leader-elected there, leader-settings-changed on the others. */
  async electLeader(unit: string): Promise<void> {
    const app = appOfUnit(unit);
    this.edit((m) => setLeader(m, unit));
    this.enqueue(unit, { kind: "lifecycle", hook: "leader-elected" });
    for (const other of this.unitsOf(app)) if (other !== unit) this.enqueue(other, { kind: "lifecycle", hook: "leader-settings-changed" });
    await this.settle();
  }

  /** `juju remove-unit`: stop, relation-broken (not peers), remove on the unit; departed elsewhere; re-election. */
  async removeUnit(unit: string, internal: { keepLeader?: boolean } = {}): Promise<void> {
    const app = appOfUnit(unit);
    const model = this.model();
    const wasLeader = model.units[unit]?.leader === true;
    const relations = Object.values(model.relations).filter((r) => !r.broken && r.scope.includes(unit));
    this.edit((m) => { m.units[unit]!.life = "dying"; });
    this.enqueue(unit, { kind: "lifecycle", hook: "stop" });
    for (const relation of relations) {
      const peer = relation.ends.length === 1;
      if (!peer) this.enqueue(unit, relationEvent(relation, app, "broken"));
      for (const other of relation.scope) {
        if (other === unit) continue;
        const otherApp = appOfUnit(other);
        this.enqueue(other, { ...relationEvent(relation, otherApp, "departed"), remoteUnit: unit, departingUnit: unit });
      }
    }
    this.enqueue(unit, { kind: "lifecycle", hook: "remove" });
    await this.settle();
    for (const relation of relations) this.edit((m) => leaveScope(m, relation.id, unit));
    const record = this.units.get(unit);
    for (const handle of record?.containers.values() ?? []) await handle.stop();
    await this.cluster?.removeUnit(app, unitNumber(unit));
    this.units.delete(unit);
    this.edit((m) => { delete m.units[unit]; });
    if (wasLeader && !internal.keepLeader) {
      const successor = this.unitsOf(app)[0];
      if (successor) await this.electLeader(successor);
    }
  }

  /**
   * `juju remove-application`: every unit goes as with remove-unit (the other side sees departed, then
   * broken once the last unit left); then the application, its relations and its secrets are gone.
   */
  async removeApplication(app: string): Promise<void> {
    const spec = this.apps.get(app);
    if (!spec) throw new Error(`${app} is not an application of this simulation`);
    const relations = Object.values(this.model().relations).filter((r) => !r.broken && r.ends.length === 2 && r.ends.some((e) => e.app === app));
    for (const unit of this.unitsOf(app).reverse()) await this.removeUnit(unit, { keepLeader: true });
    // As with remove-relation, the relations are dying before -broken runs.
    this.edit((m) => { for (const relation of Object.values(m.relations)) if (relation.ends.some((e) => e.app === app)) breakRelation(m, relation.id); });
    for (const relation of relations) {
      const other = relation.ends.find((e) => e.app !== app)!;
      for (const unit of this.unitsOf(other.app)) this.enqueue(unit, relationEvent(relation, other.app, "broken"));
    }
    await this.settle();
    this.edit((m) => {
      for (const [id, secret] of Object.entries(m.secrets)) {
        const owner = secret.owner.kind === "unit" ? appOfUnit(secret.owner.name) : secret.owner.name;
        if (secret.owner.kind !== "model" && owner === app) delete m.secrets[id];
      }
      delete m.applications[app];
    });
    if (spec.kind === "scripted") await spec.app.dispose?.();
    else await this.cluster?.removeApp(app);
    this.apps.delete(app);
  }

  /** `juju trust`: the application's trust changes and its units see config-changed. */
  async setTrust(app: string, trusted: boolean): Promise<void> {
    this.edit((m) => { m.applications[app]!.trusted = trusted; });
    await this.cluster?.setTrust(app, trusted);
    for (const unit of this.unitsOf(app)) this.enqueue(unit, { kind: "lifecycle", hook: "config-changed" });
    await this.settle();
  }

  /**
   * `juju refresh`: stop, upgrade-charm, config-changed, leader-settings-changed, start, pebble-ready (pods
   * recreated). `charmPath` is the new charm (the current one when only resources change); with
   * `newImages` each workload container starts anew from its (new) image instead of restarting.
   */
  async refresh(app: string, charmPath?: string, opts: { newImages?: boolean } = {}): Promise<void> {
    const spec = this.requireCharmApp(app);
    for (const unit of this.unitsOf(app)) this.enqueue(unit, { kind: "lifecycle", hook: "stop" });
    await this.settle();
    if (charmPath !== undefined) {
      const unpacked = join(this.options.dir, "charms", app);
      rmSync(unpacked, { recursive: true, force: true });
      placeCharm(charmPath, unpacked);
      spec.charmPath = charmPath;
      this.edit((m) => { m.applications[app]!.charm = charmMetaFromDir(unpacked); });
    }
    for (const unit of this.unitsOf(app)) {
      const record = this.units.get(unit)!;
      record.runtime = this.prepareRuntime(unit, spec);
      await this.churnPod(unit, record, { leaderSettings: true, newImages: opts.newImages === true });
    }
    await this.settle();
  }

  /** The unit's pod is deleted and recreated: upgrade-charm, config-changed, start, pebble-ready. */
  async restartPod(unit: string): Promise<void> {
    if (!this.units.get(unit)?.runtime) throw new Error(`${unit} is not a charm unit`);
    await this.recreatePod(unit);
    await this.settle();
  }

  /** A charm unit's new pod: a fresh charm dir and container, then Juju's pod-churn events. */
  private async recreatePod(unit: string): Promise<void> {
    const record = this.units.get(unit)!;
    record.runtime = this.prepareRuntime(unit, this.requireCharmApp(appOfUnit(unit)));
    await this.churnPod(unit, record, { leaderSettings: false });
  }

  async updateStatus(units = this.charmUnits()): Promise<void> {
    for (const unit of units) this.enqueue(unit, { kind: "lifecycle", hook: "update-status" });
    await this.settle();
  }

  /** `juju run <unit> <action>`: returns the action's id; read the outcome from model().actions. */
  async runAction(unit: string, name: string, params: Record<string, unknown> = {}): Promise<string> {
    const id = this.edit((m) => enqueueAction(m, unit, name, params));
    this.enqueue(unit, { kind: "action", name, id });
    await this.settle();
    return id;
  }

  /** Delivers one arbitrary event (and whatever it sets off). */
  async emit(unit: string, event: SimEvent): Promise<void> {
    this.enqueue(unit, event);
    await this.settle();
  }

  /** Lets a test or provider edit the model as another party would (e.g. a provider app writing data). */
  async change(edit: (model: Model) => void): Promise<void> {
    const before = this.model();
    this.edit(edit);
    this.queueReactions(undefined, before, this.model());
    await this.settle();
  }

  async destroy(): Promise<void> {
    for (const record of this.units.values()) for (const handle of record.containers.values()) await handle.stop().catch(() => undefined);
    for (const spec of this.apps.values()) if (spec.kind === "scripted") await spec.app.dispose?.().catch(() => undefined);
    this.units.clear();
  }

  /** The model's namespace and its apps' objects leave the API server (one shared by several models). */
  async removeNamespace(): Promise<void> {
    if (!this.cluster || !this.namespaceCreated) return;
    await this.cluster.removeNamespace([...this.apps.entries()].filter(([, spec]) => spec.kind === "charm").map(([app]) => app));
    this.namespaceCreated = false;
  }

  unitsOf(app: string): string[] {
    return Object.values(this.model().units).filter((u) => u.app === app && u.life === "alive").map((u) => u.name).sort(byUnitNumber);
  }

  /** Gives the model a real API server; only before its first charm (the CLI starts one on demand). */
  attachKubernetes(server: KubernetesServer): void {
    if ([...this.apps.values()].some((app) => app.kind === "charm")) throw new Error("a Kubernetes API server can only be attached before the first charm is deployed");
    this.kubeServer = server;
    this.cluster = new JujuObjects(server, this.options.modelName);
  }

  /** Juju's objects on the model's API server (and the kubelet's controls), when it has one. */
  kubernetes(): JujuObjects {
    if (!this.cluster) throw new Error("this simulation has no Kubernetes API server (SimulationOptions.kubernetes)");
    return this.cluster;
  }

  runtimeOf(unit: string): UnitRuntime {
    const runtime = this.units.get(unit)?.runtime;
    if (!runtime) throw new Error(`${unit} is not a charm unit of this simulation`);
    return runtime;
  }

  // --- the event loop --------------------------------------------------------------------------------

  private enqueue(unit: string, event: SimEvent): void {
    const key = JSON.stringify([unit, event]);
    if (event.kind === "relation" && event.hook === "changed" && this.queue.some((q) => JSON.stringify([q.unit, q.event]) === key)) return;
    this.queue.push({ unit, event });
  }

  /** Runs queued events until none is left, queueing each hook's consequences as Juju would. */
  /**
   * Delivers queued events one at a time until none is left. Events queued by the cluster on its own (a
   * restarted container's pebble-ready) settle in the background; a call while a settle runs joins it.
   */
  settle(): Promise<void> {
    this.settling ??= this.drain().finally(() => {
      this.settling = undefined;
    });
    return this.settling;
  }

  /** Resolves once no event is queued or being delivered; throws what a background settle threw. */
  async idle(): Promise<void> {
    while (this.settling) await this.settling;
    const error = this.backgroundErrors.shift();
    if (error) throw error;
  }

  private async drain(): Promise<void> {
    for (let guard = 0; this.queue.length > 0; guard++) {
      if (guard > 10_000) throw new Error("the simulation does not settle: events keep causing events");
      const { unit, event } = this.queue.shift()!;
      if (!this.units.has(unit)) continue;
      const before = this.model();
      const result = await this.deliver(unit, event);
      this.history.push({ unit, event, ...(result ? { result } : {}) });
      if (result && this.options.onEvent) this.options.onEvent(unit, result);
      this.queueReactions(unit, before, this.model());
      if (result) await this.rollOutPods(appOfUnit(unit));
    }
  }

  private async deliver(unit: string, event: SimEvent): Promise<DispatchResult | undefined> {
    const spec = this.apps.get(appOfUnit(unit));
    if (!spec) return undefined;
    if (spec.kind === "scripted") {
      const model = this.model();
      await spec.app.handle(event, unit, model);
      saveModel(this.modelPath, model);
      return undefined;
    }
    return dispatch(this.runtimeOf(unit), event);
  }

  /** Relation data another unit can see changed → relation-changed there; a new secret revision → secret-changed for its readers. */
  private queueReactions(writer: string | undefined, before: Model, after: Model): void {
    for (const relation of Object.values(after.relations)) {
      if (relation.broken) continue;
      const old = before.relations[String(relation.id)];
      for (const [bagUnit, data] of Object.entries(relation.unitData)) {
        if (!old || !sameData(old.unitData[bagUnit], data)) {
          for (const reader of relation.scope) {
            if (reader === bagUnit || !relation.scope.includes(bagUnit)) continue;
            if (relation.ends.length === 2 && appOfUnit(reader) === appOfUnit(bagUnit)) continue;
            this.enqueue(reader, { ...relationEvent(relation, appOfUnit(reader), "changed"), remoteUnit: bagUnit });
          }
        }
      }
      for (const [bagApp, data] of Object.entries(relation.appData)) {
        if (old && sameData(old.appData[bagApp], data)) continue;
        if (!old && Object.keys(data).length === 0) continue;
        for (const reader of relation.scope) {
          const readerApp = appOfUnit(reader);
          const peer = relation.ends.length === 1;
          // Juju sends app-databag changes to the other side, and for peers to the units that did not write.
          if (peer ? reader === writer : readerApp === bagApp) continue;
          this.enqueue(reader, relationEvent(relation, readerApp, "changed"));
        }
      }
    }
    for (const secret of Object.values(after.secrets)) {
      const previous = before.secrets[secret.id];
      if (!previous || latestRevision(previous) === latestRevision(secret)) continue;
      for (const [reader, consumer] of Object.entries(secret.consumers)) {
        // Readers tracking an older revision hear of the new one; for an app's secret that includes the app's
        // other units (Juju PR 15127), never the unit whose hook wrote it.
        if (reader === writer || consumer.trackedRevision === undefined || consumer.trackedRevision >= latestRevision(secret)) continue;
        if (secret.owner.kind === "unit" && secret.owner.name === reader) continue;
        this.enqueue(reader, { kind: "secret", hook: "secret-changed", secretId: secret.id, ...(consumer.label ? { label: consumer.label } : {}), revision: latestRevision(secret) });
      }
    }
  }

  // --- helpers -------------------------------------------------------------------------------------------

  private joinScope(relationId: number, unit: string): void {
    const before = requireRelation(this.model(), relationId);
    const peers = before.scope.filter((other) => before.ends.length === 1 || appOfUnit(other) !== appOfUnit(unit));
    this.edit((m) => enterScope(m, relationId, unit));
    const relation = requireRelation(this.model(), relationId);
    for (const other of peers) {
      if (other === unit) continue;
      this.enqueue(unit, { ...relationEvent(relation, appOfUnit(unit), "joined"), remoteUnit: other });
      this.enqueue(unit, { ...relationEvent(relation, appOfUnit(unit), "changed"), remoteUnit: other });
      this.enqueue(other, { ...relationEvent(relation, appOfUnit(other), "joined"), remoteUnit: unit });
      this.enqueue(other, { ...relationEvent(relation, appOfUnit(other), "changed"), remoteUnit: unit });
    }
  }

  private async churnPod(unit: string, record: UnitRecord, opts: { leaderSettings: boolean; newImages?: boolean }): Promise<void> {
    const leader = this.model().units[unit]?.leader === true;
    for (const [container, handle] of record.containers) {
      if (!opts.newImages) {
        await handle.restart();
        continue;
      }
      await handle.stop();
      record.containers.set(container, await this.options.containers(unit, container, join(record.runtime!.containersDir, container)));
    }
    this.enqueue(unit, { kind: "lifecycle", hook: "upgrade-charm" });
    this.enqueue(unit, { kind: "lifecycle", hook: "config-changed" });
    if (opts.leaderSettings && !leader) this.enqueue(unit, { kind: "lifecycle", hook: "leader-settings-changed" });
    this.enqueue(unit, { kind: "lifecycle", hook: "start" });
    for (const container of record.containers.keys()) this.enqueue(unit, { kind: "workload", hook: "pebble-ready", container });
  }

  /** The StatefulSet controller and kubelet: a changed pod template replaces each pod, with Juju's pod-churn events. */
  private async rollOutPods(app: string): Promise<void> {
    if (!this.cluster || this.apps.get(app)?.kind !== "charm") return;
    // A controller that cannot reach its API server (a test stopped it) acts once it can again.
    const replaced = await this.cluster.rollOut(app).catch((error: Error) => {
      if (error.name === "TypeError" && /fetch failed/.test(error.message)) return [];
      throw error;
    });
    for (const n of replaced) {
      const unit = `${app}/${n}`;
      if (this.units.get(unit)?.runtime) await this.recreatePod(unit);
    }
  }

  /** Each unit gets its own unpacked copy of the charm, as each Juju unit agent has. */
  private prepareRuntime(unit: string, spec: CharmApp): UnitRuntime {
    const unitDir = join(this.options.dir, "units", unit.replace("/", "-"));
    const charmDir = join(unitDir, "charm");
    rmSync(charmDir, { recursive: true, force: true });
    placeCharm(spec.charmPath, charmDir);
    const containersDir = join(unitDir, "containers");
    mkdirSync(containersDir, { recursive: true });
    const runtime: UnitRuntime = {
      modelPath: this.modelPath, unit, charmDir, toolsDir: this.options.toolsDir, containersDir,
      ...(this.options.dispatcher ? { dispatcher: this.options.dispatcher } : {}),
    };
    const server = this.kubeServer;
    if (!server) return runtime;
    // The pod's view of the cluster: the API server's service address and the mounted service account.
    return { ...runtime, kubernetes: { host: server.host, port: String(server.port) }, serviceAccountDir: serviceAccountDir(runtime) };
  }

  private requireCharmApp(app: string): CharmApp {
    const spec = this.apps.get(app);
    if (spec?.kind !== "charm") throw new Error(`${app} is not a charm application of this simulation`);
    return spec;
  }

  private charmUnits(): string[] {
    return [...this.units.entries()].filter(([, r]) => r.runtime).map(([u]) => u).sort(byUnitNumber);
  }

  private edit<T>(change: (model: Model) => T): T {
    return updateModel(this.modelPath, change);
  }
}

function relationEvent(relation: Relation, localApp: string, hook: "created" | "joined" | "changed" | "departed" | "broken"): Extract<SimEvent, { kind: "relation" }> {
  const local = relation.ends.find((e) => e.app === localApp) ?? relation.ends[0]!;
  const remote = relation.ends.find((e) => e !== local) ?? local;
  return { kind: "relation", hook, relationId: relation.id, endpoint: local.endpoint, remoteApp: remote.app };
}

function unitNumber(unit: string): number {
  return Number(unit.split("/")[1]);
}

/** Where a unit's service-account files are (/var/run/secrets/kubernetes.io/serviceaccount in a pod). */
function serviceAccountDir(runtime: UnitRuntime): string {
  return join(runtime.containersDir, "..", "serviceaccount");
}

function sameData(a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean {
  const left = a ?? {};
  const right = b ?? {};
  const keys = new Set([...Object.keys(left), ...Object.keys(right)]);
  for (const key of keys) if (left[key] !== right[key]) return false;
  return true;
}

function byUnitNumber(a: string, b: string): number {
  const [appA, nA] = a.split("/");
  const [appB, nB] = b.split("/");
  return appA === appB ? Number(nA) - Number(nB) : appA!.localeCompare(appB!);
}

/** A packed .charm is unpacked; a directory (the charm's files, for the in-process tier) is copied. */
function placeCharm(source: string, into: string): void {
  if (statSync(source).isDirectory()) cpSync(source, into, { recursive: true });
  else unpackCharm(source, into);
}
