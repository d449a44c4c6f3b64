// Each juju command the simulator answers: its flags, the controller operation it calls, and the output
// juju 3.6 prints for it.
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, isAbsolute, resolve } from "node:path";
import { parse as parseYaml, stringify as toYaml } from "yaml";
import { parseGoDuration } from "../controller/duration.ts";
import { JujuError } from "../controller/errors.ts";
import { CONTROLLER_NAME, JUJU_VERSION, type SimHome } from "../controller/home.ts";
import type { OperationName, Operations } from "../controller/protocol.ts";
import { appOfUnit, type ActionRun } from "../model.ts";
import { helpText, HELP } from "./help.ts";
import { boolFlag, COMMON, keyValues, listFlag, parseArgs, stringFlag, UsageError, type FlagSpec, type ParsedArgs } from "./args.ts";
import { call, ControllerDown, RequestTimedOut } from "./client.ts";
import { statusTable, type StatusJson } from "./statusTable.ts";
import { parseQuery, type Scalar } from "./waitQuery.ts";

export interface Io {
  home: SimHome;
  cwd: string;
  env: NodeJS.ProcessEnv;
  out(text: string): void;
  err(text: string): void;
}

interface Command {
  flags?: Record<string, FlagSpec>;
  /** False for commands whose trailing words are a command line (ssh). */
  interspersed?: boolean;
  run(args: ParsedArgs, io: Io): Promise<number>;
}

const ARCH = process.arch === "arm64" ? "arm64" : "amd64";
const FULL_VERSION = `${JUJU_VERSION}-genericlinux-${ARCH}`;

/**
 * Only add-model starts the controller: with no controller running there are no models, so every other
 * command answers as juju does for a model that does not exist.
 */
async function request<K extends OperationName>(io: Io, op: K, args: Operations[K]["args"], timeoutMs?: number): Promise<Operations[K]["result"]> {
  try {
    return await call(op, args, { home: io.home, start: op === "add-model", ...(timeoutMs !== undefined ? { timeoutMs } : {}) });
  } catch (error) {
    if (!(error instanceof ControllerDown)) throw error;
    if (op === "models") return [] as Operations[K]["result"];
    const model = (args as { model?: string; name?: string }).model ?? (args as { name?: string }).name;
    throw new JujuError(`model ${CONTROLLER_NAME}:admin/${model} not found`);
  }
}

/** `[controller:][user/]model` → model; else JUJU_MODEL, else the current model. */
function modelOf(args: ParsedArgs, io: Io): string {
  const named = stringFlag(args, "model") ?? io.env.JUJU_MODEL ?? currentModel(io.home);
  if (!named) throw new JujuError("no current model, use juju switch to select a model");
  return shortModelName(named);
}

function shortModelName(reference: string): string {
  return reference.slice(reference.indexOf(":") + 1).split("/").at(-1)!;
}

function currentModel(home: SimHome): string | undefined {
  return existsSync(home.currentModel) ? readFileSync(home.currentModel, "utf8").trim() || undefined : undefined;
}

function format(args: ParsedArgs, fallback: string): string {
  return stringFlag(args, "format") ?? fallback;
}

function printAs(io: Io, value: unknown, fmt: string): void {
  if (fmt === "json") io.out(JSON.stringify(value) + "\n");
  else io.out(toYaml(value));
}

function readYamlFile(io: Io, path: string, what: string): unknown {
  const full = isAbsolute(path) ? path : resolve(io.cwd, path);
  if (!existsSync(full)) throw new JujuError(`${what} file "${path}" does not exist`);
  return parseYaml(readFileSync(full, "utf8"));
}

function absolute(io: Io, path: string): string {
  return isAbsolute(path) ? path : resolve(io.cwd, path);
}

function positional(args: ParsedArgs, index: number, what: string): string {
  const value = args.positionals[index];
  if (value === undefined) throw new UsageError(`no ${what} specified`);
  return value;
}

function noExtra(args: ParsedArgs, count: number): void {
  if (args.positionals.length > count) throw new UsageError(`unrecognized args: ${JSON.stringify(args.positionals.slice(count))}`);
}

/** `12:04:05 +0000 UTC`-style log lines, as `juju run --format json` lists an action's log. */
function actionLog(run: ActionRun): string[] {
  return run.log.map((entry) => `${entry.timestamp.slice(0, 19).replace("T", " ")} +0000 UTC ${entry.message}`);
}

function taskJson(run: ActionRun): Record<string, unknown> {
  return {
    id: run.id,
    ...(run.log.length > 0 ? { log: actionLog(run) } : {}),
    ...(run.message ? { message: run.message } : {}),
    results: run.results,
    status: run.status,
    unit: run.unit,
  };
}

/** `--config k=v` and `--config <file>` (YAML of `<app>: {key: value}`), as deploy and refresh take them. */
function configValues(args: ParsedArgs, io: Io): Record<string, string> {
  const config: Record<string, string> = {};
  for (const item of listFlag(args, "config")) {
    if (item.includes("=")) Object.assign(config, keyValues([item], "--config"));
    else {
      const file = readYamlFile(io, item, "config") as Record<string, Record<string, unknown>> | null;
      for (const values of Object.values(file ?? {})) for (const [k, v] of Object.entries(values ?? {})) config[k] = String(v);
    }
  }
  return config;
}

