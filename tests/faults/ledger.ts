// The fault matrix's ledger: every case records the hooks it ran, the status it ended in and whether the
// data written before it was still there; the run prints the figures the README quotes.
import assert from "node:assert/strict";
import type { Simulation } from "../../simulator/simulation.ts";

export interface CaseOutcome {
  scenario: string;
  name: string;
  /** Exit codes of the charm's hooks the case ran. */
  hookExits: number[];
  /** A hook failure the case expects (a hook tool failing: Juju's retry is the right answer). */
  expectedHookError?: boolean;
  status: { status: string; message: string };
  /** A note written before the fault read back after it; undefined where the case touches no data. */
  dataKept?: boolean;
  /** The charm's error log lines of a failed hook, to say why. */
  errors?: string[];
}

export class Ledger {
  readonly cases: CaseOutcome[] = [];
  /** Provider-data cases checked through the planner (no hook), by integration. */
  readonly plannerCases = new Map<string, number>();

  /** The charm's error and exception lines logged by the hooks that failed since `mark`. */
  static hookErrors(simulation: Simulation, mark: number): string[] {
    const failed = simulation.history.slice(mark).filter((entry) => entry.result && entry.result.exitCode !== 0);
    if (failed.length === 0) return [];
    const units = new Set(failed.map((entry) => entry.unit));
    return [...units].flatMap((unit) => (simulation.model().units[unit]?.logs ?? []).slice(-40).map((log) => log.message).filter((message) => /ERROR|rror:|xception/.test(message)));
  }

  /** Hooks the simulation ran since `mark` (charm units only: scripted apps run no hook). */
  static hookExits(simulation: Simulation, mark: number): number[] {
    return simulation.history.slice(mark).flatMap((entry) => (entry.result ? [entry.result.exitCode] : []));
  }

  record(outcome: CaseOutcome): CaseOutcome {
    this.cases.push(outcome);
    return outcome;
  }

  /** A case survived: its hooks succeeded (or failed only where expected) and it ended active or in a named status. */
  static survived(outcome: CaseOutcome): boolean {
    const hooksOk = outcome.expectedHookError ? true : outcome.hookExits.every((code) => code === 0);
    const named = outcome.status.status === "active" || (["blocked", "waiting", "maintenance"].includes(outcome.status.status) && outcome.status.message !== "");
    return hooksOk && named;
  }

  figures(): string[] {
    const survived = this.cases.filter(Ledger.survived).length;
    const dataCases = this.cases.filter((c) => c.dataKept !== undefined);
    const kept = dataCases.filter((c) => c.dataKept).length;
    const hookErrorsFromData = this.cases.filter((c) => !c.expectedHookError && c.hookExits.some((code) => code !== 0)).length;
    const hooks = this.cases.reduce((sum, c) => sum + c.hookExits.length, 0);
    const planner = [...this.plannerCases.values()].reduce((a, b) => a + b, 0);
    const scenarios = new Set(this.cases.map((c) => c.scenario)).size;
    return [
      `fault matrix: ${this.cases.length} cases in ${scenarios} scenarios through the simulator (${hooks} hooks)`,
      `survived with a named status: ${survived}/${this.cases.length}`,
      `hook errors caused by data: ${hookErrorsFromData}`,
      `data kept (a note written before the fault read after it): ${kept}/${dataCases.length}`,
      `provider-data field cases through the planner: ${planner} (${[...this.plannerCases.entries()].map(([name, n]) => `${name} ${n}`).join(", ")})`,
      ...this.cases.filter((c) => !Ledger.survived(c)).map((c) => `not survived: ${c.scenario} / ${c.name}: ${JSON.stringify(c.status)} ${(c.errors ?? []).join(" | ").slice(0, 2000)}`),
    ];
  }

  assertAllSurvived(): void {
    const failed = this.cases.filter((c) => !Ledger.survived(c) || c.dataKept === false);
    assert.deepEqual(failed, [], "cases that did not survive");
  }
}
