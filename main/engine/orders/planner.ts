import { formatAmount, formatSigned, roundAmount } from '../../../shared/decimal.js';
import type { SideIntent } from '../../../shared/sides.js';
import { ApiError } from '../http/api-error.js';

/**
 * Side semantics (docs/architecture.md, "Sides"): turns a request and the current position into 0 or 1 orders.
 * Pure, so every case is tested without an exchange.
 */
export interface PlannedLeg {
  side: 'buy' | 'sell';
  amount: number;
  reduceOnly: boolean;
}

export type Plan = { legs: PlannedLeg[]; description: string } | { legs: []; description: string; skipped: true };

export interface PlanInput {
  intent: SideIntent;
  /** null only for Close. */
  qty: number | null;
  /** Signed position on a derivative; the free base balance on spot. */
  position: number;
  marketType: 'spot' | 'swap';
}

/** Stop and reverse needs a position that can go short: refused on spot, before anything is journaled or asked of the exchange. */
export function refuseSarOnSpot(intent: SideIntent, marketType: 'spot' | 'swap'): void {
  if ((intent === 'sarbuy' || intent === 'sarsell') && marketType === 'spot') {
    throw new ApiError(400, 'sar_not_supported', 'side: stop and reverse (Sarbuy/Sarsell) needs a derivatives market; this strategy trades spot', 'side');
  }
}

export function planOrder({ intent, qty, position, marketType }: PlanInput): Plan {
  const held = roundAmount(position);
  switch (intent) {
    case 'buy':
    case 'sell': {
      const amount = requireQty(qty);
      return { legs: [{ side: intent, amount, reduceOnly: false }], description: `${intent} ${formatAmount(amount)}` };
    }
    case 'close':
      if (marketType === 'spot') {
        if (held <= 0) return skip('Close: nothing to sell (no free base balance)');
        return { legs: [{ side: 'sell', amount: held, reduceOnly: false }], description: `Close: sell the free balance of ${formatAmount(held)}` };
      }
      if (held === 0) return skip('Close: no open position');
      return {
        legs: [{ side: held > 0 ? 'sell' : 'buy', amount: Math.abs(held), reduceOnly: true }],
        description: `Close: ${held > 0 ? 'sell' : 'buy'} ${formatAmount(Math.abs(held))} to go from ${formatSigned(held)} to 0`,
      };
    case 'sarbuy':
    case 'sarsell': {
      refuseSarOnSpot(intent, marketType);
      const size = requireQty(qty);
      const target = intent === 'sarbuy' ? size : -size;
      const delta = roundAmount(target - held);
      if (delta === 0) return skip(`SAR: already at ${formatSigned(target)}`);
      const side = delta > 0 ? 'buy' : 'sell';
      return {
        legs: [{ side, amount: Math.abs(delta), reduceOnly: false }],
        description: `SAR: ${side} ${formatAmount(Math.abs(delta))} to go from ${formatSigned(held)} to ${formatSigned(target)}`,
      };
    }
  }
}

function requireQty(qty: number | null): number {
  if (qty === null) throw new ApiError(400, 'missing_field', 'qty is required for this side', 'qty');
  return qty;
}

function skip(description: string): Plan {
  return { legs: [], description, skipped: true };
}
