// One hook-tool call against the model, as Juju's unit agent answers it: the committed model and the hook's
// journal under the model's lock, the secret audit, the call log. The hook-tool program (main.ts) runs it
// once per process; the in-process tier (inProcess.ts) runs it for every call of a charm running in the
// test's own process. `stdin` is the tool's standard input when the caller has it in hand.
import { loadModel, saveModel, withModelLock } from "../model.ts";
import { ToolError } from "./args.ts";
import { recordCall } from "./callLog.ts";
import { auditArgv } from "./secretAudit.ts";
import { readJournal, writeJournal } from "./pending.ts";
import { tools } from "./registry.ts";
import { Session, type HookEnv } from "./session.ts";

export interface ToolOutcome {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export function runTool(toolName: string | undefined, argv: string[], hookEnv: () => HookEnv, stdin?: () => string): ToolOutcome {
  const tool = toolName === undefined ? undefined : tools[toolName];
  if (!tool) {
    return { exitCode: 2, stdout: "", stderr: `ERROR unknown hook tool ${JSON.stringify(toolName ?? "")}: pass one of the tool names installHookTools() creates as the first argument\n` };
  }
  let session: Session | undefined;
  let env: HookEnv | undefined;
  try {
    const current = hookEnv();
    env = current;
    withModelLock(current.modelPath, () => {
      session = new Session(current, loadModel(current.modelPath), readJournal(current.modelPath, current.contextId, current.unit), stdin);
      tool(session, argv);
      auditArgv(session.model.secretAudit, toolName!, current.unit, argv, session.model, session.journal);
      if (session.modelChanged) saveModel(current.modelPath, session.model);
      if (session.journalChanged) writeJournal(current.modelPath, current.contextId, session.journal);
    });
  } catch (error) {
    if (error instanceof ToolError) return { exitCode: error.exitCode, stdout: "", stderr: `ERROR ${error.message}\n` };
    throw error;
  } finally {
    if (env) recordCall(env.modelPath, { context: env.contextId, unit: env.unit, tool: toolName ?? "", args: argv });
  }
  return { exitCode: 0, stdout: session?.stdout ?? "", stderr: "" };
}
