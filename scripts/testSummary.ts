// A node:test reporter that writes the run's summary: counts and time per directory of tests/ (the tiers),
// the slowest files, and each failing test with its file. scripts/test.ts prints it after the TAP stream,
// with the secret audit. With TEST_DURATIONS_FILE set, it also records each file's time there, which the
// next run uses to start the longest files first.
import { readFileSync, writeFileSync } from "node:fs";
import { relative } from "node:path";

interface TestEvent {
  type: string;
  data: {
    name: string; file?: string; nesting: number;
    details?: { type?: string; duration_ms?: number; error?: { message?: string; cause?: unknown } };
  };
}

interface Tally { passed: number; failed: number; ms: number }

export default async function* summary(source: AsyncIterable<TestEvent>): AsyncGenerator<string> {
  const tiers = new Map<string, Tally>();
  const files = new Map<string, number>();
  const failures: string[] = [];
  for await (const event of source) {
    if (event.type !== "test:pass" && event.type !== "test:fail") continue;
    const { name, file, details, nesting } = event.data;
    const path = file ? relative(process.cwd(), file) : "(unknown file)";
    const tier = path.split("/").slice(0, 2).join("/");
    const tally = tiers.get(tier) ?? { passed: 0, failed: 0, ms: 0 };
    tiers.set(tier, tally);
    // A file's time is the sum of its top-level tests' (files run concurrently, so wall time overlaps).
    if (nesting === 0) {
      tally.ms += details?.duration_ms ?? 0;
      files.set(path, (files.get(path) ?? 0) + (details?.duration_ms ?? 0));
    }
    if (details?.type === "suite") continue;
    if (event.type === "test:pass") tally.passed++;
    else {
      tally.failed++;
      const reason = details?.error?.cause instanceof Error ? details.error.cause.message : details?.error?.message ?? "";
      failures.push(`  ${path}: ${name}${reason ? `\n      ${reason.split("\n")[0]}` : ""}`);
    }
  }
  recordDurations(files);
  const lines = ["", "summary by tier (time: the sum of its files' own times):"];
  for (const [tier, t] of [...tiers].sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(`  ${tier.padEnd(28)} ${`${t.passed} passed, ${t.failed} failed`.padEnd(22)} ${minutes(t.ms)}`);
  }
  const slowest = [...files].sort(([, a], [, b]) => b - a).slice(0, 5);
  lines.push("slowest files:", ...slowest.map(([path, ms]) => `  ${path.padEnd(48)} ${minutes(ms)}`));
  if (failures.length) lines.push("failing tests:", ...failures);
  const passed = [...tiers.values()].reduce((sum, t) => sum + t.passed, 0);
  const failed = [...tiers.values()].reduce((sum, t) => sum + t.failed, 0);
  lines.push(`tests: ${passed} passed, ${failed} failed`, "");
  yield lines.join("\n");
}

function minutes(ms: number): string {
  return `${(ms / 60_000).toFixed(1)} min`;
}

/** Merges this run's file times into TEST_DURATIONS_FILE (a run of some files keeps the others'). */
function recordDurations(files: Map<string, number>): void {
  const target = process.env.TEST_DURATIONS_FILE;
  if (!target || files.size === 0) return;
  writeFileSync(target, `${JSON.stringify({ ...recordedDurations(target), ...Object.fromEntries(files) }, null, 1)}\n`);
}

/** Each file's time in ms as the last runs recorded it; none when no run did (or the record is unreadable). */
export function recordedDurations(path: string): Record<string, number> {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as Record<string, number>;
  } catch {
    return {};
  }
}
