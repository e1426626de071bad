/**
 * Quantities travel as JS numbers (what ccxt takes) but are stored and shown as plain decimal text.
 * Twelve places is finer than any exchange's step, and clears the binary noise of sums like 0.1 + 0.2.
 */
const PLACES = 12;

export function roundAmount(value: number): number {
  return Number(value.toFixed(PLACES));
}

/**
 * The shortest decimal that is the same number (JS's own number-to-text), so 59000.1 reads "59000.1":
 * toFixed(12) would write out the double's binary expansion, "59000.099999999999". Small numbers,
 * which JS writes with an exponent (below 1e-6), are written out in full instead.
 */
export function formatAmount(value: number): string {
  const rounded = roundAmount(value);
  const shortest = String(rounded);
  const text = /e/i.test(shortest) ? trimZeros(rounded.toFixed(PLACES)) : shortest;
  return text === '-0' ? '0' : text;
}

function trimZeros(fixed: string): string {
  return fixed.includes('.') ? fixed.replace(/0+$/, '').replace(/\.$/, '') : fixed;
}

/** "+2", "-1", "0": how the UI and plans write a signed position. */
export function formatSigned(value: number): string {
  const text = formatAmount(value);
  return value > 0 ? `+${text}` : text;
}
