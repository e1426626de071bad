import { describe, expect, it } from 'vitest';
import { NO_SHAPING } from '../../shared/order-shaping-fields.js';
import { parseOrderFields, parseOrderRequest } from '../../shared/order-request.js';

const valid = {
  strategy: 'test_strategy',
  exchange: 'bybit_testnet',
  order_type: 'Market',
  qty: 1,
  side: 'Buy',
  symbol: 'BTCUSD',
  price: 10000,
  memo: 'memo',
  apikey: 'ak_123',
  timestamp: 1649027013445,
  sign: 'a'.repeat(64),
};

function errorOf(body: unknown) {
  const result = parseOrderRequest(body);
  if (result.ok) throw new Error('expected a rejection');
  return result.error;
}

describe('order request schema', () => {
  it('accepts the spec example and normalises it', () => {
    const result = parseOrderRequest(valid);
    expect(result).toEqual({
      ok: true,
      value: {
        // no shaping field sent: each is null, and the order means exactly what the spec says
        fields: { strategy: 'test_strategy', exchange: 'bybit_testnet', account: null, orderType: 'market', qty: 1, side: 'Buy', intent: 'buy', symbol: 'BTCUSD', price: 10000, memo: 'memo', ...NO_SHAPING },
        credentials: { apikey: 'ak_123', timestamp: 1649027013445, sign: 'a'.repeat(64) },
      },
    });
  });

  it.each(['strategy', 'exchange', 'order_type', 'qty', 'side', 'symbol', 'apikey'])('names the missing required field %s', (field) => {
    const body: Record<string, unknown> = { ...valid };
    delete body[field];
    const error = errorOf(body);
    expect(error.code).toBe('missing_field');
    expect(error.field).toBe(field);
    expect(error.message).toMatch(new RegExp(`^${field} is required`));
  });

  it.each([
    ['strategy', 42, /strategy: expected a string, got 42/],
    ['strategy', '', /strategy: expected a non-empty string/],
    ['exchange', 'kraken', /exchange: expected one of bybit, bybit_testnet, binance, binance_testnet, got "kraken"/],
    ['exchange', 1, /exchange: expected one of/],
    ['order_type', 'Stop', /order_type: expected Market or Limit, got "Stop"/],
    ['qty', 'abc', /qty: expected a number greater than 0 .*got "abc"/],
    ['qty', 0, /qty: expected a number greater than 0, got 0/],
    ['qty', -1, /qty: expected a number greater than 0, got -1/],
    ['qty', '1e3', /qty: expected a number greater than 0/],
    ['qty', true, /qty: expected a number greater than 0, got true/],
    ['qty', [1], /got an array/],
    ['qty', 1e20, /qty: expected a number no larger than/],
    ['price', '-5', /price: expected a number greater than 0/],
    ['price', {}, /price: expected a number greater than 0, got an object/],
    ['side', 'Hold', /side: expected one of Buy, Sell, Close, Long, Short, Sarbuy, Sarsell, 2, 1, 0, -1, -2, got "Hold"/],
    ['side', 3, /side: expected one of/],
    ['side', 1.5, /side: expected one of/],
    ['symbol', 'BTC USDT', /symbol: expected a symbol/],
    ['symbol', null, /symbol: expected a string, got null/],
    ['timestamp', 'yesterday', /timestamp: expected Unix time in milliseconds/],
    ['timestamp', 1.5, /timestamp: expected Unix time in milliseconds/],
    ['sign', 'xyz', /sign: expected the 64-character hex HMAC-SHA256 signature/],
    ['memo', 5, /memo: expected a string, got 5/],
    ['apikey', 12, /apikey: expected a string/],
  ])('refuses %s = %j with a message naming it', (field, value, message) => {
    const error = errorOf({ ...valid, [field]: value });
    expect(error.field).toBe(field);
    expect(error.code).toBe('invalid_field');
    expect(error.message).toMatch(message);
  });

  it.each([
    ['Buy', 'buy'], ['buy', 'buy'], ['LONG', 'buy'], [1, 'buy'], ['1', 'buy'],
    ['Sell', 'sell'], ['short', 'sell'], [-1, 'sell'], ['-1', 'sell'],
    ['Close', 'close'], [0, 'close'], ['0', 'close'],
    ['Sarbuy', 'sarbuy'], ['SARBUY', 'sarbuy'], [2, 'sarbuy'], ['2', 'sarbuy'],
    ['Sarsell', 'sarsell'], [-2, 'sarsell'], ['-2', 'sarsell'],
  ])('reads side %j as %s', (side, intent) => {
    const result = parseOrderRequest({ ...valid, side });
    expect(result.ok && result.value.fields.intent).toBe(intent);
  });

  it('takes numbers as numeric strings', () => {
    const result = parseOrderRequest({ ...valid, qty: '0.01', price: '10000.5', timestamp: '1649027013445' });
    expect(result.ok && result.value.fields.qty).toBe(0.01);
    expect(result.ok && result.value.fields.price).toBe(10000.5);
    expect(result.ok && result.value.credentials.timestamp).toBe(1649027013445);
  });

  it('requires price for Limit orders, not for Market', () => {
    const { price: _price, ...noPrice } = valid;
    const error = errorOf({ ...noPrice, order_type: 'Limit' });
    expect(error).toEqual({ code: 'missing_field', field: 'price', message: 'price is required when order_type is Limit' });
    expect(parseOrderRequest({ ...noPrice, order_type: 'market' }).ok).toBe(true);
  });

  it('lets Close go without qty, but no other side', () => {
    const { qty: _qty, ...noQty } = valid;
    expect(parseOrderRequest({ ...noQty, side: 'Close' }).ok).toBe(true);
    expect(errorOf({ ...noQty, side: 'Sarsell' })).toMatchObject({ code: 'missing_field', field: 'qty' });
  });

  it('takes a qty of "nothing" (0, "0", null, "") on a Close, and a price of nothing on a Market order, as absent', () => {
    for (const nothing of [0, '0', '0.00', null, '']) {
      const close = parseOrderRequest({ ...valid, side: 'Close', qty: nothing });
      expect(close.ok && close.value.fields.qty).toBeNull();
      const numericClose = parseOrderRequest({ ...valid, side: 0, qty: nothing });
      expect(numericClose.ok && numericClose.value.fields).toMatchObject({ intent: 'close', qty: null });
      const market = parseOrderRequest({ ...valid, price: nothing });
      expect(market.ok && market.value.fields.price).toBeNull();
    }
  });

  it('still refuses "nothing" where the order uses the field: qty on Buy and SAR, price on Limit', () => {
    expect(errorOf({ ...valid, qty: 0 })).toEqual({ code: 'invalid_field', field: 'qty', message: 'qty: expected a number greater than 0, got 0' });
    expect(errorOf({ ...valid, side: 'Sarbuy', qty: '0' })).toMatchObject({ code: 'invalid_field', field: 'qty' });
    expect(errorOf({ ...valid, side: 'Buy', qty: null })).toMatchObject({ field: 'qty' });
    expect(errorOf({ ...valid, order_type: 'Limit', price: 0 })).toMatchObject({ code: 'invalid_field', field: 'price' });
    // A Close with a real qty keeps it checked (a negative qty is not "nothing").
    expect(errorOf({ ...valid, side: 'Close', qty: -1 })).toMatchObject({ code: 'invalid_field', field: 'qty' });
  });

  it('refuses unknown fields, including __proto__ smuggled in through JSON', () => {
    // leverage is a field of its own (order shaping); a misspelt one is not silently ignored
    expect(errorOf({ ...valid, leverge: 10 })).toMatchObject({ code: 'unknown_field', field: 'leverge' });
    expect(errorOf(JSON.parse(`{"__proto__": {"admin": true}, ${JSON.stringify(valid).slice(1)}`))).toMatchObject({ code: 'unknown_field', field: '__proto__' });
  });

  it('quotes an unknown field at 64 characters at most, and at most five of them', () => {
    const long = 'x'.repeat(10_000);
    const error = errorOf({ ...valid, [long]: 1 });
    expect(error).toMatchObject({ code: 'unknown_field', field: `${'x'.repeat(64)}… (10000 characters)` });
    expect(error.message.length).toBeLessThan(200);
    const many = errorOf({ ...valid, a1: 1, a2: 1, a3: 1, a4: 1, a5: 1, a6: 1, a7: 1 });
    expect(many.message).toBe('unknown field "a1", "a2", "a3", "a4", "a5" and 2 more: expected only the fields of the order API');
  });

  it('refuses bodies that are not objects', () => {
    for (const body of [null, [valid], 'text', 5]) expect(errorOf(body).code).toBe('invalid_body');
  });

  it('lets TradingView omit timestamp and sign at the schema level (authentication decides)', () => {
    const { timestamp: _t, sign: _s, ...unsigned } = valid;
    const result = parseOrderRequest(unsigned);
    expect(result.ok && result.value.credentials).toEqual({ apikey: 'ak_123', timestamp: null, sign: null });
  });

  it('the manual form schema refuses credentials it has no use for', () => {
    const { apikey: _a, timestamp: _t, sign: _s, ...fields } = valid;
    expect(parseOrderFields(fields).ok).toBe(true);
    const result = parseOrderFields({ ...fields, apikey: 'x' });
    expect(!result.ok && result.error.code).toBe('unknown_field');
  });

  it('takes an optional account (one of the exchange\'s named accounts), blank as none', () => {
    const accountOf = (account: unknown) => {
      const result = parseOrderRequest({ ...valid, account });
      return result.ok ? result.value.fields.account : result.error;
    };
    expect(accountOf('main')).toBe('main');
    expect(accountOf(' sub-2.a ')).toBe('sub-2.a');
    expect(accountOf('')).toBeNull();
    expect(accountOf(null)).toBeNull();
    for (const wrong of ['two words', 'x'.repeat(33), '-dash', 7, ['main']]) {
      expect(accountOf(wrong)).toMatchObject({ code: 'invalid_field', field: 'account', message: expect.stringMatching(/^account: expected an account name/) });
    }
  });
});

