// Every bench figure is a spread over runs: shared machines are noisy, so one number would mislead.
export interface Spread {
  min: number;
  median: number;
  max: number;
}

export function spread(values: number[]): Spread {
  if (values.length === 0) throw new Error("no samples to summarize");
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { min: sorted[0]!, median, max: sorted.at(-1)! };
}

/** `min/median/max`, with `digits` decimals; one number when all three are equal. */
export function formatSpread(s: Spread, digits = 1): string {
  const f = (n: number) => n.toFixed(digits);
  return s.min === s.max ? f(s.min) : `${f(s.min)}/${f(s.median)}/${f(s.max)}`;
}