/** A secret's content from `--file <yaml>` and `key=value` words after the secret's name or URI. */
function secretContent(args: ParsedArgs, io: Io): Record<string, string> {
  const content: Record<string, string> = {};
  const file = stringFlag(args, "file");
  if (file) for (const [k, v] of Object.entries((readYamlFile(io, file, "secret") ?? {}) as Record<string, unknown>)) content[k] = String(v);
  return Object.assign(content, keyValues(args.positionals.slice(1), "secret content"));
}

function exposeCommand(exposed: boolean): Command {
  return {
    flags: exposed ? { endpoints: { kind: "string" }, "to-cidrs": { kind: "string" }, "to-spaces": { kind: "string" } } : { endpoints: { kind: "string" } },
    async run(args, io) {
      const model = modelOf(args, io);
      if (args.positionals.length === 0) throw new UsageError("no application name specified");
      noExtra(args, 1);
      await request(io, "expose", { model, app: args.positionals[0]!, exposed });
      return 0;
    },
  };
}

/** A command juju has and the simulator does not model: a clear error naming why. */
function notSupported(name: string, why: string): Command {
  return {
    async run() {
      throw new JujuError(`juju ${name} is not supported by the simulator: ${why}`);
    },
  };
}

const WAIT_FOR_POLL_MS = 1000;

/** wait-for's application identifiers (juju cmd/juju/waitfor/application.go), read from the status JSON. */
function applicationScope(status: StatusJson, name: string): Record<string, Scalar> | undefined {
  const app = status.applications[name];
  if (!app) return undefined;
  return {
    name, life: "alive", exposed: app.exposed === true, "charm-url": app.charm ?? "", "min-units": 0, subordinate: false,
    status: app["application-status"]?.current ?? "", "workload-version": app.version ?? "",
  };
}

/** wait-for's unit identifiers (juju cmd/juju/waitfor/unit.go). */
function unitScope(status: StatusJson, name: string): Record<string, Scalar> | undefined {
  const app = status.applications[appOfUnit(name)];
  const unit = app?.units?.[name];
  if (!app || !unit) return undefined;
  return {
    name, application: appOfUnit(name), base: "", "charm-url": app.charm ?? "", life: "alive", "public-address": unit.address ?? "", "private-address": unit.address ?? "",
    "machine-id": "", principal: "", subordinate: false, "workload-status": unit["workload-status"]?.current ?? "", "workload-message": unit["workload-status"]?.message ?? "",
    "agent-status": unit["juju-status"]?.current ?? "",
  };
}

/** `[user@]unit:path` → the unit and path; a local path → undefined. */
function remotePath(word: string): { unit: string; path: string } | undefined {
  const colon = word.indexOf(":");
  if (colon <= 0) return undefined;
  const target = word.slice(0, colon);
  return { unit: target.slice(target.indexOf("@") + 1), path: word.slice(colon + 1) };
}

/** A task as `juju run` and `juju show-task` print it by default: its log, results as YAML, then its output. */
function printTaskPlain(io: Io, run: ActionRun): void {
  for (const line of actionLog(run)) io.err(`${line}\n`);
  const { "return-code": _code, stdout, stderr, ...results } = run.results;
  // Go's YAML encoder writes a map's keys sorted.
  if (Object.keys(results).length > 0) io.out(toYaml(results, { sortMapEntries: true }));
  if (typeof stdout === "string") io.out(stdout);
  if (typeof stderr === "string") io.err(stderr);
}

const TASK_FAILED = (id: string, code: number) => `ERROR the following task failed:\n id "${id}" with return code ${code}\n\nuse 'juju show-task' to inspect the failure\n`;

