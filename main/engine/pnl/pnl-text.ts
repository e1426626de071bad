import type { Decimal } from 'decimal.js';

/** A PnL amount as the API answers it: a decimal string, to 12 places. */
export const pnlText = (value: Decimal): string => value.toDecimalPlaces(12).toFixed();
