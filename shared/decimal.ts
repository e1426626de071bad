/**
 * Quantities travel as JS numbers (what ccxt takes) but are stored and shown as plain decimal text.
 * Twelve places is finer than any exchange's step, and clears the binary noise of sums like 0.1 + 0.2.
 */
const PLACES = 12;

export function roundAmount(value: number): number {
  return Number(value.toFixed(PLACES));
}

export function formatAmount(value: number): string {
  const fixed = roundAmount(value).toFixed(PLACES);
  const trimmed = fixed.includes('.') ? fixed.replace(/0+$/, '').replace(/\.$/, '') : fixed;
  return trimmed === '-0' ? '0' : trimmed;
}

/** "+2", "-1", "0": how the UI and plans write a signed position. */
export function formatSigned(value: number): string {
  const text = formatAmount(value);
  return value > 0 ? `+${text}` : text;
}
