// The Juju topology (cosl JujuTopology) every COS interface labels its data with.
import type { Framework, IntegrationContext, ObservabilityContext } from "./types.ts";

export type Topology = {
  model: string;
  model_uuid: string;
  application: string;
  unit: string;
  charm_name: string;
};

/** In JujuTopology.as_dict()'s key order, which is what the libraries serialise. */
export function jujuTopology(ctx: IntegrationContext, obs: ObservabilityContext): Topology {
  return { model: ctx.modelName, model_uuid: obs.modelUuid, application: ctx.appName, unit: ctx.unitName, charm_name: obs.charmName };
}

/** PromQL/LogQL label matchers selecting this application's series. */
export function topologySelector(topology: Topology): string {
  return `juju_application="${topology.application}",juju_model="${topology.model}",juju_model_uuid="${topology.model_uuid}"`;
}

const DISPLAY_NAMES: Record<Framework, string> = {
  flask: "Flask", django: "Django", fastapi: "FastAPI", go: "Go", expressjs: "ExpressJS", "spring-boot": "Spring Boot",
};

export function frameworkDisplayName(framework: Framework): string {
  return DISPLAY_NAMES[framework] ?? framework;
}
