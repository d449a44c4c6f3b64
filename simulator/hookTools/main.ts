// The simulator's hook-tool program: `node hook-tool.cjs <tool-name> [args...]`. installHookTools()
// puts one tiny executable per tool name on the hook's PATH that runs this with the tool name as the
// first argument. The hook context comes from the env the charm got (JUJU_UNIT_NAME,
// JUJU_RELATION_ID, JUJU_REMOTE_UNIT/APP, JUJU_ACTION_UUID, JUJU_CONTEXT_ID) and the agent's address,
// JUJU_AGENT_SOCKET_ADDRESS, which names the model file.
import { runTool } from "./runTool.ts";
import { hookEnvFromProcess } from "./session.ts";

const outcome = runTool(process.argv[2], process.argv.slice(3), () => hookEnvFromProcess(process.env));
process.stdout.write(outcome.stdout);
process.stderr.write(outcome.stderr);
process.exitCode = outcome.exitCode;
