// network-get: addresses of a binding (a relation endpoint or an extra binding).
import { RelationNotFoundError } from "./errors.ts";
import { runHookToolJson } from "./hookTool.ts";

export interface BindAddress {
  interfaceName: string;
  macAddress: string;
  addresses: { hostname: string; value: string; cidr: string }[];
}

export interface Network {
  bindAddresses: BindAddress[];
  egressSubnets: string[];
  ingressAddresses: string[];
}

interface NetworkOutput {
  "bind-addresses"?: { "interface-name"?: string; "mac-address"?: string; addresses?: { hostname?: string; value?: string; cidr?: string }[] }[];
  "egress-subnets"?: string[];
  "ingress-addresses"?: string[];
}

/**
 * The network of `binding`, as seen over `relationId` when given. A relation that is already gone is
 * retried without `-r`, as ops does, since the binding's own addresses still answer the question.
 */
export async function networkGet(binding: string, relationId?: number): Promise<Network> {
  let output: NetworkOutput;
  try {
    output = await runHookToolJson<NetworkOutput>("network-get", [...(relationId === undefined ? [] : ["-r", String(relationId)]), binding]);
  } catch (error) {
    if (relationId === undefined || !(error instanceof RelationNotFoundError)) throw error;
    output = await runHookToolJson<NetworkOutput>("network-get", [binding]);
  }
  return {
    bindAddresses: (output["bind-addresses"] ?? []).map((bind) => ({
      interfaceName: bind["interface-name"] ?? "",
      macAddress: bind["mac-address"] ?? "",
      addresses: (bind.addresses ?? []).map((address) => ({
        hostname: address.hostname ?? "",
        value: address.value ?? "",
        cidr: address.cidr ?? "",
      })),
    })),
    egressSubnets: output["egress-subnets"] ?? [],
    ingressAddresses: output["ingress-addresses"] ?? [],
  };
}
