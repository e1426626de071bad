import { formatAmount, formatSigned, roundAmount } from '../../../shared/decimal.js';
import type { SideIntent } from '../../../shared/sides.js';
import { ApiError } from '../http/api-error.js';

/**
 * Side semantics (docs/architecture.md "The rules the code keeps"): turns a request and the current
 * position into 0 or 1 orders. Pure, so every case is tested without an exchange.
 */
export interface PlannedLeg {
  side: 'buy' | 'sell';
  amount: number;
  reduceOnly: boolean;
}

export type Plan = { legs: PlannedLeg[]; description: string } | { legs: []; description: string; skipped: true };

export interface PlanInput {
  intent: SideIntent;
  /** The order's size (Buy, Sell), its target's size (SAR), or how much of the position a Close closes; null: the whole position (Close). */
  qty: number | null;
  /** Signed position on a derivative; the free base balance on spot. */
  position: number;
  marketType: 'spot' | 'swap';
  /** A signed position to reach instead of the side's own meaning (target_position); absent: none. */
  target?: number | null;
  /** Buy or Sell may only shrink the position (reduce_only). */
  reduceOnly?: boolean;
  /** The market's step: a difference smaller than this to a target is already there. */
  step?: number | null;
}

/** Stop and reverse needs a position that can go short: refused on spot, before anything is journaled or asked of the exchange. */
export function refuseSarOnSpot(intent: SideIntent, marketType: 'spot' | 'swap'): void {
  if ((intent === 'sarbuy' || intent === 'sarsell') && marketType === 'spot') {
    throw new ApiError(400, 'sar_not_supported', 'side: stop and reverse (Sarbuy/Sarsell) needs a derivatives market; this strategy trades spot', 'side');
  }
}

export function planOrder(input: PlanInput): Plan {
  const { intent, qty, position, marketType } = input;
  const held = roundAmount(position);
  if (input.target !== undefined && input.target !== null) return planTarget(held, roundAmount(input.target), marketType, input.step ?? null);
  switch (intent) {
    case 'buy':
    case 'sell': {
      const amount = requireQty(qty);
      if (input.reduceOnly) return planReduceOnly(intent, amount, held);
      return { legs: [{ side: intent, amount, reduceOnly: false }], description: `${intent} ${formatAmount(amount)}` };
    }
    case 'close':
      if (marketType === 'spot') {
        if (held <= 0) return skip('Close: nothing to sell (no free base balance)');
        const amount = qty === null ? held : Math.min(qty, held);
        return { legs: [{ side: 'sell', amount, reduceOnly: false }], description: amount === held ? `Close: sell the free balance of ${formatAmount(held)}` : `Close: sell ${formatAmount(amount)} of the free balance of ${formatAmount(held)}` };
      }
      if (held === 0) return skip('Close: no open position');
      return closeBy(held, qty === null ? Math.abs(held) : Math.min(qty, Math.abs(held)), 'Close');
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

/** `amount` of the position `held` closed by one reduce-only order. */
function closeBy(held: number, amount: number, what: string): Plan {
  const side = held > 0 ? 'sell' : 'buy';
  const after = roundAmount(held > 0 ? held - amount : held + amount);
  return { legs: [{ side, amount, reduceOnly: true }], description: `${what}: ${side} ${formatAmount(amount)} to go from ${formatSigned(held)} to ${formatSigned(after)}` };
}

/** One order of target minus current: reduce-only when it only shrinks the position, a single order when it crosses zero. */
function planTarget(held: number, target: number, marketType: 'spot' | 'swap', step: number | null): Plan {
  if (marketType === 'spot' && target < 0) {
    throw new ApiError(400, 'invalid_field', `target_position: a spot market holds no short position, so ${formatSigned(target)} cannot be reached; expected 0 or more`, 'target_position');
  }
  const delta = roundAmount(target - held);
  if (delta === 0 || (step !== null && Math.abs(delta) < step)) return skip(`Target: already at ${formatSigned(held)} (target ${formatSigned(target)})`);
  const side = delta > 0 ? 'buy' : 'sell';
  const shrinks = marketType !== 'spot' && held !== 0 && Math.sign(target) !== -Math.sign(held) && Math.abs(target) < Math.abs(held);
  return {
    legs: [{ side, amount: Math.abs(delta), reduceOnly: shrinks }],
    description: `Target: ${side} ${formatAmount(Math.abs(delta))} to go from ${formatSigned(held)} to ${formatSigned(target)}`,
  };
}

/** A Buy or Sell that may only shrink the position: nothing to do when there is nothing on the other side. */
function planReduceOnly(side: 'buy' | 'sell', amount: number, held: number): Plan {
  const reducible = side === 'buy' ? -held : held;
  if (reducible <= 0) return skip(`${side} reduce-only: no ${side === 'buy' ? 'short' : 'long'} position to reduce`);
  return closeBy(held, Math.min(amount, reducible), `${side} reduce-only`);
}

function requireQty(qty: number | null): number {
  if (qty === null) throw new ApiError(400, 'missing_field', 'qty is required for this side', 'qty');
  return qty;
}

function skip(description: string): Plan {
  return { legs: [], description, skipped: true };
}
