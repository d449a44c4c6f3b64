// The CLI's side of the controller: one request per operation over the home's Unix socket, starting the
// controller (detached, logging to the home) when none is running.
import { spawn } from "node:child_process";
import { openSync, readFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { SimHome } from "../controller/home.ts";
import type { OperationName, Operations, Reply } from "../controller/protocol.ts";
import { JujuError } from "../controller/errors.ts";
import { mkdirPrivate } from "../model.ts";

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const nodeBinary = join(repoRoot, "node_modules", ".bin", "node");
const controllerMain = join(repoRoot, "simulator", "controller", "main.ts");
const START_TIMEOUT_MS = 30_000;

export class ControllerDown extends Error {}
export class RequestTimedOut extends Error {}

export interface CallOptions {
  home: SimHome;
  /** Start the controller when none runs (default true); false makes a missing controller ControllerDown. */
  start?: boolean;
  timeoutMs?: number;
}

export async function call<K extends OperationName>(op: K, args: Operations[K]["args"], options: CallOptions): Promise<Operations[K]["result"]> {
  let reply: Reply;
  try {
    reply = await post(options.home.socket, JSON.stringify({ op, args }), options.timeoutMs);
  } catch (error) {
    if (!(error instanceof ControllerDown) || options.start === false) throw error;
    await startController(options.home);
    reply = await post(options.home.socket, JSON.stringify({ op, args }), options.timeoutMs);
  }
  if (!reply.ok) throw new JujuError(reply.error);
  return reply.result as Operations[K]["result"];
}

async function startController(home: SimHome): Promise<void> {
  mkdirPrivate(home.dir);
  const log = openSync(home.log, "a", 0o600);
  const child = spawn(nodeBinary, ["--disable-warning=ExperimentalWarning", controllerMain], {
    detached: true,
    stdio: ["ignore", log, log],
    env: { ...process.env, JUJU_SIM_HOME: home.dir },
    cwd: home.dir,
  });
  child.unref();
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    try {
      const reply = await post(home.socket, JSON.stringify({ op: "ping", args: {} }), 2000);
      if (reply.ok) return;
    } catch (error) {
      if (!(error instanceof ControllerDown)) throw error;
    }
    if (child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const tail = readTail(home.log);
  throw new JujuError(`the simulated controller did not start within ${START_TIMEOUT_MS / 1000} s; its log (${home.log}) ends with:\n${tail}`);
}

function readTail(path: string): string {
  try {
    return readFileSync(path, "utf8").split("\n").slice(-20).join("\n");
  } catch {
    return "(no log)";
  }
}

function post(socketPath: string, body: string, timeoutMs?: number): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const request = httpRequest({ socketPath, path: "/", method: "POST", headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) } }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => {
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString("utf8")) as Reply);
        } catch {
          reject(new Error("the simulated controller sent a reply that is not JSON"));
        }
      });
    });
    if (timeoutMs !== undefined) {
      request.setTimeout(timeoutMs, () => request.destroy(new RequestTimedOut(`timed out after ${timeoutMs / 1000} s`)));
    }
    request.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT" || error.code === "ECONNREFUSED") reject(new ControllerDown("the simulated controller is not running"));
      else reject(error);
    });
    request.end(body);
  });
}
