// A node:test reporter that writes the run's summary: counts per directory of tests/ (the tiers) and each
// failing test with its file. scripts/test.ts prints it after the TAP stream, with the secret audit.
import { relative } from "node:path";

interface TestEvent {
  type: string;
  data: { name: string; file?: string; nesting: number; details?: { type?: string; error?: { message?: string; cause?: unknown } } };
}

export default async function* summary(source: AsyncIterable<TestEvent>): AsyncGenerator<string> {
  const tiers = new Map<string, { passed: number; failed: number }>();
  const failures: string[] = [];
  for await (const event of source) {
    if (event.type !== "test:pass" && event.type !== "test:fail") continue;
    const { name, file, details } = event.data;
    if (details?.type === "suite") continue;
    const path = file ? relative(process.cwd(), file) : "(unknown file)";
    const tier = path.split("/").slice(0, 2).join("/");
    const counts = tiers.get(tier) ?? { passed: 0, failed: 0 };
    tiers.set(tier, counts);
    if (event.type === "test:pass") counts.passed++;
    else {
      counts.failed++;
      const reason = details?.error?.cause instanceof Error ? details.error.cause.message : details?.error?.message ?? "";
      failures.push(`  ${path}: ${name}${reason ? `\n      ${reason.split("\n")[0]}` : ""}`);
    }
  }
  const lines = ["", "summary by tier:"];
  for (const [tier, counts] of [...tiers].sort(([a], [b]) => a.localeCompare(b))) lines.push(`  ${tier.padEnd(28)} ${counts.passed} passed, ${counts.failed} failed`);
  if (failures.length) lines.push("failing tests:", ...failures);
  const passed = [...tiers.values()].reduce((sum, c) => sum + c.passed, 0);
  const failed = [...tiers.values()].reduce((sum, c) => sum + c.failed, 0);
  lines.push(`tests: ${passed} passed, ${failed} failed`, "");
  yield lines.join("\n");
}
