/** The p-th percentile (0 < p <= 100) by nearest rank: a value that was really measured. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length))) - 1] as number;
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}
