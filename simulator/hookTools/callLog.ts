// A record of every hook-tool call (tool name and argv, never stdin), one JSON line per call in
// `<model>.calls.jsonl`, so benchmarks can count calls per event. Secret content given in argv is
// replaced by its key.
import { appendFileSync, readFileSync } from "node:fs";

export interface ToolCall {
  context: string;
  unit: string;
  tool: string;
  args: string[];
}

export function callLogPath(modelPath: string): string {
  return `${modelPath}.calls.jsonl`;
}

function redact(tool: string, args: string[]): string[] {
  if (tool !== "secret-add" && tool !== "secret-set") return args;
  return args.map((arg) => (/^[a-z][a-z0-9-]*(#base64)?=/.test(arg) ? `${arg.slice(0, arg.indexOf("="))}=<redacted>` : arg));
}

export function recordCall(modelPath: string, call: ToolCall): void {
  appendFileSync(callLogPath(modelPath), `${JSON.stringify({ ...call, args: redact(call.tool, call.args) })}\n`);
}

/** Every call recorded for the model, optionally only those of one hook context. */
export function readCalls(modelPath: string, contextId?: string): ToolCall[] {
  let text: string;
  try {
    text = readFileSync(callLogPath(modelPath), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  const calls = text.split("\n").filter(Boolean).map((line) => JSON.parse(line) as ToolCall);
  return contextId === undefined ? calls : calls.filter((call) => call.context === contextId);
}
