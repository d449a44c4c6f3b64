// Serves the controller's operations over HTTP on its Unix socket: POST / with a Request, answered by a
// Reply. A JujuError becomes `{ok: false, error}`; anything else is logged and reported as a bug.
import { createServer, type Server } from "node:http";
import type { Controller } from "./controller.ts";
import { JujuError } from "./errors.ts";
import type { OperationName, Reply, Request } from "./protocol.ts";

export function serveController(controller: Controller, socketPath: string, log: (line: string) => void): Promise<Server> {
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      void answer(controller, Buffer.concat(chunks).toString("utf8"), log).then((reply) => {
        response.writeHead(200, { "content-type": "application/json" });
        response.end(JSON.stringify(reply));
      });
    });
  });
  // Deploys and actions can take minutes; the CLI decides how long it waits.
  server.requestTimeout = 0;
  server.headersTimeout = 0;
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(socketPath, () => resolve(server));
  });
}

async function answer(controller: Controller, body: string, log: (line: string) => void): Promise<Reply> {
  let request: Request;
  try {
    request = JSON.parse(body) as Request;
  } catch {
    return { ok: false, error: "the controller got a request that is not JSON" };
  }
  const handler = controller.handlers[request.op] as ((args: unknown) => Promise<unknown>) | undefined;
  if (!handler) return { ok: false, error: `the controller has no operation "${request.op}": the CLI and controller differ; run \`juju kill-controller\` and retry` };
  try {
    return { ok: true, result: await handler(request.args) };
  } catch (error) {
    if (error instanceof JujuError) return { ok: false, error: error.message };
    log(`${request.op as OperationName} failed: ${(error as Error).stack ?? String(error)}`);
    return { ok: false, error: `${(error as Error).message} (see the controller log)` };
  }
}
