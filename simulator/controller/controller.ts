// The simulated controller: the models of one simulator home, each a ModelRuntime, and every operation
// the CLI asks for. Operations on one model run one at a time; model creation and removal run one at a
// time across the controller.
import { existsSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { unpackCharm } from "../../packing/unpack.ts";
import { charmMetaFromDir } from "../charmMeta.ts";
import { appOfUnit, mkdirPrivate, updateModel, type Model, type Secret } from "../model.ts";
import { addSecret, latestRevision } from "../modelBuilder.ts";
import { checkResetKeys, configJson, parseSettings } from "./appConfig.ts";
import { BUILTINS } from "./builtins.ts";
import { JujuError, notFound } from "./errors.ts";
import { CONTROLLER_NAME, JUJU_VERSION, type SimHome } from "./home.ts";
import { ModelRuntime, type AppInfo } from "./modelRuntime.ts";
import { startKubernetes, type KubernetesServer } from "../servers/kubernetes.ts";
import type { ModelSummary, OperationName, Operations } from "./protocol.ts";
import { findRelation, inferRelation } from "./relations.ts";
import { findSecret, secretJson } from "./secrets.ts";
import { endpointBindings, jujuTime, modelIntegrations, modelStatus } from "./status.ts";
import { execInCharmContainer, execInWorkload } from "./unitExec.ts";
import { copyFile } from "./unitFiles.ts";
import type { WorkloadStarter } from "./workloads.ts";
import { readFileSync } from "node:fs";

type Handlers = { [K in OperationName]: (args: Operations[K]["args"]) => Promise<Operations[K]["result"]> };

export interface ControllerOptions {
  home: SimHome;
  workloads: WorkloadStarter;
  log: (line: string) => void;
  /** Called once the controller has nothing left to run (last model destroyed, or `stop`). */
  onIdle: () => void;
}

export class Controller {
  private readonly models = new Map<string, ModelRuntime>();
  private readonly options: ControllerOptions;
  private lifecycle: Promise<unknown> = Promise.resolve();
  private kubernetes?: Promise<KubernetesServer>;
  readonly handlers: Handlers;

  constructor(options: ControllerOptions) {
    this.options = options;
    rmSync(options.home.modelsDir, { recursive: true, force: true });
    mkdirPrivate(options.home.modelsDir);
    this.handlers = {
      ping: async () => ({ pid: process.pid }),
      stop: async () => {
        await this.stopAll();
        return {};
      },
      "add-model": (args) => this.oneAtATime(async () => this.addModel(args.name, args.config)),
      "destroy-model": (args) => this.oneAtATime(async () => this.destroyModel(args.name)),
      models: async () => [...this.models.values()].map(summary),
      "model-config": async ({ model, set, reset }) => {
        const runtime = this.model(model);
        try {
          runtime.setConfig(set, reset);
        } catch (error) {
          throw new JujuError(`cannot set model config: ${(error as Error).message}`);
        }
        return runtime.modelConfig();
      },
      deploy: (args) => this.inModel(args.model, (runtime) => this.deploy(runtime, args)),
      "config-get": async ({ model, app }) => {
        const runtime = this.model(model);
        return configJson(requireApp(runtime.sim.model(), app), runtime.apps.get(app)!.charmName);
      },
      "config-set": (args) => this.inModel(args.model, async (runtime) => {
        const application = requireApp(runtime.sim.model(), args.app);
        const values = parseSettings(application, args.set);
        checkResetKeys(application, args.reset);
        const changes: Record<string, string | number | boolean | null> = {};
        for (const [key, value] of Object.entries(values)) if (application.config[key] !== value) changes[key] = value;
        for (const key of args.reset) if (application.config[key] !== undefined) changes[key] = null;
        // Juju fires config-changed only when a setting really changed.
        if (Object.keys(changes).length > 0) await runtime.sim.configure(args.app, changes);
        return {};
      }),
      integrate: (args) => this.inModel(args.model, async (runtime) => {
        const [a, b] = inferRelation(runtime.sim.model(), args.a, args.b);
        return { id: await runtime.sim.integrate(a, b) };
      }),
      "remove-relation": (args) => this.inModel(args.model, async (runtime) => {
        await runtime.sim.removeRelation(findRelation(runtime.sim.model(), args.a, args.b).id);
        return {};
      }),
      "add-unit": (args) => this.inModel(args.model, async (runtime) => {
        const info = this.requireAppInfo(runtime, args.app);
        if (info.origin !== "local") throw new JujuError(`cannot add units to ${args.app}: the simulator's ${info.charmName} runs one unit`);
        const units: string[] = [];
        for (let i = 0; i < args.count; i++) units.push(await runtime.sim.addUnit(args.app));
        return { units };
      }),
      "remove-unit": (args) => this.inModel(args.model, async (runtime) => this.removeUnits(runtime, args.app, args.count)),
      "remove-application": (args) => this.inModel(args.model, async (runtime) => {
        for (const app of args.apps) this.requireAppInfo(runtime, app);
        const units: Record<string, string[]> = {};
        for (const app of args.apps) {
          units[app] = runtime.sim.unitsOf(app);
          await runtime.sim.removeApplication(app);
          runtime.apps.delete(app);
          await runtime.stopPostgres(app);
        }
        return { units };
      }),
      trust: (args) => this.inModel(args.model, async (runtime) => {
        this.requireAppInfo(runtime, args.app);
        await runtime.sim.setTrust(args.app, args.trusted);
        return {};
      }),
      run: (args) => this.inModel(args.model, async (runtime) => {
        const unit = resolveUnit(runtime.sim.model(), args.unit);
        const meta = runtime.sim.model().applications[appOfUnit(unit)]!.charm.actions[args.action];
        if (!meta) throw new JujuError(`action "${args.action}" not defined on unit "${unit}"`);
        for (const required of meta.required ?? []) {
          if (args.params[required] === undefined) throw new JujuError(`validation failed: (root) : "${required}" property is missing and required, given ${JSON.stringify(args.params)}`);
        }
        const id = await runtime.sim.runAction(unit, args.action, args.params);
        return runtime.sim.model().actions[id]!;
      }),
      status: async ({ model }) => modelStatus(this.model(model)),
      integrations: async ({ model }) => modelIntegrations(this.model(model)),
      "show-unit": async ({ model, unit }) => this.showUnit(this.model(model), unit),
      "show-model": async ({ model }) => showModel(this.model(model)),
      "debug-log": async (args) => ({ lines: debugLog(this.model(args.model).sim.model(), args) }),
      "add-secret": (args) => this.inModel(args.model, async (runtime) => {
        const model = runtime.sim.model();
        if (Object.values(model.secrets).some((s) => s.owner.kind === "model" && s.label === args.name)) throw new JujuError(`secret with name "${args.name}" already exists`);
        if (Object.keys(args.content).length === 0) throw new JujuError("missing secret value");
        const id = updateModel(runtime.sim.modelPath, (m) => addSecret(m, { owner: { kind: "model", name: m.name }, content: args.content, label: args.name, ...(args.info ? { description: args.info } : {}) }));
        return { uri: `secret:${id}` };
      }),
      "grant-secret": (args) => this.inModel(args.model, async (runtime) => {
        const model = runtime.sim.model();
        const secret = findSecret(model, args.secret);
        for (const app of args.apps) requireApp(model, app);
        updateModel(runtime.sim.modelPath, (m) => {
          const grants = m.secrets[secret.id]!.grants;
          for (const app of args.apps) if (!grants.some((g) => g.relationId === undefined && g.target === app)) grants.push({ target: app, targetKind: "application" });
        });
        return {};
      }),
      secrets: async ({ model, reveal, secret }) => {
        const state = this.model(model).sim.model();
        const chosen = secret === undefined ? Object.values(state.secrets) : [findSecret(state, secret)];
        return Object.fromEntries(chosen.map((s) => [s.id, secretJson(state, s, reveal)]));
      },
      "update-secret": (args) => this.inModel(args.model, async (runtime) => {
        const secret = userSecret(runtime.sim.model(), args.secret);
        if (args.name !== undefined && args.name !== secret.label && Object.values(runtime.sim.model().secrets).some((s) => s.owner.kind === "model" && s.label === args.name)) {
          throw new JujuError(`secret with name "${args.name}" already exists`);
        }
        // A new revision only when the content changed; consumers tracking an older one then see secret-changed.
        await runtime.sim.change((m) => {
          const target = m.secrets[secret.id]!;
          const latest = target.revisions.at(-1);
          if (Object.keys(args.content).length > 0 && !sameContent(latest?.content ?? {}, args.content)) {
            target.revisions.push({ revision: latestRevision(target) + 1, content: args.content, createdAt: new Date().toISOString() });
          }
          if (args.info !== undefined) target.description = args.info;
          if (args.name !== undefined) target.label = args.name;
        });
        return {};
      }),
      "remove-secret": (args) => this.inModel(args.model, async (runtime) => {
        const secret = userSecret(runtime.sim.model(), args.secret);
        updateModel(runtime.sim.modelPath, (m) => {
          const target = m.secrets[secret.id]!;
          if (args.revision === undefined) return void delete m.secrets[secret.id];
          if (!target.revisions.some((r) => r.revision === args.revision)) throw new JujuError(`secret revision ${args.revision} for "${args.secret}" not found`);
          target.revisions = target.revisions.filter((r) => r.revision !== args.revision);
          if (target.revisions.length === 0) delete m.secrets[secret.id];
        });
        return {};
      }),
      refresh: (args) => this.inModel(args.model, async (runtime) => this.refresh(runtime, args)),
      "show-task": async ({ model, id }) => {
        const run = this.model(model).sim.model().actions[id];
        if (!run) throw new JujuError(`task ${id} not found`);
        return run;
      },
      "show-application": async ({ model, app }) => showApplication(this.model(model), app),
      "scale-application": (args) => this.inModel(args.model, async (runtime) => {
        const info = this.requireAppInfo(runtime, args.app);
        const alive = runtime.sim.unitsOf(args.app);
        if (args.scale > alive.length && info.origin !== "local") throw new JujuError(`could not scale application "${args.app}": the simulator's ${info.charmName} runs one unit`);
        for (let n = alive.length; n < args.scale; n++) await runtime.sim.addUnit(args.app);
        if (args.scale < alive.length) await this.removeUnits(runtime, args.app, alive.length - args.scale, { allowZero: true });
        return { scale: args.scale };
      }),
      expose: (args) => this.inModel(args.model, async (runtime) => {
        this.requireAppInfo(runtime, args.app).exposed = args.exposed;
        return {};
      }),
      resources: async ({ model, app }) => {
        const info = this.requireAppInfo(this.model(model), app);
        return Object.entries(info.resourceRevisions).map(([name, revision]) => ({ name, value: info.resources[name] ?? "", revision }));
      },
      scp: (args) => this.inModel(args.model, async (runtime) => {
        const unit = resolveUnit(runtime.sim.model(), args.unit);
        return copyFile(this.charmRuntime(runtime, unit), args);
      }),
      exec: (args) => this.inModel(args.model, async (runtime) => {
        const unit = resolveUnit(runtime.sim.model(), args.unit);
        const id = nextTaskId(runtime);
        const output = await execInCharmContainer(this.charmRuntime(runtime, unit), args.command);
        recordExecTask(runtime, id, unit, args.command, output);
        return { id, unit, ...output };
      }),
      ssh: async (args) => {
        const runtime = this.model(args.model);
        const unit = resolveUnit(runtime.sim.model(), args.unit);
        const unitRuntime = this.charmRuntime(runtime, unit);
        const result = args.container
          ? await execInWorkload(unitRuntime, args.container, args.command)
          : await execInCharmContainer(unitRuntime, args.command);
        return { id: "", unit, ...result };
      },
    };
  }

  /** Stops every model (their units' containers and servers), then the API server they shared. */
  async stopAll(): Promise<void> {
    await this.oneAtATime(async () => {
      for (const name of [...this.models.keys()]) await this.destroyModel(name);
      const kubernetes = this.kubernetes;
      this.kubernetes = undefined;
      if (kubernetes) await (await kubernetes.catch(() => undefined))?.stop();
    });
    this.options.onIdle();
  }

  /** One kube-apiserver and etcd per controller, as one Kubernetes cloud holds every model of a real one. */
  private kubernetesServer(): Promise<KubernetesServer> {
    this.kubernetes ??= startKubernetes();
    return this.kubernetes;
  }

  private oneAtATime<T>(operation: () => Promise<T>): Promise<T> {
    const next = this.lifecycle.then(operation, operation);
    this.lifecycle = next.catch(() => undefined);
    return next;
  }

  private inModel<T>(name: string, operation: (runtime: ModelRuntime) => Promise<T>): Promise<T> {
    const runtime = this.model(name);
    return runtime.serialize(() => operation(runtime));
  }

  private model(name: string): ModelRuntime {
    const runtime = this.models.get(name);
    if (!runtime) throw new JujuError(`model ${CONTROLLER_NAME}:admin/${name} not found`);
    return runtime;
  }

  private addModel(name: string, config: Record<string, string>): ModelSummary {
    if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(name)) throw new JujuError(`"${name}" is not a valid name: model names may only contain lowercase letters, digits and hyphens`);
    if (this.models.has(name)) throw new JujuError(`failed to create new model: model "${name}" for admin already exists (already exists)`);
    let runtime: ModelRuntime;
    try {
      runtime = new ModelRuntime({ kubernetes: () => this.kubernetesServer(), name, dir: join(this.options.home.modelsDir, name), toolsDir: this.options.home.toolsDir, workloads: this.options.workloads, config, log: this.options.log });
    } catch (error) {
      throw new JujuError(`failed to create new model: ${(error as Error).message}`);
    }
    this.models.set(name, runtime);
    this.options.log(`added model ${name}`);
    // Started now, ready by the first deploy of a charm (it takes seconds).
    this.kubernetesServer().catch((error: Error) => this.options.log(`the Kubernetes API server did not start: ${error.message}`));
    return summary(runtime);
  }

  private async destroyModel(name: string): Promise<{ controllerStopping: boolean }> {
    const runtime = this.model(name);
    this.models.delete(name);
    await runtime.destroy();
    this.options.log(`destroyed model ${name}`);
    const controllerStopping = this.models.size === 0;
    if (controllerStopping) setImmediate(() => this.options.onIdle());
    return { controllerStopping };
  }

  private async deploy(runtime: ModelRuntime, args: Operations["deploy"]["args"]): Promise<Operations["deploy"]["result"]> {
    const builtin = BUILTINS[args.charm];
    if (builtin) {
      const app = args.app ?? builtin.charm.name;
      if (runtime.apps.has(app)) throw new JujuError(`cannot add application "${app}": application already exists`);
      if (Object.keys(args.config).length > 0) throw new JujuError(`the simulator's ${builtin.charm.name} takes no config`);
      const channel = await builtin.channel(args.channel);
      const { app: scripted, version } = await builtin.create(app, { postgres: (name) => runtime.postgresServer(name) });
      runtime.apps.set(app, {
        origin: "charmhub", charmName: builtin.charm.name, revision: builtin.charm.revision, channel,
        base: builtin.charm.base, resources: args.resources, serviceAddress: runtime.serviceAddressFor(), workloadVersion: version, containerResources: {},
        resourceRevisions: {}, exposed: false,
      });
      await runtime.sim.deployScripted({ ...scripted, units: 1 });
      return { app, charm: builtin.charm.name, revision: builtin.charm.revision, origin: "charmhub", base: baseText(builtin.charm.base), channel };
    }
    if (!/^[./]/.test(args.charm) && !existsSync(args.charm)) {
      throw new JujuError(`cannot resolve charm or bundle "${args.charm}": charm or bundle not found (the simulator deploys local .charm files and the built-in ${Object.keys(BUILTINS).join(", ")})`);
    }
    if (!existsSync(args.charm) || !statSync(args.charm).isFile()) throw new JujuError(`no charm was found at "${args.charm}"`);
    const charmDir = join(runtime.dir, "charms", `${args.app ?? "pending"}-${Date.now()}`);
    try {
      unpackCharm(args.charm, charmDir);
    } catch (error) {
      throw new JujuError(`invalid charm "${args.charm}": ${(error as Error).message}`);
    }
    const meta = charmMetaFromDir(charmDir);
    const app = args.app ?? meta.name;
    if (runtime.apps.has(app)) throw new JujuError(`cannot add application "${app}": application already exists`);
    const containerResources = containerImages(charmDir);
    const missing = Object.values(containerResources).filter((resource) => args.resources[resource] === undefined);
    if (missing.length > 0) throw new JujuError(`local charm missing OCI images for: ${missing.join(", ")}`);
    const config = parseSettings({ name: app, charm: meta, config: {}, trusted: false, status: { status: "unknown", message: "", since: "" }, statusHistory: [], leaderSettings: {} }, args.config);
    const revision = runtime.nextLocalRevision(meta.name);
    const base = charmBase(charmDir);
    runtime.apps.set(app, {
      origin: "local", charmName: meta.name, revision, base, resources: args.resources,
      serviceAddress: runtime.serviceAddressFor(), containerResources, resourceRevisions: Object.fromEntries(Object.values(containerResources).map((r) => [r, 0])), exposed: false,
    });
    try {
      await runtime.ensureKubernetes();
      await runtime.sim.deployCharm(app, args.charm, { units: args.units, config, trust: args.trust });
    } catch (error) {
      this.options.log(`deploying ${app} failed: ${(error as Error).stack}`);
      throw new JujuError(`cannot deploy "${app}": ${(error as Error).message}`);
    }
    return { app, charm: meta.name, revision, origin: "local", base: baseText(base) };
  }

  /**
   * `juju refresh`: a local charm from `--path` becomes the next revision (same charm name only) and new
   * `--resource` images replace the workload containers; either way the pods are recreated (upgrade-charm).
   */
  private async refresh(runtime: ModelRuntime, args: Operations["refresh"]["args"]): Promise<Operations["refresh"]["result"]> {
    const info = this.requireAppInfo(runtime, args.app);
    if (info.origin !== "local") throw new JujuError(`the simulator's ${info.charmName} is built in: refresh takes local charms only`);
    let containerResources = info.containerResources;
    let charmChanged = false;
    if (args.path !== undefined) {
      if (!existsSync(args.path) || !statSync(args.path).isFile()) throw new JujuError(`no charm found at "${args.path}"`);
      const charmDir = join(runtime.dir, "charms", `${args.app}-${Date.now()}`);
      try {
        unpackCharm(args.path, charmDir);
      } catch (error) {
        throw new JujuError(`invalid charm "${args.path}": ${(error as Error).message}`);
      }
      const meta = charmMetaFromDir(charmDir);
      if (meta.name !== info.charmName) throw new JujuError(`cannot refresh "${info.charmName}" to "${meta.name}"`);
      containerResources = containerImages(charmDir);
      info.base = charmBase(charmDir);
      charmChanged = true;
    }
    const known = new Set(Object.values(containerResources));
    for (const name of Object.keys(args.resources)) if (!known.has(name)) throw new JujuError(`unrecognized resource "${name}"`);
    if (!charmChanged && Object.keys(args.resources).length === 0) throw new JujuError("upgrading a local charm requires either --path or --switch");
    const missing = [...known].filter((name) => info.resources[name] === undefined && args.resources[name] === undefined);
    if (missing.length > 0) throw new JujuError(`local charm missing OCI images for: ${missing.join(", ")}`);
    const application = requireApp(runtime.sim.model(), args.app);
    const config = parseSettings(application, args.config);
    if (charmChanged) info.revision = runtime.nextLocalRevision(info.charmName);
    info.containerResources = containerResources;
    for (const [name, value] of Object.entries(args.resources)) {
      info.resources[name] = value;
      info.resourceRevisions[name] = (info.resourceRevisions[name] ?? -1) + 1;
    }
    updateModel(runtime.sim.modelPath, (m) => {
      Object.assign(m.applications[args.app]!.config, config);
      if (args.trust) m.applications[args.app]!.trusted = true;
    });
    await runtime.sim.refresh(args.app, args.path, { newImages: Object.keys(args.resources).length > 0 });
    return { charm: info.charmName, revision: info.revision, origin: "local", charmChanged };
  }

  /** `remove-unit <app> --num-units N` on a Kubernetes model: scales down from the highest unit number. */
  private async removeUnits(runtime: ModelRuntime, app: string, count: number, opts: { allowZero?: boolean } = {}): Promise<{ scale: number }> {
    this.requireAppInfo(runtime, app);
    const alive = runtime.sim.unitsOf(app);
    if (count > alive.length || (count === alive.length && !opts.allowZero)) throw new JujuError(`cannot remove ${count} unit(s) of ${app}: it has ${alive.length}; use remove-application to remove them all`);
    const units = alive.slice(-count).reverse();
    for (const unit of units) {
      await runtime.sim.removeUnit(unit);
      runtime.failures.delete(unit);
    }
    return { scale: alive.length - count };
  }

  private requireAppInfo(runtime: ModelRuntime, app: string): AppInfo {
    const info = runtime.apps.get(app);
    if (!info) throw notFound("application", app);
    return info;
  }

  private charmRuntime(runtime: ModelRuntime, unit: string) {
    try {
      return runtime.sim.runtimeOf(unit);
    } catch {
      throw new JujuError(`unit "${unit}" runs no charm in the simulator: ${appOfUnit(unit)} is a built-in stand-in`);
    }
  }

  private showUnit(runtime: ModelRuntime, name: string): Record<string, unknown> {
    const model = runtime.sim.model();
    const unit = model.units[resolveUnit(model, name)]!;
    const info = runtime.apps.get(unit.app)!;
    const relationInfo = Object.values(model.relations).filter((r) => !r.broken && r.ends.some((e) => e.app === unit.app)).map((r) => {
      const local = r.ends.find((e) => e.app === unit.app)!;
      const remote = r.ends.find((e) => e !== local) ?? local;
      return {
        "relation-id": r.id,
        endpoint: local.endpoint,
        "related-endpoint": remote.endpoint,
        "application-data": { ...r.appData[remote.app] },
        ...(r.scope.includes(unit.name) ? { "local-unit": { "in-scope": true, data: { ...r.unitData[unit.name] } } } : {}),
        "related-units": Object.fromEntries(r.scope.filter((u) => u !== unit.name && (r.ends.length === 1 || appOfUnit(u) === remote.app)).map((u) => [u, { "in-scope": true, data: { ...r.unitData[u] } }])),
      };
    });
    return {
      [unit.name]: {
        "workload-version": unit.workloadVersion,
        "opened-ports": [...new Set(Object.values(unit.openedPorts).flat())].sort(),
        charm: info.origin === "local" ? `local:${info.charmName}-${info.revision}` : `ch:amd64/${info.charmName}-${info.revision}`,
        leader: unit.leader,
        life: "alive",
        "relation-info": relationInfo,
        "provider-id": `${unit.app}-${unit.name.split("/")[1]}`,
        address: unit.address,
      },
    };
  }
}

