// What the charm logs of a failed command's output (a migration, gunicorn --check-config). The cause is
// usually near the top (the first error: `permission denied for schema public`) and the outcome at the
// bottom (the traceback's last frame, the exit), so both ends are kept and only the middle is cut.
// This excerpt goes to the log, where lines are cheap; a status line gets `logTail` (src/paas/status.ts).

const ERROR_LINE = /\b(error|fatal|exception|denied|refused|failed|failure|not found|no such|cannot|traceback)\b/i;

/**
 * The first `errorLines` lines that look like errors, then the last `tailLines` lines, in their original
 * order, with a marker where lines were left out. Output short enough is kept whole.
 */
export function commandOutputExcerpt(output: string, options: { errorLines?: number; tailLines?: number } = {}): string {
  const errorLines = options.errorLines ?? 5;
  const tailLines = options.tailLines ?? 10;
  const lines = output.replace(/\s+$/, "").split("\n");
  if (lines.length <= errorLines + tailLines) return lines.join("\n");
  const tailStart = lines.length - tailLines;
  const kept = new Set<number>();
  for (let i = 0; i < tailStart && kept.size < errorLines; i++) if (ERROR_LINE.test(lines[i]!)) kept.add(i);
  for (let i = tailStart; i < lines.length; i++) kept.add(i);
  const excerpt: string[] = [];
  let previous = -1;
  for (const index of [...kept].sort((a, b) => a - b)) {
    if (index > previous + 1) excerpt.push(`[… ${index - previous - 1} lines left out …]`);
    excerpt.push(lines[index]!);
    previous = index;
  }
  return excerpt.join("\n");
}
