import { describe, expect, it } from 'vitest';
import { parseOrderFields } from '../../shared/order-request.js';
import { NO_SHAPING, unusedShapingFields } from '../../shared/order-shaping-fields.js';

/**
 * shared/order-shaping-fields.ts: each optional shaping field's values, and each rule between the
 * fields and the side, by the code and the field its refusal names (README "Shaping an order").
 */
const order = { strategy: 'alpha', exchange: 'bybit', order_type: 'Market', side: 'Buy', symbol: 'BTCUSDT', qty: 1 };

function refusal(changes: Record<string, unknown>) {
  const parsed = parseOrderFields({ ...order, ...changes });
  if (parsed.ok) throw new Error(`accepted ${JSON.stringify(changes)}`);
  return parsed.error;
}

function fields(changes: Record<string, unknown>) {
  const parsed = parseOrderFields({ ...order, ...changes });
  if (!parsed.ok) throw new Error(`refused ${JSON.stringify(changes)}: ${parsed.error.message}`);
  return parsed.value;
}

describe('the rules between shaping fields', () => {
  it.each([
    ['a percent qty above 10000 %', { qty: 10_001, qty_unit: 'equity_percent' }, 'invalid_field', 'qty', /^qty: with qty_unit equity_percent it is a percent, expected at most 10000, got 10001$/],
    ['a percent target above 10000 % either way', { qty: undefined, target_position: -10_001, qty_unit: 'available_percent' }, 'invalid_field', 'target_position', /^target_position: with qty_unit available_percent it is a percent, expected at most 10000 either way, got -10001$/],
    ['a share of the position above 100 %', { side: 'Close', qty: 100.5, qty_unit: 'position_percent' }, 'invalid_field', 'qty', /^qty: with qty_unit position_percent it is a percent, expected at most 100, got 100.5$/],
    ['a stop-loss as a price and as a percent', { stop_loss: 50_000, stop_loss_percent: 2 }, 'conflicting_fields', 'stop_loss_percent', /not both$/],
    ['a take-profit as a price and as a percent', { take_profit: 70_000, take_profit_percent: 5 }, 'conflicting_fields', 'take_profit_percent', /not both$/],
    ['position_percent on a Buy', { qty_unit: 'position_percent' }, 'invalid_field', 'qty_unit', /goes with side Close only, not Buy$/],
    ['position_percent on a SAR', { side: 'Sarsell', qty_unit: 'position_percent' }, 'invalid_field', 'qty_unit', /not Sarsell$/],
    ['a Close with a target that is not flat', { side: 'Close', qty: undefined, target_position: 0.5 }, 'conflicting_fields', 'target_position', /^target_position: side Close closes the position, but target_position asks for 0.5/],
    ['side 0 with a short target', { side: '0', qty: undefined, target_position: -1 }, 'conflicting_fields', 'target_position', /side 0 closes the position/],
    ['a target sized as a share of the position', { side: 'Close', qty: undefined, target_position: 0, qty_unit: 'position_percent' }, 'invalid_field', 'qty_unit', /^qty_unit: position_percent cannot size a target position$/],
    ['a target that is also reduce-only', { target_position: 1, reduce_only: true }, 'invalid_field', 'reduce_only', /decides for itself whether it only shrinks the position/],
    ['a reduce-only SAR', { side: 'Sarbuy', reduce_only: true }, 'invalid_field', 'reduce_only', /Sarbuy\/Sarsell\) opens the other side/],
    ['a Close that is not reduce-only', { side: 'Close', qty: undefined, reduce_only: false }, 'invalid_field', 'reduce_only', /^reduce_only: a Close is always reduce-only$/],
    ['a stop-loss on a Close', { side: 'Close', qty: undefined, stop_loss: 50_000 }, 'protection_not_allowed', 'stop_loss', /^stop_loss: a Close only shrinks the position/],
    ['a take-profit percent on a Close', { side: 'Close', qty: undefined, take_profit_percent: 3 }, 'protection_not_allowed', 'take_profit_percent', /a Close only shrinks the position/],
    ['a stop-loss on a reduce-only Sell', { side: 'Sell', reduce_only: true, stop_loss_percent: 2 }, 'protection_not_allowed', 'stop_loss_percent', /a reduce-only order only shrinks the position/],
    ['a take-profit on a flat target', { target_position: 0, take_profit: 70_000 }, 'protection_not_allowed', 'take_profit', /target_position 0 closes the position/],
    ['max_lag without signal_time', { max_lag: 30 }, 'missing_field', 'signal_time', /^signal_time is required with max_lag/],
  ])('%s: %s on %s', (_name, changes, code, field, message) => {
    const error = refusal(changes);
    expect(error.code).toBe(code);
    expect(error.field).toBe(field);
    expect(error.message).toMatch(message);
  });

  it('names the first protection field a Close carries, in a fixed order', () => {
    expect(refusal({ side: 'Close', qty: undefined, take_profit: 70_000, stop_loss: 50_000 }).field).toBe('stop_loss');
    expect(refusal({ side: 'Close', qty: undefined, take_profit_percent: 5, stop_loss_percent: 2 }).field).toBe('stop_loss_percent');
    expect(refusal({ side: 'Close', qty: undefined, take_profit_percent: 5, take_profit: 70_000 }).code).toBe('conflicting_fields');
  });

  it('takes what the rules allow', () => {
    expect(fields({ qty: 10_000, qty_unit: 'equity_percent' })).toMatchObject({ qty: 10_000, qtyUnit: 'equity_percent' });
    expect(fields({ side: 'Close', qty: 100, qty_unit: 'position_percent' })).toMatchObject({ intent: 'close', qty: 100, qtyUnit: 'position_percent' });
    expect(fields({ side: 'Close', qty: undefined, target_position: 0 })).toMatchObject({ targetPosition: 0, qty: null });
    expect(fields({ side: 'Close', qty: undefined, reduce_only: true })).toMatchObject({ reduceOnly: true });
    // A target needs no qty; one sent is kept (journaled) but the target decides.
    expect(fields({ qty: undefined, target_position: -0.5 })).toMatchObject({ targetPosition: -0.5, qty: null });
    expect(fields({ side: 'Sell', target_position: 2 })).toMatchObject({ intent: 'sell', targetPosition: 2, qty: 1 });
    expect(fields({ stop_loss: 50_000, take_profit_percent: 5, leverage: 3 })).toMatchObject({ stopLoss: 50_000, takeProfitPercent: 5, leverage: 3 });
    expect(fields({ side: 'Sarsell', stop_loss_percent: 1.5 })).toMatchObject({ intent: 'sarsell', stopLossPercent: 1.5 });
    expect(fields({ signal_time: '2026-12-01T09:56:00Z' })).toMatchObject({ signalTime: Date.parse('2026-12-01T09:56:00Z'), maxLag: null });
  });
});

