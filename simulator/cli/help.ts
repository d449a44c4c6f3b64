// `juju <command> --help` and `juju help <command>`: juju 3.6's usage line and summary for each command,
// its flags, and what the simulator does differently where it does (docs/simulator-cli.md lists them all).
import type { FlagSpec } from "./args.ts";

interface HelpEntry {
  args: string;
  summary: string;
  /** Where the simulator answers less than juju does. */
  simulator?: string;
}

export const HELP: Record<string, HelpEntry> = {
  version: { args: "", summary: "Print the Juju CLI client version." },
  "add-model": { args: "<model name> [cloud|region|(cloud/region)]", summary: "Adds a workload model." },
  "destroy-model": { args: "[<controller name>:]<model name>", summary: "Terminate all machines/containers and resources for a non-controller model." },
  models: { args: "", summary: "Lists models a user can access on a controller." },
  "show-model": { args: "<model name>", summary: "Shows information about the current or specified model." },
  switch: { args: "[<controller>|<model>|<controller>:|:<model>|<controller>:<model>]", summary: "Selects or identifies the current controller and model." },
  "model-config": { args: "[<model-key>[=<value>] ...]", summary: "Displays or sets configuration values on a model.", simulator: "the keys listed in docs/simulator-cli.md only." },
  deploy: {
    args: "<charm or bundle> [<application name>]", summary: "Deploys a new application or bundle.",
    simulator: "local .charm files and the built-in Charmhub stand-ins (see `juju deploy` in docs/simulator-cli.md); no bundles.",
  },
  config: { args: "<application name> [--reset <key[,key]>] [<attribute-key>][=<value>] ...]", summary: "Get, set, or reset configuration for a deployed application." },
  integrate: { args: "<application>[:<endpoint>] <application>[:<endpoint>]", summary: "Integrate two applications." },
  "remove-relation": { args: "<application1>[:<endpoint name1>] <application2>[:<endpoint name2>] | <relation-id>", summary: "Removes an existing relation between two applications." },
  "add-unit": { args: "<application name>", summary: "Adds one or more units to a deployed application." },
  "remove-unit": { args: "<unit> [...] | <application>", summary: "Remove application units from the model." },
  "remove-application": { args: "<application> [<application>...]", summary: "Remove applications from the model." },
  trust: { args: "<application name>", summary: "Sets the trust status of a deployed application to true." },
  run: { args: "<unit> [<unit> ...] <action-name> [<key>=<value> [<key>[.<key> ...]=<value>]]", summary: "Run an action on a specified unit.", simulator: "one unit per call." },
  exec: { args: "<commands>", summary: "Run the commands on the remote targets specified.", simulator: "exactly one --unit." },
  ssh: { args: "<[user@]target> [openssh options] [command]", summary: "Initiates an SSH session or executes a command on a Juju machine or container.", simulator: "runs a command; no interactive shell." },
  scp: {
    args: "<source> <destination>", summary: "Securely transfer files within a model.",
    simulator: "one file between this machine and one unit; no scp options (-r); workload-container paths are absolute.",
  },
  status: { args: "[<selector> [...]]", summary: "Report the status of the model, its machines, applications and units.", simulator: "no selectors." },
  "show-unit": { args: "<unit name>", summary: "Displays information about a unit." },
  "show-application": { args: "<application name or alias>", summary: "Displays information about an application." },
  "debug-log": { args: "", summary: "Displays log messages for a model.", simulator: "prints the log and exits (no tailing)." },
  "add-secret": { args: "<name> [key[#base64|#file]=value...]", summary: "Add a new secret." },
  "update-secret": { args: "<ID>|<name> [key[#base64|#file]=value...]", summary: "Update an existing secret." },
  "remove-secret": { args: "<ID>|<name>", summary: "Remove a existing secret." },
  "grant-secret": { args: "<ID>|<name> <application>[,<application>...]", summary: "Grant access to a secret." },
  secrets: { args: "", summary: "Lists secrets available in the model." },
  "show-secret": { args: "<ID>|<name>", summary: "Shows details for a specific secret." },
  refresh: {
    args: "<application>", summary: "Refresh an application's charm.",
    simulator: "local charms (--path) and --resource images; no --switch, channels or revisions.",
  },
  "show-task": { args: "<task ID>", summary: "Show results of a task by ID.", simulator: "tasks are finished when run returns, so --wait and --watch change nothing." },
  "scale-application": { args: "<application> <scale>", summary: "Set the desired number of k8s application units." },
  expose: { args: "<application name>", summary: "Makes an application publicly available over the network.", simulator: "shown in status; Kubernetes charms' ports are open on their Service either way." },
  unexpose: { args: "<application name>", summary: "Removes public availability over the network for an application." },
  resources: { args: "<application or unit>", summary: "Show the resources for an application or unit." },
  "wait-for": {
    args: "application|unit <name>", summary: "Wait for an entity to reach a specified state.",
    simulator: "application and unit; queries with ==, !=, &&, || and parentheses (no lambdas, len or forEach).",
  },
  offer: { args: "[model-name.]<application-name>:<endpoint-name>[,...] [offer-name]", summary: "Offer application endpoints for use in other models.", simulator: "not supported." },
  consume: { args: "<remote offer path> [<local application name>]", summary: "Add a remote offer to the model.", simulator: "not supported." },
  controllers: { args: "", summary: "Lists all controllers." },
  "kill-controller": { args: "<controller name>", summary: "Forcibly terminate all machines and other associated resources for a Juju controller." },
  "destroy-controller": { args: "<controller name>", summary: "Destroys a controller." },
};

/** The help text of `name`: usage, summary, its flags and the common ones, and the simulator's note. */
export function helpText(name: string, entry: HelpEntry, flags: Record<string, FlagSpec>, common: Record<string, FlagSpec>): string {
  const flagLines = (specs: Record<string, FlagSpec>) => Object.entries(specs).sort(([a], [b]) => a.localeCompare(b)).map(([flag, spec]) => {
    const names = [...(spec.aliases ?? []).map((a) => (a.length === 1 ? `-${a}` : `--${a}`)), `--${flag}`].join(", ");
    return spec.kind === "bool" ? `${names}  (= false)` : `${names} (= "")`;
  }).join("\n");
  const sections = [`Usage: juju ${name} [options]${entry.args ? ` ${entry.args}` : ""}`, `Summary:\n${entry.summary}`, `Global Options:\n${flagLines(common)}`];
  if (Object.keys(flags).length > 0) sections.push(`Command Options:\n${flagLines(flags)}`);
  if (entry.simulator) sections.push(`Simulator:\n${entry.simulator}`);
  return sections.join("\n\n") + "\n";
}
