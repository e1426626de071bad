import { describe, expect, it } from 'vitest';
import { parseOrderFields } from '../../shared/order-request.js';
import { checkManualOrder, EMPTY_MANUAL_ORDER, fieldNeeds, type ManualOrderForm, manualOrderBody } from '../../renderer/src/state/manual-order.js';

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
    const cases: Partial<ManualOrderForm>[] = [{}, { qty: '' }, { qty: '-1' }, { qty: 'abc' }, { order_type: 'Limit' }, { order_type: 'Limit', price: '10' }, { side: 'Close', qty: '' }, { exchange: 'kraken' }, { symbol: 'BTC USDT' }, { strategy: '' }, { side: 'Sarsell' }];
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

  it('knows which fields a side and type need', () => {
    expect(fieldNeeds({ side: 'Close', order_type: 'Market' }, false)).toEqual({ qty: false, price: 'optional' });
    expect(fieldNeeds({ side: 'Buy', order_type: 'Market' }, true)).toEqual({ qty: true, price: 'recommended' });
    expect(fieldNeeds({ side: 'Sarsell', order_type: 'Limit' }, false)).toEqual({ qty: true, price: 'required' });
  });
});