describe("each shaping field's values", () => {
  it.each([
    ['qty_unit', 'percent', /^qty_unit: expected one of base, quote, equity_percent, available_percent, risk_percent, position_percent, got "percent"$/],
    ['qty_unit', 5, /got 5$/],
    ['target_position', 'long', /^target_position: expected a number \(negative for short, 0 for flat\), got "long"$/],
    ['target_position', '1e3', /expected a number/],
    ['target_position', 2e15, /expected a number no larger than 1000000000000000 either way/],
    ['leverage', 1001, /^leverage: expected a number no larger than 1000, got 1001$/],
    ['leverage', -2, /^leverage: expected a number greater than 0, got -2$/],
    ['stop_loss', 'NaN', /^stop_loss: expected a number greater than 0/],
    ['take_profit', true, /^take_profit: expected a number greater than 0, got true$/],
    ['stop_loss_percent', 1000.5, /^stop_loss_percent: expected a number no larger than 1000/],
    ['take_profit_percent', [5], /got an array$/],
    ['signal_time', 1_764_582_960, /looks like seconds$/],
    ['signal_time', 'yesterday', /^signal_time: expected an ISO 8601 time such as 2026-12-01T09:56:00Z \(TradingView: \{\{timenow\}\}\) or Unix milliseconds, got "yesterday"$/],
    ['signal_time', -5, /got -5$/],
    ['signal_time', '2026-13-45T99:99', /got "2026-13-45T99:99"$/],
    ['reduce_only', 1, /^reduce_only: expected true or false, got 1$/],
    ['reduce_only', 'yes', /got "yes"$/],
  ])('refuses %s = %j, naming it', (field, value, message) => {
    const error = refusal({ [field]: value });
    expect(error).toMatchObject({ code: 'invalid_field', field });
    expect(error.message).toMatch(message);
  });

  it.each([
    [0, /^max_lag: expected a number greater than 0, got 0$/],
    [0.5, /^max_lag: expected seconds from 1 to 86400, got 0.5$/],
    [86_401, /^max_lag: expected a number no larger than 86400, got 86401$/],
    ['thirty', /^max_lag: expected a number greater than 0/],
  ])('refuses max_lag %j out of its range', (value, message) => {
    const error = refusal({ max_lag: value, signal_time: '2026-12-01T09:56:00Z' });
    expect(error).toMatchObject({ code: 'invalid_field', field: 'max_lag' });
    expect(error.message).toMatch(message);
  });

  it('reads units in any case, signed targets, times and booleans as text', () => {
    expect(fields({ qty_unit: ' Equity_Percent ' }).qtyUnit).toBe('equity_percent');
    expect(fields({ target_position: '+1.5' }).targetPosition).toBe(1.5);
    expect(fields({ target_position: '-0' }).targetPosition).toBe(0);
    expect(Object.is(fields({ target_position: -0 }).targetPosition, 0)).toBe(true);
    expect(fields({ signal_time: '1764582960000' }).signalTime).toBe(1_764_582_960_000);
    expect(fields({ signal_time: 1_764_582_960_000 }).signalTime).toBe(1_764_582_960_000);
    expect(fields({ signal_time: '2026-12-01T09:56:00.250+01:00' }).signalTime).toBe(Date.parse('2026-12-01T08:56:00.250Z'));
    expect(fields({ side: 'Sell', reduce_only: 'TRUE' }).reduceOnly).toBe(true);
    expect(fields({ reduce_only: 'false' }).reduceOnly).toBe(false);
    expect(fields({ max_lag: '86400', signal_time: '2026-12-01T09:56:00Z' }).maxLag).toBe(86_400);
  });

  it('takes "nothing" as absent where alert templates send it, but 0 as a flat target', () => {
    const blanks = { qty_unit: '', leverage: 0, stop_loss: null, take_profit: '0', stop_loss_percent: '', take_profit_percent: 0, signal_time: '', reduce_only: null, max_lag: '' };
    expect(fields(blanks)).toMatchObject(NO_SHAPING);
    expect(unusedShapingFields({ ...blanks, target_position: '' }).sort()).toEqual([...Object.keys(blanks), 'target_position'].sort());
    // 0 is a value for a target (flat) and for max_lag (refused above), false for reduce_only.
    expect(unusedShapingFields({ target_position: 0, max_lag: 0, reduce_only: false })).toEqual([]);
    expect(fields({ target_position: 0 }).targetPosition).toBe(0);
    // A blank max_lag needs no signal_time: it is not there.
    expect(fields({ max_lag: null }).maxLag).toBeNull();
  });

  it('refuses a misspelt shaping field rather than ignore it', () => {
    expect(refusal({ stopLoss: 50_000 })).toMatchObject({ code: 'unknown_field', field: 'stopLoss' });
    expect(refusal({ qtyUnit: 'quote' })).toMatchObject({ code: 'unknown_field', field: 'qtyUnit' });
    expect(refusal({ take_profit_pct: 5 })).toMatchObject({ code: 'unknown_field', field: 'take_profit_pct' });
  });
});
