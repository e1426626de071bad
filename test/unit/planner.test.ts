import { describe, expect, it } from 'vitest';
import { planOrder } from '../../main/engine/orders/planner.js';
import { ApiError } from '../../main/engine/http/api-error.js';

describe('planOrder', () => {
  it.each([
    // intent, qty, position, legs (side amount reduceOnly) or skipped description
    ['buy', 1, 0, [['buy', 1, false]], 'buy 1'],
    ['sell', 0.25, 3, [['sell', 0.25, false]], 'sell 0.25'],
    ['close', null, 0, [], 'Close: no open position'],
    ['close', null, 2, [['sell', 2, true]], 'Close: sell 2 to go from +2 to 0'],
    ['close', 5, -1.5, [['buy', 1.5, true]], 'Close: buy 1.5 to go from -1.5 to 0'],
    ['sarbuy', 2, 0, [['buy', 2, false]], 'SAR: buy 2 to go from 0 to +2'],
    ['sarbuy', 2, -1, [['buy', 3, false]], 'SAR: buy 3 to go from -1 to +2'],
    ['sarbuy', 2, 5, [['sell', 3, false]], 'SAR: sell 3 to go from +5 to +2'],
    ['sarbuy', 2, 2, [], 'SAR: already at +2'],
    ['sarsell', 1, 0, [['sell', 1, false]], 'SAR: sell 1 to go from 0 to -1'],
    ['sarsell', 1, 0.3, [['sell', 1.3, false]], 'SAR: sell 1.3 to go from +0.3 to -1'],
    ['sarsell', 1, -1, [], 'SAR: already at -1'],
  ] as const)('%s qty=%s from %s', (intent, qty, position, legs, description) => {
    const plan = planOrder({ intent, qty, position, marketType: 'swap' });
    expect(plan.description).toBe(description);
    expect(plan.legs.map((leg) => [leg.side, leg.amount, leg.reduceOnly])).toEqual(legs);
    expect('skipped' in plan).toBe(legs.length === 0);
  });

  it('clears float noise: 0.1 + 0.2 held is 0.3, and SAR to 0.3 is already there', () => {
    expect(planOrder({ intent: 'sarbuy', qty: 0.3, position: 0.1 + 0.2, marketType: 'swap' }).description).toBe('SAR: already at +0.3');
  });

  it('on spot, Close sells the free base balance and SAR is refused', () => {
    expect(planOrder({ intent: 'close', qty: null, position: 0.5, marketType: 'spot' }).legs).toEqual([{ side: 'sell', amount: 0.5, reduceOnly: false }]);
    expect('skipped' in planOrder({ intent: 'close', qty: null, position: 0, marketType: 'spot' })).toBe(true);
    for (const intent of ['sarbuy', 'sarsell'] as const) {
      const refusal = expect(() => planOrder({ intent, qty: 1, position: 0, marketType: 'spot' }));
      refusal.toThrowError(ApiError);
      refusal.toThrow(expect.objectContaining({ status: 400, code: 'sar_not_supported', field: 'side' }));
    }
  });
});
