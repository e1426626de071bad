import { describe, expect, it } from 'vitest';
import { parseOrderFields } from '../../shared/order-request.js';
import { checkManualOrder, EMPTY_MANUAL_ORDER, fieldNeeds, type ManualOrderForm, manualOrderBody } from '../../renderer/src/state/manual-order.js';
import { previewOrder, type StrategyFacts } from '../../renderer/src/state/order-preview.js';

const form = (changes: Partial<ManualOrderForm>): ManualOrderForm => ({ ...EMPTY_MANUAL_ORDER, strategy: 'alpha', symbol: 'BTCUSDT', qty: '1', ...changes });
const dry: StrategyFacts = { mode: 'dry-run', marketType: 'swap', enabled: true, maxQty: null, exchanges: [], symbols: [] };
const live: StrategyFacts = { ...dry, mode: 'live' };

function fieldsOf(changes: Partial<ManualOrderForm>) {
  const check = checkManualOrder(form(changes));
  if (!check.ok) throw new Error(check.first.message);
  return check.fields;
}

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

describe('the order preview', () => {
  it('says exactly what Buy and Sell send', () => {
    expect(previewOrder(fieldsOf({}), live).headline).toBe('buy 1 BTCUSDT at market');
    expect(previewOrder(fieldsOf({ side: 'Sell', qty: '0.25', order_type: 'Limit', price: '70000' }), live).headline).toBe('sell 0.25 BTCUSDT at limit 70000');
    expect(previewOrder(fieldsOf({ side: 'long' }), live).headline).toBe('buy 1 BTCUSDT at market');
  });

  it('explains that Close and SAR depend on the position, with examples', () => {
    const close = previewOrder(fieldsOf({ side: 'Close', qty: '' }), live);
    expect(close.headline).toBe('close the whole BTCUSDT position at market');
    expect(close.dependsOnPosition).toBe(true);
    expect(close.details.join(' ')).toMatch(/flat → nothing is sent/);
    const sar = previewOrder(fieldsOf({ side: 'Sarbuy', qty: '2' }), live);
    expect(sar.headline).toBe('stop and reverse to +2 BTCUSDT at market');
    expect(sar.details.join(' ')).toContain('from -2 → buy 4');
    expect(previewOrder(fieldsOf({ side: 'Close', qty: '' }), { ...dry, marketType: 'spot' }).headline).toBe('sell the free balance of BTCUSDT at market');
    expect(previewOrder(fieldsOf({ side: 'Sarsell' }), { ...dry, marketType: 'spot' }).warnings.join(' ')).toMatch(/spot/);
  });

  it('marks live and dry-run, and warns of what the engine will refuse', () => {
    expect(previewOrder(fieldsOf({}), live).details).toContain('LIVE: a real order is sent to bybit.');
    const dryRun = previewOrder(fieldsOf({ price: '65000' }), dry);
    expect(dryRun.mode).toBe('dry-run');
    expect(dryRun.details).toContain('DRY-RUN: simulated at 65000; nothing reaches bybit.');
    expect(previewOrder(fieldsOf({}), dry).warnings.join(' ')).toMatch(/needs? .*price|price you give/);
    const limited = previewOrder(fieldsOf({ qty: '5' }), { ...live, enabled: false, maxQty: 2, exchanges: ['binance'], symbols: ['ETHUSDT'] });
    expect(limited.warnings).toHaveLength(4);
    expect(previewOrder(fieldsOf({}), null).mode).toBe('unknown');
  });
});
