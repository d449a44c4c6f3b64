// Every hook-tool name the simulator answers to, and the function implementing it.
import type { Session } from "./session.ts";
import { actionFail, actionGet, actionLog, actionSet } from "./tools/action.ts";
import { configGet } from "./tools/config.ts";
import { isLeader, leaderGet, leaderSet } from "./tools/leader.ts";
import { jujuLog } from "./tools/log.ts";
import { credentialGet, goalState } from "./tools/modelInfo.ts";
import { networkGet } from "./tools/network.ts";
import { closePort, openPort, openedPorts } from "./tools/ports.ts";
import { relationGet, relationIds, relationList, relationModelGet, relationSet } from "./tools/relation.ts";
import { secretAdd, secretGet, secretGrant, secretIds, secretInfoGet, secretRemove, secretRevoke, secretSet } from "./tools/secret.ts";
import { stateDelete, stateGet, stateSet } from "./tools/state.ts";
import { applicationVersionSet, statusGet, statusSet } from "./tools/status.ts";

export type Tool = (session: Session, argv: string[]) => void;

export const tools: Record<string, Tool> = {
  "action-fail": actionFail,
  "action-get": actionGet,
  "action-log": actionLog,
  "action-set": actionSet,
  "application-version-set": applicationVersionSet,
  "close-port": closePort,
  "config-get": configGet,
  "credential-get": credentialGet,
  "goal-state": goalState,
  "is-leader": isLeader,
  "juju-log": jujuLog,
  "leader-get": leaderGet,
  "leader-set": leaderSet,
  "network-get": networkGet,
  "open-port": openPort,
  "opened-ports": openedPorts,
  "relation-get": relationGet,
  "relation-ids": relationIds,
  "relation-list": relationList,
  "relation-model-get": relationModelGet,
  "relation-set": relationSet,
  "secret-add": secretAdd,
  "secret-get": secretGet,
  "secret-grant": secretGrant,
  "secret-ids": secretIds,
  "secret-info-get": secretInfoGet,
  "secret-remove": secretRemove,
  "secret-revoke": secretRevoke,
  "secret-set": secretSet,
  "state-delete": stateDelete,
  "state-get": stateGet,
  "state-set": stateSet,
  "status-get": statusGet,
  "status-set": statusSet,
};

export const toolNames = Object.keys(tools);