export const COMMANDS: Record<string, Command> = {
  version: {
    flags: { all: { kind: "bool" } },
    async run(args, io) {
      const fmt = format(args, "smart");
      if (fmt === "smart") io.out(FULL_VERSION + "\n");
      else printAs(io, boolFlag(args, "all") ? { version: FULL_VERSION, "git-commit": "simulated", "git-tree-state": "clean", compiler: "gc", official: false } : FULL_VERSION, fmt);
      return 0;
    },
  },

  "add-model": {
    flags: { "no-switch": { kind: "bool" }, config: { kind: "list" }, controller: { kind: "string", aliases: ["c"] }, credential: { kind: "string" } },
    async run(args, io) {
      const name = positional(args, 0, "model name");
      const config: Record<string, string> = {};
      for (const item of listFlag(args, "config")) {
        if (item.includes("=")) Object.assign(config, keyValues([item], "--config"));
        else Object.assign(config, readYamlFile(io, item, "config") as Record<string, string>);
      }
      await request(io, "add-model", { name, config });
      io.err(`Added '${name}' model on microk8s/localhost with credential 'microk8s' for user 'admin'\n`);
      if (!boolFlag(args, "no-switch")) writeFileSync(io.home.currentModel, name);
      return 0;
    },
  },

  "destroy-model": {
    flags: { "destroy-storage": { kind: "bool" }, "release-storage": { kind: "bool" }, force: { kind: "bool" }, "no-wait": { kind: "bool" }, timeout: { kind: "string" } },
    async run(args, io) {
      const name = shortModelName(positional(args, 0, "model name"));
      await request(io, "destroy-model", { name });
      if (currentModel(io.home) === name) rmSync(io.home.currentModel, { force: true });
      io.err(`Destroying model\nModel destroyed.\n`);
      return 0;
    },
  },

  models: {
    async run(args, io) {
      const models = await request(io, "models", {});
      const current = currentModel(io.home);
      if (format(args, "tabular") === "tabular") {
        io.out(`Controller: ${CONTROLLER_NAME}\n\nModel       Cloud/Region        Type        Status     Units  Access  Last connection\n`);
        for (const m of models) io.out(`${(m.name + (m.name === current ? "*" : "")).padEnd(10)}  microk8s/localhost  kubernetes  available  ${String(m.units).padStart(5)}  admin   just now\n`);
        return 0;
      }
      printAs(io, {
        models: models.map((m) => ({
          name: `admin/${m.name}`, "short-name": m.name, "model-uuid": m.uuid, "model-type": "caas", "controller-uuid": "00000000-0000-4000-8000-00000000051a",
          "controller-name": CONTROLLER_NAME, "is-controller": false, owner: "admin", cloud: "microk8s", region: "localhost", type: "kubernetes", life: "alive",
          status: { current: "available" }, "agent-version": JUJU_VERSION,
        })),
        ...(current ? { "current-model": current } : {}),
      }, format(args, "tabular"));
      return 0;
    },
  },

  "show-model": {
    async run(args, io) {
      const model = args.positionals[0] ? shortModelName(args.positionals[0]) : modelOf(args, io);
      printAs(io, await request(io, "show-model", { model }), format(args, "yaml"));
      return 0;
    },
  },

  switch: {
    async run(args, io) {
      const target = args.positionals[0];
      if (!target) {
        io.out(`${CONTROLLER_NAME}:admin/${currentModel(io.home) ?? ""}\n`);
        return 0;
      }
      const name = shortModelName(target);
      const models = await request(io, "models", {});
      if (!models.some((m) => m.name === name)) throw new JujuError(`"${target}" is not the name of a model or controller`);
      const previous = currentModel(io.home);
      writeFileSync(io.home.currentModel, name);
      io.err(`${CONTROLLER_NAME}:admin/${previous ?? ""} -> ${CONTROLLER_NAME}:admin/${name}\n`);
      return 0;
    },
  },

  "model-config": {
    flags: { reset: { kind: "list" } },
    async run(args, io) {
      const model = modelOf(args, io);
      const reset = listFlag(args, "reset").flatMap((r) => r.split(",")).filter(Boolean);
      const sets = args.positionals.filter((p) => p.includes("="));
      const key = args.positionals.find((p) => !p.includes("="));
      const config = await request(io, "model-config", { model, set: keyValues(sets, "model-config"), reset });
      if (sets.length > 0 || reset.length > 0) return 0;
      if (key !== undefined) {
        const entry = config[key];
        if (!entry) throw new JujuError(`key "${key}" not found in "${model}" model.`);
        io.out(`${entry.value}\n`);
        return 0;
      }
      const fmt = format(args, "tabular");
      if (fmt === "tabular") {
        const width = Math.max(9, ...Object.keys(config).map((k) => k.length));
        io.out(`${"Attribute".padEnd(width)}  From     Value\n`);
        for (const [k, v] of Object.entries(config)) io.out(`${k.padEnd(width)}  ${v.source.padEnd(7)}  ${v.value}\n`);
      } else {
        printAs(io, Object.fromEntries(Object.entries(config).map(([k, v]) => [k, { Value: v.value, Source: v.source }])), fmt);
      }
      return 0;
    },
  },

  deploy: {
    flags: {
      resource: { kind: "list" }, config: { kind: "list" }, "num-units": { kind: "string", aliases: ["n"] }, trust: { kind: "bool" }, channel: { kind: "string" },
      base: { kind: "string" }, revision: { kind: "string" }, constraints: { kind: "list" }, force: { kind: "bool" }, storage: { kind: "list" },
    },
    async run(args, io) {
      const model = modelOf(args, io);
      const charm = positional(args, 0, "charm or bundle");
      noExtra(args, 2);
      const local = charm.startsWith(".") || charm.startsWith("/") || charm.endsWith(".charm");
      if (local && !existsSync(absolute(io, charm))) throw new JujuError(`no charm was found at "${charm}"`);
      const config = configValues(args, io);
      const units = Number(stringFlag(args, "num-units") ?? "1");
      if (!Number.isInteger(units) || units < 0) throw new UsageError(`--num-units must be a non-negative integer`);
      const deployed = await request(io, "deploy", {
        model, charm: local ? absolute(io, charm) : charm, units, config, trust: boolFlag(args, "trust"),
        resources: keyValues(listFlag(args, "resource"), "--resource"),
        ...(args.positionals[1] ? { app: args.positionals[1] } : {}),
        ...(stringFlag(args, "channel") ? { channel: stringFlag(args, "channel")! } : {}),
      });
      // Juju 3.6 deploys Charmhub charms server-side and reports them once deployed; local charms it uploads first.
      if (deployed.origin === "local") {
        io.err(`Located local charm "${deployed.charm}", revision ${deployed.revision}\n`);
        io.err(`Deploying "${deployed.app}" from local charm "${deployed.charm}", revision ${deployed.revision} on ${deployed.base}\n`);
      } else {
        io.err(`Deployed "${deployed.app}" from charm-hub charm "${deployed.charm}", revision ${deployed.revision} in channel ${deployed.channel} on ${deployed.base}\n`);
      }
      return 0;
    },
  },

  config: {
    flags: { reset: { kind: "list" }, file: { kind: "string" } },
    async run(args, io) {
      const model = modelOf(args, io);
      const app = positional(args, 0, "application name");
      const rest = args.positionals.slice(1);
      const sets = rest.filter((p) => p.includes("="));
      const reset = listFlag(args, "reset").flatMap((r) => r.split(",")).filter(Boolean);
      const file = stringFlag(args, "file");
      const fileValues: Record<string, string> = {};
      if (file) {
        const parsed = readYamlFile(io, file, "config") as Record<string, Record<string, unknown>> | null;
        for (const [k, v] of Object.entries(parsed?.[app] ?? {})) fileValues[k] = String(v);
      }
      if (sets.length > 0 || reset.length > 0 || file) {
        if (sets.length !== rest.length) throw new UsageError("cannot get a value and set values at once");
        await request(io, "config-set", { model, app, set: { ...fileValues, ...keyValues(sets, "config") }, reset });
        return 0;
      }
      const config = (await request(io, "config-get", { model, app })) as { settings: Record<string, { value?: unknown }> };
      if (rest.length === 1) {
        const setting = config.settings[rest[0]!];
        if (!setting) throw new JujuError(`key "${rest[0]}" not found in "${app}" application config or charm settings.`);
        io.out(setting.value === undefined ? "\n" : `${String(setting.value)}\n`);
        return 0;
      }
      printAs(io, config, format(args, "yaml"));
      return 0;
    },
  },

  integrate: {
    flags: { via: { kind: "string" } },
    async run(args, io) {
      const model = modelOf(args, io);
      const a = positional(args, 0, "application");
      const b = positional(args, 1, "second application");
      noExtra(args, 2);
      await request(io, "integrate", { model, a, b });
      return 0;
    },
  },

  "remove-relation": {
    flags: { force: { kind: "bool" } },
    async run(args, io) {
      const model = modelOf(args, io);
      const a = positional(args, 0, "relation");
      noExtra(args, 2);
      await request(io, "remove-relation", { model, a, ...(args.positionals[1] ? { b: args.positionals[1] } : {}) });
      return 0;
    },
  },

  "add-unit": {
    flags: { "num-units": { kind: "string", aliases: ["n"] }, to: { kind: "string" }, "attach-storage": { kind: "string" } },
    async run(args, io) {
      const model = modelOf(args, io);
      const app = positional(args, 0, "application name");
      const count = Number(stringFlag(args, "num-units") ?? "1");
      if (!Number.isInteger(count) || count < 1) throw new UsageError("--num-units must be a positive integer");
      await request(io, "add-unit", { model, app, count });
      return 0;
    },
  },

  "remove-unit": {
    flags: { "num-units": { kind: "string" }, "destroy-storage": { kind: "bool" }, force: { kind: "bool" }, "no-wait": { kind: "bool" } },
    async run(args, io) {
      const model = modelOf(args, io);
      // Kubernetes models (all the simulator's) take one application and --num-units, never unit names.
      if (boolFlag(args, "destroy-storage")) throw new UsageError("Kubernetes models only support --num-units");
      if (args.positionals.length !== 1) throw new UsageError("only single application supported");
      const app = args.positionals[0]!;
      if (!/^[a-z][a-z0-9]*(-[a-z0-9]*[a-z][a-z0-9]*)*$/.test(app)) throw new UsageError(`application name "${app}" not valid`);
      const count = Number(stringFlag(args, "num-units") ?? "0");
      if (!Number.isInteger(count) || count <= 0) throw new UsageError(`removing ${stringFlag(args, "num-units") ?? "0"} units not valid`);
      const { scale } = await request(io, "remove-unit", { model, app, count });
      io.err(`scaling down to ${scale} units\n`);
      return 0;
    },
  },

  "remove-application": {
    flags: { "destroy-storage": { kind: "bool" }, force: { kind: "bool" }, "no-wait": { kind: "bool" } },
    async run(args, io) {
      const model = modelOf(args, io);
      if (args.positionals.length === 0) throw new UsageError("no application specified");
      const { units } = await request(io, "remove-application", { model, apps: args.positionals });
      for (const app of args.positionals) {
        io.err(`will remove application ${app}\n`);
        for (const unit of units[app] ?? []) io.err(`- will remove unit ${unit}\n`);
      }
      return 0;
    },
  },

  trust: {
    flags: { remove: { kind: "bool" }, scope: { kind: "string" } },
    async run(args, io) {
      const model = modelOf(args, io);
      const app = positional(args, 0, "application name");
      const scope = stringFlag(args, "scope");
      if (!boolFlag(args, "remove") && scope !== "cluster") throw new JujuError(`'juju trust' currently grants full access to the cluster itself.\nSet the scope to 'cluster' using '--scope=cluster' to confirm this choice.`);
      await request(io, "trust", { model, app, trusted: !boolFlag(args, "remove") });
      return 0;
    },
  },

  run: {
    flags: { params: { kind: "string" }, wait: { kind: "string" }, background: { kind: "bool" }, "string-args": { kind: "bool" }, utc: { kind: "bool" } },
    async run(args, io) {
      const model = modelOf(args, io);
      const unit = positional(args, 0, "unit");
      const action = positional(args, 1, "action");
      const params: Record<string, unknown> = {};
      const file = stringFlag(args, "params");
      if (file) Object.assign(params, readYamlFile(io, file, "params") ?? {});
      for (const [k, v] of Object.entries(keyValues(args.positionals.slice(2), "action parameters"))) params[k] = boolFlag(args, "string-args") ? v : parseYaml(v);
      const wait = stringFlag(args, "wait");
      const timeoutMs = wait ? parseGoDuration(wait) : undefined;
      let run: ActionRun;
      try {
        run = await request(io, "run", { model, unit, action, params }, timeoutMs);
      } catch (error) {
        if (error instanceof RequestTimedOut) throw new JujuError(`timed out waiting for results from: unit ${unit}`);
        throw error;
      }
      const fmt = format(args, "plain");
      if (fmt === "plain") {
        io.err(`Running operation ${run.id} with 1 task\n  - task ${run.id} on unit-${run.unit.replace("/", "-")}\n\nWaiting for task ${run.id}...\n`);
        printTaskPlain(io, run);
      } else {
        printAs(io, { [run.unit]: taskJson(run) }, fmt);
      }
      if (run.status !== "completed") {
        if (run.message) io.err(`Action failed: ${run.message}\n`);
        io.err(TASK_FAILED(run.id, Number(run.results["return-code"] ?? 0)));
        return 1;
      }
      return 0;
    },
  },

  exec: {
    flags: { unit: { kind: "list", aliases: ["u"] }, machine: { kind: "string" }, application: { kind: "string", aliases: ["a"] }, wait: { kind: "string" }, all: { kind: "bool" }, background: { kind: "bool" } },
    async run(args, io) {
      const model = modelOf(args, io);
      const units = listFlag(args, "unit").flatMap((u) => u.split(","));
      if (stringFlag(args, "machine") !== undefined) throw new JujuError("the simulator's models are Kubernetes models: there are no machines, use --unit");
      if (units.length !== 1) throw new UsageError("the simulator runs `juju exec` on exactly one --unit");
      if (args.positionals.length === 0) throw new UsageError("no commands specified");
      const wait = stringFlag(args, "wait");
      let task;
      try {
        task = await request(io, "exec", { model, unit: units[0]!, command: args.positionals }, wait ? parseGoDuration(wait) : undefined);
      } catch (error) {
        if (error instanceof RequestTimedOut) throw new JujuError(`timed out waiting for results from: unit ${units[0]}`);
        throw error;
      }
      const fmt = format(args, "plain");
      if (fmt === "plain") {
        io.out(task.stdout);
        io.err(task.stderr);
      } else {
        const results: Record<string, unknown> = { "return-code": task.exitCode };
        if (task.stdout) results.stdout = task.stdout;
        if (task.stderr) results.stderr = task.stderr;
        printAs(io, { [task.unit]: { id: task.id, results, status: task.exitCode === 0 ? "completed" : "failed", unit: task.unit } }, fmt);
      }
      if (task.exitCode !== 0) {
        io.err(TASK_FAILED(task.id, task.exitCode));
        return 1;
      }
      return 0;
    },
  },

  ssh: {
    interspersed: false,
    flags: { container: { kind: "string" }, "no-host-key-checks": { kind: "bool" }, pty: { kind: "string" } },
    async run(args, io) {
      const model = modelOf(args, io);
      const target = positional(args, 0, "target");
      const unit = target.includes("@") ? target.slice(target.indexOf("@") + 1) : target;
      const command = args.positionals.slice(1);
      if (command.length === 0) throw new JujuError("the simulator runs commands over `juju ssh`, not interactive shells: give a command");
      const container = stringFlag(args, "container");
      const result = await request(io, "ssh", { model, unit, command, ...(container && container !== "charm" ? { container } : {}) });
      io.out(result.stdout);
      io.err(result.stderr);
      return result.exitCode;
    },
  },

  status: {
    flags: { color: { kind: "bool" }, relations: { kind: "bool" }, storage: { kind: "bool" }, "no-color": { kind: "bool" }, watch: { kind: "string" } },
    async run(args, io) {
      const model = modelOf(args, io);
      const status = (await request(io, "status", { model })) as StatusJson;
      const fmt = format(args, "tabular");
      if (fmt === "tabular") {
        const integrations = boolFlag(args, "relations") ? await request(io, "integrations", { model }) : undefined;
        io.out(statusTable(status, integrations));
      } else {
        if (boolFlag(args, "relations")) io.err("provided relations option is always enabled in non tabular formats\n");
        printAs(io, status, fmt);
      }
      if (Object.keys(status.applications).length === 0) io.err(`Model "admin/${model}" is empty.\n`);
      return 0;
    },
  },

  "show-unit": {
    async run(args, io) {
      const model = modelOf(args, io);
      const unit = positional(args, 0, "unit");
      printAs(io, await request(io, "show-unit", { model, unit }), format(args, "yaml"));
      return 0;
    },
  },

  "debug-log": {
    flags: {
      limit: { kind: "string", aliases: ["n", "lines"] }, include: { kind: "list", aliases: ["i"] }, level: { kind: "string", aliases: ["l"] },
      replay: { kind: "bool" }, "no-tail": { kind: "bool" }, tail: { kind: "bool" }, ms: { kind: "bool" }, date: { kind: "bool" }, color: { kind: "bool" },
    },
    async run(args, io) {
      const model = modelOf(args, io);
      const limit = Number(stringFlag(args, "limit") ?? "0");
      const level = stringFlag(args, "level");
      const { lines } = await request(io, "debug-log", { model, limit, include: listFlag(args, "include"), ...(level ? { level } : {}) });
      for (const line of lines) io.out(`${line}\n`);
      return 0;
    },
  },

  "add-secret": {
    flags: { info: { kind: "string" }, file: { kind: "string" } },
    async run(args, io) {
      const model = modelOf(args, io);
      const name = positional(args, 0, "secret name");
      const content = secretContent(args, io);
      const info = stringFlag(args, "info");
      const { uri } = await request(io, "add-secret", { model, name, content, ...(info ? { info } : {}) });
      io.out(`${uri}\n`);
      return 0;
    },
  },

  "grant-secret": {
    async run(args, io) {
      const model = modelOf(args, io);
      const secret = positional(args, 0, "secret");
      const apps = positional(args, 1, "application").split(",").filter(Boolean);
      await request(io, "grant-secret", { model, secret, apps });
      return 0;
    },
  },

  secrets: {
    flags: { owner: { kind: "string" } },
    async run(args, io) {
      const model = modelOf(args, io);
      const all = (await request(io, "secrets", { model, reveal: false })) as Record<string, { owner: string; revision: number; name?: string; label?: string }>;
      const owner = stringFlag(args, "owner");
      const chosen = Object.fromEntries(Object.entries(all).filter(([, s]) => owner === undefined || s.owner === owner));
      const fmt = format(args, "tabular");
      if (fmt === "tabular") {
        io.out("ID                    Name  Owner    Rotation  Revision  Last updated\n");
        for (const [id, s] of Object.entries(chosen)) io.out(`${id}  ${s.name ?? s.label ?? "-"}  ${s.owner}  never  ${s.revision}  just now\n`);
      } else printAs(io, chosen, fmt);
      return 0;
    },
  },

  "show-secret": {
    flags: { reveal: { kind: "bool" }, revisions: { kind: "bool" }, revision: { kind: "string", aliases: ["r"] } },
    async run(args, io) {
      const model = modelOf(args, io);
      const secret = positional(args, 0, "secret");
      printAs(io, await request(io, "secrets", { model, reveal: boolFlag(args, "reveal"), secret }), format(args, "yaml"));
      return 0;
    },
  },

  "update-secret": {
    flags: { info: { kind: "string" }, name: { kind: "string" }, file: { kind: "string" }, "auto-prune": { kind: "bool" } },
    async run(args, io) {
      const model = modelOf(args, io);
      const secret = positional(args, 0, "secret URI");
      const info = stringFlag(args, "info");
      const name = stringFlag(args, "name");
      const content = secretContent(args, io);
      await request(io, "update-secret", { model, secret, content, ...(info !== undefined ? { info } : {}), ...(name !== undefined ? { name } : {}) });
      return 0;
    },
  },

  "remove-secret": {
    flags: { revision: { kind: "string" } },
    async run(args, io) {
      const model = modelOf(args, io);
      const secret = positional(args, 0, "secret URI");
      noExtra(args, 1);
      const text = stringFlag(args, "revision");
      const revision = text === undefined ? undefined : Number(text);
      if (revision !== undefined && (!Number.isInteger(revision) || revision < 1)) throw new UsageError(`invalid value "${text}" for option --revision: must be a positive integer`);
      await request(io, "remove-secret", { model, secret, ...(revision !== undefined ? { revision } : {}) });
      return 0;
    },
  },

  refresh: {
    flags: {
      path: { kind: "string" }, resource: { kind: "list" }, config: { kind: "list" }, channel: { kind: "string" }, revision: { kind: "string" }, base: { kind: "string" },
      switch: { kind: "string" }, force: { kind: "bool" }, "force-base": { kind: "bool" }, "force-units": { kind: "bool" }, storage: { kind: "list" }, trust: { kind: "bool" }, bind: { kind: "string" },
    },
    async run(args, io) {
      const model = modelOf(args, io);
      if (args.positionals.length === 0) throw new UsageError("no application specified");
      const app = args.positionals[0]!;
      noExtra(args, 1);
      const path = stringFlag(args, "path");
      if (path !== undefined && stringFlag(args, "revision") !== undefined) throw new UsageError("--path and --revision are mutually exclusive");
      if (stringFlag(args, "switch") !== undefined) throw new JujuError("the simulator refreshes local charms only: use --path, not --switch");
      if (path !== undefined && !existsSync(absolute(io, path))) throw new JujuError(`no charm found at "${path}"`);
      const refreshed = await request(io, "refresh", {
        model, app, resources: keyValues(listFlag(args, "resource"), "--resource"), config: configValues(args, io), trust: boolFlag(args, "trust"),
        ...(path !== undefined ? { path: absolute(io, path) } : {}),
      });
      if (refreshed.charmChanged) io.err(`Added local charm "${refreshed.charm}", revision ${refreshed.revision}, to the model\n`);
      return 0;
    },
  },

  "show-task": {
    flags: { wait: { kind: "string" }, watch: { kind: "bool" }, utc: { kind: "bool" } },
    async run(args, io) {
      const model = modelOf(args, io);
      if (args.positionals.length === 0) throw new UsageError("no task ID specified");
      const id = args.positionals[0]!;
      noExtra(args, 1);
      if (!/^\d+$/.test(id)) throw new UsageError(`task ID "${id}" not valid`);
      const run = await request(io, "show-task", { model, id });
      const fmt = format(args, "plain");
      if (fmt === "plain") printTaskPlain(io, run);
      else printAs(io, taskJson(run), fmt);
      return 0;
    },
  },

  "show-application": {
    async run(args, io) {
      const model = modelOf(args, io);
      if (args.positionals.length === 0) throw new UsageError("an application name must be supplied");
      const shown: Record<string, unknown> = {};
      for (const app of args.positionals) Object.assign(shown, await request(io, "show-application", { model, app }));
      printAs(io, shown, format(args, "yaml"));
      return 0;
    },
  },

  "scale-application": {
    async run(args, io) {
      const model = modelOf(args, io);
      if (args.positionals.length === 0) throw new UsageError("no application name specified");
      const app = args.positionals[0]!;
      if (args.positionals.length === 1) throw new UsageError("no scale specified");
      const text = args.positionals[1]!;
      noExtra(args, 2);
      if (!/^-?\d+$/.test(text)) throw new UsageError(`invalid scale "${text}": strconv.Atoi: parsing "${text}": invalid syntax`);
      const scale = Number(text);
      if (scale < 0) throw new UsageError("scale must be a positive integer");
      const result = await request(io, "scale-application", { model, app, scale });
      io.err(`${app} scaled to ${result.scale} units\n`);
      return 0;
    },
  },

  expose: exposeCommand(true),
  unexpose: exposeCommand(false),

  resources: {
    flags: { details: { kind: "bool" } },
    async run(args, io) {
      const model = modelOf(args, io);
      const target = positional(args, 0, "application or unit");
      noExtra(args, 1);
      const rows = await request(io, "resources", { model, app: target.includes("/") ? appOfUnit(target) : target });
      const fmt = format(args, "tabular");
      if (fmt === "tabular") {
        if (rows.length === 0) {
          io.err("No resources to display.\n");
          return 0;
        }
        const width = Math.max(8, ...rows.map((r) => r.name.length));
        io.out(`${"Resource".padEnd(width)}  Supplied by  Revision\n`);
        for (const row of rows) io.out(`${row.name.padEnd(width)}  upload       ${row.revision}\n`);
      } else {
        printAs(io, { resources: rows.map((r) => ({ name: r.name, type: "oci-image", origin: "upload", revision: String(r.revision), used: true })) }, fmt);
      }
      return 0;
    },
  },

  "wait-for": {
    interspersed: true,
    flags: { query: { kind: "string" }, timeout: { kind: "string" }, summary: { kind: "bool" } },
    async run(args, io) {
      const model = modelOf(args, io);
      const kind = positional(args, 0, "entity kind (application, unit)");
      if (kind !== "application" && kind !== "unit") throw new JujuError(`the simulator waits for an application or a unit, not a ${kind}`);
      if (args.positionals.length < 2) throw new UsageError(`${kind} name must be supplied when waiting for an ${kind}`);
      if (args.positionals.length > 2) throw new UsageError(`only one ${kind} name can be supplied as an argument to this command`);
      const name = args.positionals[1]!;
      const query = parseQuery(stringFlag(args, "query") ?? (kind === "application" ? 'life=="alive" && status=="active"' : 'life=="alive" && workload-status=="active"'));
      const deadline = Date.now() + parseGoDuration(stringFlag(args, "timeout") ?? "10m");
      const used = new Set<string>();
      for (;;) {
        const status = (await request(io, "status", { model })) as StatusJson;
        const scope = kind === "application" ? applicationScope(status, name) : unitScope(status, name);
        if (scope && query(scope, used)) {
          if (args.flags.summary !== false) {
            io.err(kind === "application" ? `Application "${name}" is running\n` : `unit "${name}" is running\n`);
            io.out(toYaml({ properties: Object.fromEntries([...used].sort().map((key) => [key, scope[key]])) }));
          }
          return 0;
        }
        if (Date.now() >= deadline) throw new JujuError(`timed out waiting for "${name}" to reach goal state`);
        await new Promise((resolve) => setTimeout(resolve, Math.min(WAIT_FOR_POLL_MS, Math.max(0, deadline - Date.now()))));
      }
    },
  },

  scp: {
    flags: { container: { kind: "string" }, "no-host-key-checks": { kind: "bool" }, proxy: { kind: "bool" } },
    async run(args, io) {
      const model = modelOf(args, io);
      const options = args.positionals.filter((word) => word.startsWith("-"));
      if (options.length > 0) throw new JujuError(`the simulator copies single files: scp options ${options.join(" ")} are not supported`);
      if (args.positionals.length !== 2) throw new UsageError("at least two arguments required");
      const [source, destination] = args.positionals as [string, string];
      const from = remotePath(source);
      const to = remotePath(destination);
      if (from && to) throw new JujuError("the simulator copies between this machine and one unit, not between units");
      if (!from && !to) throw new JujuError("one of the source and the destination must be <unit>:<path>");
      const container = stringFlag(args, "container");
      const inContainer = container && container !== "charm" ? { container } : {};
      if (to) {
        const local = absolute(io, source);
        if (!existsSync(local) || !statSync(local).isFile()) throw new JujuError(`scp: ${source}: No such file or directory`);
        await request(io, "scp", { model, unit: to.unit, path: to.path, data: readFileSync(local).toString("base64"), ...inContainer });
        return 0;
      }
      const { data } = await request(io, "scp", { model, unit: from!.unit, path: from!.path, ...inContainer });
      let local = absolute(io, destination);
      if (existsSync(local) && statSync(local).isDirectory()) local = resolve(local, basename(from!.path));
      writeFileSync(local, Buffer.from(data ?? "", "base64"));
      return 0;
    },
  },

  offer: notSupported("offer", "the simulator runs one controller and no cross-model relations"),
  consume: notSupported("consume", "the simulator runs one controller and no cross-model relations"),

  controllers: {
    async run(args, io) {
      const fmt = format(args, "tabular");
      if (fmt === "tabular") io.out(`Controller  Model  User   Access     Cloud/Region        Models  Nodes  HA  Version\n${CONTROLLER_NAME}*        ${currentModel(io.home) ?? "-"}  admin  superuser  microk8s/localhost  -       -      -   ${JUJU_VERSION}\n`);
      else printAs(io, { controllers: { [CONTROLLER_NAME]: { "current-model": currentModel(io.home) ?? "", user: "admin", "agent-version": JUJU_VERSION } }, "current-controller": CONTROLLER_NAME }, fmt);
      return 0;
    },
  },

  "kill-controller": {
    flags: { timeout: { kind: "string", aliases: ["t"] } },
    async run(_args, io) {
      try {
        await call("stop", {}, { home: io.home, start: false });
      } catch (error) {
        if (!(error instanceof ControllerDown)) throw error;
      }
      rmSync(io.home.currentModel, { force: true });
      io.err(`Destroying controller "${CONTROLLER_NAME}"\n`);
      return 0;
    },
  },
};

