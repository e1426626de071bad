import { describe, expect, it } from 'vitest';
import { parseOrderFields } from '../../shared/order-request.js';
import { checkManualOrder, EMPTY_MANUAL_ORDER, fieldNeeds, formFieldOf, type ManualOrderForm, manualOrderBody } from '../../renderer/src/state/manual-order.js';

const form = (changes: Partial<ManualOrderForm>): ManualOrderForm => ({ ...EMPTY_MANUAL_ORDER, strategy: 'alpha', symbol: 'BTCUSDT', qty: '1', ...changes });

describe('the manual order form', () => {
  it('sends the API fields, numbers as numbers, empty optional fields left out', () => {
    expect(manualOrderBody(form({ price: '65000.5', memo: '' }))).toEqual({ strategy: 'alpha', exchange: 'bybit', order_type: 'Market', side: 'Buy', symbol: 'BTCUSDT', qty: 1, price: 65000.5 });
    // Text that would not survive as a number goes as typed, for the schema to judge.
    expect(manualOrderBody(form({ qty: '0.10' })).qty).toBe('0.10');
    expect(manualOrderBody(form({ qty: 'abc' })).qty).toBe('abc');
    // Close closes the whole position: the (disabled) qty field is not sent.
    expect(manualOrderBody(form({ side: 'Close', qty: '3' }))).not.toHaveProperty('qty');
  });

  it('validates with the server schema itself, so both agree on every input', () => {
    const cases: Partial<ManualOrderForm>[] = [
      {},
      { qty: '' },
      { qty: '-1' },
      { qty: 'abc' },
      { order_type: 'Limit' },
      { order_type: 'Limit', price: '10' },
      { side: 'Close', qty: '' },
      { exchange: 'kraken' },
      { symbol: 'BTC USDT' },
      { strategy: '' },
      { side: 'Sarsell' },
      { qty: '', target_position: '-1' },
      { qty: '150', qty_unit: 'equity_percent' },
      { qty: '20000', qty_unit: 'equity_percent' },
      { side: 'Close', qty: '101', qty_unit: 'position_percent' },
      { stop_loss: '1', stop_loss_input: 'percent', take_profit: '2', take_profit_input: 'percent' },
      { side: 'Close', take_profit: '70000' },
      { reduce_only: true, stop_loss: '50000' },
      { target_position: '0', stop_loss: '50000' },
      { signal_time: '1764582960', max_lag: '10' },
    ];
    for (const changes of cases) {
      const check = checkManualOrder(form(changes));
      expect(check.ok).toBe(parseOrderFields(check.body).ok);
    }
  });

  it('puts each problem on its field with the API message', () => {
    const check = checkManualOrder(form({ qty: '', order_type: 'Limit' }));
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.errors.price).toBe('price is required when order_type is Limit');
    expect(check.errors.qty).toBe('qty is required for side Buy');
    const bad = checkManualOrder(form({ exchange: 'kraken' }));
    expect(!bad.ok && bad.errors.exchange).toMatch(/^exchange: expected one of bybit, bybit_testnet, binance, binance_testnet/);
  });

  it('knows which fields a side, type and unit need', () => {
    expect(fieldNeeds({ side: 'Close', order_type: 'Market', qty_unit: '' }, { dryRun: false })).toEqual({ qty: false, price: 'optional', derivatives: true });
    expect(fieldNeeds({ side: 'Buy', order_type: 'Market', qty_unit: '' }, { dryRun: true })).toEqual({ qty: true, price: 'recommended', derivatives: true });
    expect(fieldNeeds({ side: 'Sarsell', order_type: 'Limit', qty_unit: '' }, { dryRun: false, marketType: 'spot' })).toEqual({ qty: true, price: 'required', derivatives: false });
    // A Close of a share of the position takes its qty, in the form's unit or the strategy's.
    expect(fieldNeeds({ side: 'Close', order_type: 'Market', qty_unit: 'position_percent' }, { dryRun: false }).qty).toBe(true);
    expect(fieldNeeds({ side: '0', order_type: 'Market', qty_unit: '' }, { dryRun: false, qtyUnit: 'position_percent' }).qty).toBe(true);
  });
});