/** A user secret (`juju add-secret`) by URI, id or name: the only secrets `update-secret` and `remove-secret` change. */
function userSecret(model: Model, reference: string): Secret {
  const secret = findSecret(model, reference);
  if (secret.owner.kind !== "model") throw new JujuError(`secret "${reference}" is owned by ${secret.owner.name}: only its charm changes it`);
  return secret;
}

function sameContent(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}

/** `juju exec` tasks are tasks like actions: `juju show-task <id>` shows their results. */
function recordExecTask(runtime: ModelRuntime, id: string, unit: string, command: string[], output: { exitCode: number; stdout: string; stderr: string }): void {
  const results: Record<string, unknown> = { "return-code": output.exitCode };
  if (output.stdout) results.stdout = output.stdout;
  if (output.stderr) results.stderr = output.stderr;
  updateModel(runtime.sim.modelPath, (m) => {
    m.actions[id] = { id, unit, name: "juju-exec", params: { command: command.join(" ") }, status: output.exitCode === 0 ? "completed" : "failed", results, log: [], message: "" };
  });
}

/** `juju show-application`: the application's charm, base, channel, exposure and bindings, as juju 3.6 prints them. */
function showApplication(runtime: ModelRuntime, app: string): Record<string, unknown> {
  const info = runtime.apps.get(app);
  const application = runtime.sim.model().applications[app];
  if (!info || !application) throw notFound("application", app);
  return {
    [app]: {
      charm: info.charmName,
      base: `${info.base.name}@${info.base.channel}`,
      ...(info.channel ? { channel: info.channel } : {}),
      constraints: { arch: process.arch === "arm64" ? "arm64" : "amd64" },
      principal: true,
      exposed: info.exposed,
      remote: false,
      life: "alive",
      "endpoint-bindings": endpointBindings(application),
    },
  };
}

