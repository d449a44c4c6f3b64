// Runs one build step, keeping its output for the error message only.
import { spawn } from "node:child_process";

export interface RunOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
}

export function run(what: string, command: string, args: string[], options: RunOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
    const output: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => output.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => output.push(chunk));
    child.on("error", (error) => reject(new Error(`${what}: cannot run ${command} (${error.message}); is it installed?`)));
    child.on("close", (code, signal) => {
      if (code === 0) return resolve();
      const tail = Buffer.concat(output).toString("utf8").trimEnd().split("\n").slice(-40).join("\n");
      reject(new Error(`${what}: \`${[command, ...args].join(" ")}\` in ${options.cwd} exited with ${code ?? signal}:\n${tail}`));
    });
  });
}
