// Fake hook tools for tests of src/juju: small Node executables in a temp dir prepended to PATH. Each one
// answers with a scripted response (Juju's real outputs, error texts and exit codes, docs/juju-contract.md §2–§3)
// and appends what it saw — argv, stdin, its own /proc/<pid>/cmdline, and the files named by
// `key#file=<path>` arguments — to calls.jsonl, so tests can assert exact invocations.
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface FakeResponse {
  /** Answer only this exact argv (after the tool name); a response without it answers anything. */
  args?: string[];
  stdout?: string;
  /** Printed as-is on stderr (Juju's form is `ERROR <message>\n`). */
  stderr?: string;
  exit?: number;
  /** Keep stdin under this name in the fake's store ... */
  storeStdin?: string;
  /** ... and print a stored value as stdout. */
  stdoutFromStore?: string;
}

export interface FakeCall {
  tool: string;
  args: string[];
  stdin: string;
  /** The fake's own command line as the kernel shows it to every process (NUL-separated → array). */
  cmdline: string[];
  /** For each `key#file=<path>` argument: the file's content, its mode and its directory's mode, at call time. */
  files: { path: string; content: string; mode: number; dirMode: number }[];
}

const TOOLS = [
  "action-fail", "action-get", "action-log", "action-set", "application-version-set", "close-port", "config-get", "credential-get",
  "is-leader", "juju-log", "network-get", "open-port", "opened-ports", "relation-get", "relation-ids", "relation-list",
  "relation-set", "secret-add", "secret-get", "secret-grant", "secret-ids", "secret-info-get", "secret-remove",
  "secret-revoke", "secret-set", "state-delete", "state-get", "state-set", "status-get", "status-set",
];

// Plain JavaScript, run by the same Node as the tests; reads its script from FAKE_TOOLS_DIR.
const PROGRAM = String.raw`
const fs = require("node:fs");
const path = require("node:path");
const dir = process.env.FAKE_TOOLS_DIR;
const tool = path.basename(process.argv[1]);
const args = process.argv.slice(2);
const stdin = fs.readFileSync(0, "utf8");
const cmdline = fs.readFileSync("/proc/" + process.pid + "/cmdline", "utf8").split("\0").filter(Boolean);
const files = [];
for (const arg of args) {
  const m = /^[^#=]+#file=(.*)$/.exec(arg);
  if (!m) continue;
  files.push({ path: m[1], content: fs.readFileSync(m[1], "utf8"), mode: fs.statSync(m[1]).mode & 0o777, dirMode: fs.statSync(path.dirname(m[1])).mode & 0o777 });
}
fs.appendFileSync(path.join(dir, "calls.jsonl"), JSON.stringify({ tool, args, stdin, cmdline, files }) + "\n");
const script = JSON.parse(fs.readFileSync(path.join(dir, "script.json"), "utf8"));
const responses = script[tool] || [];
const response = responses.find((r) => !r.args || JSON.stringify(r.args) === JSON.stringify(args));
// Exit codes are set, never forced with process.exit(): that would cut off output still queued for a pipe.
if (!response) {
  process.stderr.write("ERROR fake " + tool + " has no response for " + JSON.stringify(args) + "\n");
  process.exitCode = 3;
} else {
  const store = (name) => path.join(dir, "store-" + name);
  if (response.storeStdin) fs.writeFileSync(store(response.storeStdin), stdin);
  if (response.stdoutFromStore) process.stdout.write(fs.readFileSync(store(response.stdoutFromStore), "utf8"));
  if (response.stdout) process.stdout.write(response.stdout);
  if (response.stderr) process.stderr.write(response.stderr);
  process.exitCode = response.exit || 0;
}
`;

export class FakeTools {
  readonly dir: string;
  readonly #originalPath: string | undefined;
  #script: Record<string, FakeResponse[]> = {};

  constructor() {
    this.dir = mkdtempSync(join(tmpdir(), "fake-hook-tools-"));
    const program = join(this.dir, "fake-tool.cjs");
    writeFileSync(program, `#!${process.execPath}\n${PROGRAM}`);
    for (const tool of TOOLS) {
      writeFileSync(join(this.dir, tool), `#!${process.execPath}\nrequire(${JSON.stringify(program)});\n`);
      chmodSync(join(this.dir, tool), 0o755);
    }
    this.#originalPath = process.env.PATH;
    process.env.PATH = `${this.dir}:${process.env.PATH ?? ""}`;
    process.env.FAKE_TOOLS_DIR = this.dir;
    this.reset();
  }

  /** Scripts `tool`'s answers (first matching response wins). */
  respond(tool: string, ...responses: FakeResponse[]): void {
    this.#script[tool] = [...(this.#script[tool] ?? []), ...responses];
    writeFileSync(join(this.dir, "script.json"), JSON.stringify(this.#script));
  }

  /** Every call since the last reset, in order. */
  calls(): FakeCall[] {
    const log = join(this.dir, "calls.jsonl");
    if (!existsSync(log)) return [];
    return readFileSync(log, "utf8").trim().split("\n").filter(Boolean).map((line) => JSON.parse(line) as FakeCall);
  }

  /** Calls as `tool arg arg` lines, for compact exact assertions. */
  argv(): string[][] {
    return this.calls().map((call) => [call.tool, ...call.args]);
  }

  reset(): void {
    this.#script = {};
    writeFileSync(join(this.dir, "script.json"), "{}");
    rmSync(join(this.dir, "calls.jsonl"), { force: true });
  }

  remove(): void {
    process.env.PATH = this.#originalPath;
    delete process.env.FAKE_TOOLS_DIR;
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Juju's error output for `message`. */
export function jujuError(message: string, exit: number): FakeResponse {
  return { stderr: `ERROR ${message}\n`, exit };
}