describe("the manual order form's shaping fields", () => {
  it('sends each as the API names it, the protection as a price or a percent', () => {
    const shaped = form({ qty: '10', qty_unit: 'equity_percent', leverage: '5', stop_loss: '2', stop_loss_input: 'percent', take_profit: '70000', take_profit_input: 'price', signal_time: '2026-12-01T09:56:00Z', max_lag: '30' });
    expect(manualOrderBody(shaped)).toEqual({
      strategy: 'alpha',
      exchange: 'bybit',
      order_type: 'Market',
      side: 'Buy',
      symbol: 'BTCUSDT',
      qty: 10,
      qty_unit: 'equity_percent',
      leverage: 5,
      stop_loss_percent: 2,
      take_profit: 70000,
      signal_time: '2026-12-01T09:56:00Z',
      max_lag: 30,
    });
    expect(manualOrderBody(form({ side: 'Sell', target_position: '-0.5', reduce_only: false }))).toMatchObject({ target_position: -0.5 });
    expect(manualOrderBody(form({ side: 'Sell', reduce_only: true }))).toMatchObject({ reduce_only: true });
    expect(manualOrderBody(form({ reduce_only: false }))).not.toHaveProperty('reduce_only');
    expect(manualOrderBody(form({ signal_time: '1764582960000' })).signal_time).toBe(1764582960000);
  });

  it("sends a Close's qty only when it is a share of the position", () => {
    expect(manualOrderBody(form({ side: 'Close', qty: '50', qty_unit: 'position_percent' }))).toMatchObject({ qty: 50, qty_unit: 'position_percent' });
    expect(manualOrderBody(form({ side: 'Close', qty: '50' }), 'position_percent')).toMatchObject({ qty: 50 });
    expect(manualOrderBody(form({ side: 'Close', qty: '50' }), 'equity_percent')).not.toHaveProperty('qty');
  });

  it('never drops a stop typed in: a Close carrying one is refused by the schema, on the field', () => {
    const check = checkManualOrder(form({ side: 'Close', qty: '', stop_loss: '3', stop_loss_input: 'percent' }));
    expect(check).toMatchObject({ ok: false, body: { stop_loss_percent: 3 }, first: { code: 'protection_not_allowed', field: 'stop_loss_percent' } });
    if (!check.ok) expect(check.errors.stop_loss).toMatch(/^stop_loss_percent: a Close only shrinks the position/);
  });

  it.each([
    [{ qty_unit: 'position_percent' }, 'qty_unit', 'invalid_field'],
    [{ qty: '', target_position: '0.5', side: 'Close' }, 'target_position', 'conflicting_fields'],
    [{ max_lag: '30' }, 'signal_time', 'missing_field'],
    [{ signal_time: 'yesterday' }, 'signal_time', 'invalid_field'],
    [{ max_lag: '0', signal_time: '2026-12-01T09:56:00Z' }, 'max_lag', 'invalid_field'],
    [{ leverage: '-3' }, 'leverage', 'invalid_field'],
    [{ take_profit: 'high', take_profit_input: 'percent' }, 'take_profit', 'invalid_field'],
    [{ side: 'Sarbuy', reduce_only: true }, 'reduce_only', 'invalid_field'],
  ] as const)('refuses %j as the server does, on the %s input', (changes, input, code) => {
    const check = checkManualOrder(form(changes));
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.first.code).toBe(code);
    expect(check.errors[input]).toBe(check.first.message);
    expect(parseOrderFields(check.body).ok).toBe(false);
  });

  it('maps an API field to the input it is typed in', () => {
    const typed = form({});
    expect(formFieldOf('stop_loss_percent', typed)).toBe('stop_loss');
    expect(formFieldOf('take_profit_percent', typed)).toBe('take_profit');
    expect(formFieldOf('qty', typed)).toBe('qty');
    expect(formFieldOf('apikey', typed)).toBeNull();
    expect(formFieldOf(null, typed)).toBeNull();
  });
});

