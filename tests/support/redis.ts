// A throwaway Redis server for a test, on a free loopback port, with no persistence.
//
//   const redis = await startRedis();   // { url: "redis://127.0.0.1:<port>", stop }
//   startRedis({ host: SERVICE_ADDRESS })   // also listens there, for workload containers; url names it
//   after(() => redis.stop());
import { spawn } from "node:child_process";
import { connect } from "node:net";
import { freePort } from "./rockHost.ts";

export interface RedisServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 10_000;

export async function startRedis(options: { host?: string } = {}): Promise<RedisServer> {
  const port = await freePort();
  const host = options.host ?? "127.0.0.1";
  const bind = [...new Set(["127.0.0.1", host])];
  // Workload containers connect from their own addresses: no protected mode, as on a cluster network.
  const child = spawn("redis-server", ["--port", String(port), "--bind", ...bind, "--protected-mode", "no", "--save", "", "--appendonly", "no"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  const exited = new Promise<void>((resolve) => child.once("close", () => resolve()));
  child.once("error", (error) => (output += `cannot run redis-server (${error.message}): run scripts/setup.sh`));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await exited;
  };

  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!(await answersPing(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`redis-server did not answer PING on port ${port}:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { url: `redis://${host}:${port}`, port, stop };
}

function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.setTimeout(1000);
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.once("data", (data) => {
      socket.destroy();
      resolve(data.toString().startsWith("+PONG"));
    });
    socket.once("error", () => resolve(false));
    socket.once("timeout", () => {
      socket.destroy();
      resolve(false);
    });
  });
}