function summary(runtime: ModelRuntime): ModelSummary {
  const model = runtime.sim.model();
  return { name: runtime.name, uuid: runtime.uuid, createdAt: runtime.createdAt, applications: Object.keys(model.applications).length, units: Object.keys(model.units).length };
}

function showModel(runtime: ModelRuntime): Record<string, unknown> {
  return {
    [runtime.name]: {
      name: `admin/${runtime.name}`,
      "short-name": runtime.name,
      "model-uuid": runtime.uuid,
      "model-type": "caas",
      "controller-uuid": "00000000-0000-4000-8000-00000000051a",
      "controller-name": CONTROLLER_NAME,
      "is-controller": false,
      owner: "admin",
      cloud: "microk8s",
      region: "localhost",
      type: "kubernetes",
      life: "alive",
      status: { current: "available", since: jujuTime(runtime.createdAt) },
      users: { admin: { "display-name": "admin", access: "admin", "last-connection": "just now" } },
      "agent-version": JUJU_VERSION,
    },
  };
}

function requireApp(model: Model, app: string) {
  const application = model.applications[app];
  if (!application) throw notFound("application", app);
  return application;
}

/** `app/N`, or `app/leader` for the application's leader. */
function resolveUnit(model: Model, name: string): string {
  if (name.endsWith("/leader")) {
    const app = appOfUnit(name);
    if (!model.applications[app]) throw notFound("application", app);
    const leader = Object.values(model.units).find((u) => u.app === app && u.leader);
    if (!leader) throw new JujuError(`could not determine leader for "${app}"`);
    return leader.name;
  }
  if (!model.units[name]) throw notFound("unit", name);
  return name;
}

