/**
 * The spec's sides and what each one means (docs/architecture.md, "Sides"). Matching is case-insensitive and
 * numeric forms may come as JSON numbers or strings.
 */
export type SideIntent = 'buy' | 'sell' | 'close' | 'sarbuy' | 'sarsell';

const SIDE_ALIASES: Readonly<Record<string, SideIntent>> = {
  buy: 'buy',
  long: 'buy',
  '1': 'buy',
  sell: 'sell',
  short: 'sell',
  '-1': 'sell',
  close: 'close',
  '0': 'close',
  sarbuy: 'sarbuy',
  '2': 'sarbuy',
  sarsell: 'sarsell',
  '-2': 'sarsell',
};

export const SIDE_VALUES = ['Buy', 'Sell', 'Close', 'Long', 'Short', 'Sarbuy', 'Sarsell', '2', '1', '0', '-1', '-2'] as const;

export function sideIntentOf(side: string | number): SideIntent | undefined {
  const key = typeof side === 'number' ? String(side) : side.trim().toLowerCase();
  return Object.hasOwn(SIDE_ALIASES, key) ? SIDE_ALIASES[key] : undefined;
}

/** Close needs no quantity: it closes whatever is open. */
export function needsQty(intent: SideIntent): boolean {
  return intent !== 'close';
}
