// The simulator's hook-tool program: `node hook-tool.cjs <tool-name> [args...]`. installHookTools()
// puts one tiny executable per tool name on the hook's PATH that runs this with the tool name as the
// first argument. The hook context comes from the env the charm got (JUJU_UNIT_NAME,
// JUJU_RELATION_ID, JUJU_REMOTE_UNIT/APP, JUJU_ACTION_UUID, JUJU_CONTEXT_ID) and the agent's address,
// JUJU_AGENT_SOCKET_ADDRESS, which names the model file.
import { loadModel, saveModel, withModelLock } from "../model.ts";
import { ToolError } from "./args.ts";
import { recordCall } from "./callLog.ts";
import { auditArgv } from "./secretAudit.ts";
import { readJournal, writeJournal } from "./pending.ts";
import { tools } from "./registry.ts";
import { Session, hookEnvFromProcess } from "./session.ts";

function run(toolName: string | undefined, argv: string[]): number {
  const tool = toolName === undefined ? undefined : tools[toolName];
  if (!tool) {
    process.stderr.write(`ERROR unknown hook tool ${JSON.stringify(toolName ?? "")}: pass one of the tool names installHookTools() creates as the first argument\n`);
    return 2;
  }
  let session: Session | undefined;
  let env: ReturnType<typeof hookEnvFromProcess> | undefined;
  try {
    const hookEnv = hookEnvFromProcess(process.env);
    env = hookEnv;
    withModelLock(hookEnv.modelPath, () => {
      session = new Session(hookEnv, loadModel(hookEnv.modelPath), readJournal(hookEnv.modelPath, hookEnv.contextId, hookEnv.unit));
      tool(session, argv);
      auditArgv(session.model.secretAudit, toolName!, hookEnv.unit, argv, session.model, session.journal);
      if (session.modelChanged) saveModel(hookEnv.modelPath, session.model);
      if (session.journalChanged) writeJournal(hookEnv.modelPath, hookEnv.contextId, session.journal);
    });
  } catch (error) {
    if (error instanceof ToolError) {
      process.stderr.write(`ERROR ${error.message}\n`);
      return error.exitCode;
    }
    throw error;
  } finally {
    if (env) recordCall(env.modelPath, { context: env.contextId, unit: env.unit, tool: toolName ?? "", args: argv });
  }
  process.stdout.write(session?.stdout ?? "");
  return 0;
}

process.exitCode = run(process.argv[2], process.argv.slice(3));