/** juju's other names for commands. */
const ALIASES: Record<string, string> = {
  "destroy-controller": "kill-controller", relate: "integrate", "remove-integration": "remove-relation", "show-status": "status",
  "list-models": "models", "list-secrets": "secrets", "upgrade-charm": "refresh",
};
for (const [alias, name] of Object.entries(ALIASES)) COMMANDS[alias] = COMMANDS[name]!;

/** `-h`/`--help` among the command's own flags (not in the command line `ssh` runs, nor after `--`). */
function asksForHelp(argv: string[], interspersed: boolean): boolean {
  for (const word of argv) {
    if (word === "--") return false;
    if (word === "-h" || word === "--help") return true;
    if (!interspersed && !word.startsWith("-")) return false;
  }
  return false;
}

export async function runCommand(name: string, argv: string[], io: Io): Promise<number> {
  const command = COMMANDS[name];
  if (!command) throw new UsageError(`juju: "${name}" is not a juju command. See "juju --help".`);
  if (asksForHelp(argv, command.interspersed ?? true)) {
    io.out(helpText(name, HELP[name] ?? HELP[ALIASES[name] ?? ""]!, command.flags ?? {}, COMMON));
    return 0;
  }
  const args = parseArgs(argv, command.flags ?? {}, { interspersed: command.interspersed ?? true });
  return command.run(args, io);
}
