// Number helpers. The fake keeps amounts as JS numbers and only formats them for the wire,
// so every formatter rounds to a fixed number of decimals first to hide float noise.

/** Decimals of a step written as a string: '0.001' -> 3, '1' -> 0. */
export function decimalsOf(step: string): number {
  const dot = step.indexOf('.');
  if (dot < 0) return 0;
  return step.length - dot - 1;
}

/** Rounds to `decimals` places, dropping float noise (0.1 + 0.2 -> 0.3). */
export function roundTo(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

/** Largest multiple of `step` not above `value`. */
export function floorToStep(value: number, step: string): number {
  const decimals = decimalsOf(step);
  const stepNumber = Number(step);
  // the epsilon keeps 0.3 / 0.1 = 2.9999999 from losing a step
  return roundTo(Math.floor(value / stepNumber + 1e-9) * stepNumber, decimals);
}

/** True when `value` is a whole number of steps. */
export function isMultipleOf(value: number, step: string): boolean {
  const steps = value / Number(step);
  return Math.abs(steps - Math.round(steps)) < 1e-7;
}

/** Wire format of an amount: plain decimal notation, no trailing zeros, '0' for zero. */
export function fmt(value: number, decimals = 8): string {
  const fixed = roundTo(value, decimals).toFixed(decimals);
  const trimmed = fixed.includes('.') ? fixed.replace(/0+$/, '').replace(/\.$/, '') : fixed;
  return trimmed === '-0' ? '0' : trimmed;
}

/** Wire format with exactly `decimals` places, the way exchanges print prices and sizes. */
export function fixed(value: number, decimals: number): string {
  return roundTo(value, decimals).toFixed(decimals);
}

/** Parses a decimal parameter; undefined for absent, empty or non-numeric input. */
export function parseDecimal(raw: unknown): number | undefined {
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : undefined;
  if (typeof raw !== 'string' || raw.trim() === '') return undefined;
  const value = Number(raw);
  return Number.isFinite(value) ? value : undefined;
}
