// grafana-dashboard (grafana_dashboard, provider side, grafana_k8s.v0.grafana_dashboard
// GrafanaDashboardProvider): the leader publishes this charm's dashboard for its framework in the app bag,
// as the library's `file:` template (LZMA+base64 content, topology, alternative uid).
import { createHash } from "node:crypto";
import { pyJsonDumps, sha256Hex, type Databag } from "./databag.ts";
import { frameworkDashboard } from "./dashboards.ts";
import { lzmaBase64 } from "./lzmaBase64.ts";
import { jujuTopology } from "./topology.ts";
import type { IntegrationContext, ObservabilityContext } from "./types.ts";

/** The library's `dashboard_alt_uid`: shake_256("<charm>-<template id>"), 8 bytes in hex. */
export function dashboardAltUid(charmName: string, templateId: string): string {
  return createHash("shake256", { outputLength: 8 }).update(`${charmName}-${templateId}`).digest("hex");
}

/** A stable 40-character dashboard uid per charm and framework (the library derives one from the file path). */
export function dashboardUid(charmName: string, templateId: string): string {
  return sha256Hex(`${charmName}:${templateId}`).slice(0, 40);
}

export function templateId(ctx: IntegrationContext): string {
  return `file:${ctx.framework}`;
}

export function evaluateGrafanaDashboard(obs: ObservabilityContext, ctx: IntegrationContext): { app?: Databag } {
  if (!ctx.leader) return {};
  const id = templateId(ctx);
  const { charm_name: _charm, ...topology } = jujuTopology(ctx, obs);
  const content = lzmaBase64(pyJsonDumps(frameworkDashboard(ctx.framework, dashboardUid(obs.charmName, id), obs.charmName)));
  const templates = {
    [id]: { charm: obs.charmName, content, juju_topology: topology, inject_dropdowns: true, dashboard_alt_uid: dashboardAltUid(obs.charmName, id) },
  };
  // The library sends a random uuid so that every write is a change; a digest of the templates changes
  // exactly when they do, so an event that changes nothing writes nothing.
  const uuid = sha256Hex(pyJsonDumps(templates)).slice(0, 32).replace(/^(.{8})(.{4})(.{4})(.{4})/, "$1-$2-$3-$4-");
  return { app: { dashboards: pyJsonDumps({ templates, uuid }) } };
}