/** Juju numbers exec tasks in the same sequence as action tasks. */
function nextTaskId(runtime: ModelRuntime): string {
  return updateModel(runtime.sim.modelPath, (m) => String(m.nextActionId++));
}

function containerImages(charmDir: string): Record<string, string> {
  const metadata = parseYaml(readFileSync(join(charmDir, "metadata.yaml"), "utf8")) as { containers?: Record<string, { resource?: string }> } | null;
  return Object.fromEntries(Object.entries(metadata?.containers ?? {}).flatMap(([name, spec]) => (spec.resource ? [[name, spec.resource]] : [])));
}

/** The charm's first base from manifest.yaml, as `juju status` shows it. */
function charmBase(charmDir: string): { name: string; channel: string } {
  const path = join(charmDir, "manifest.yaml");
  const manifest = existsSync(path) ? (parseYaml(readFileSync(path, "utf8")) as { bases?: Array<{ name?: string; channel?: string }> } | null) : null;
  const base = manifest?.bases?.[0];
  return { name: base?.name ?? "ubuntu", channel: String(base?.channel ?? "22.04") };
}

/** A base as juju's deploy messages name it: `ubuntu@24.04/stable`. */
function baseText(base: { name: string; channel: string }): string {
  return `${base.name}@${base.channel}/stable`;
}

const LEVELS = ["TRACE", "DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"];

/** `juju debug-log --limit N --include u`: the units' log lines, oldest first, in Juju's line format. */
function debugLog(model: Model, args: Operations["debug-log"]["args"]): string[] {
  const minimum = args.level ? LEVELS.indexOf(args.level.toUpperCase()) : 0;
  const included = (unit: string) => args.include.length === 0 || args.include.some((i) => i === unit || i === `unit-${unit.replace("/", "-")}` || i === appOfUnit(unit));
  const lines = Object.values(model.units).filter((u) => included(u.name)).flatMap((unit) => unit.logs
    .filter((line) => LEVELS.indexOf(line.level) >= minimum)
    .map((line) => ({ at: line.timestamp, text: `unit-${unit.name.replace("/", "-")}: ${line.timestamp.slice(11, 19)} ${line.level} ${line.module ?? `unit.${unit.name}.juju-log`} ${line.message}` })));
  lines.sort((a, b) => a.at.localeCompare(b.at));
  const texts = lines.map((l) => l.text);
  return args.limit > 0 ? texts.slice(-args.limit) : texts;
}
