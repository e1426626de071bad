import { defaultAccountOf } from '../../shared/account-names.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { postOrder, postSignedOrder, signatureFor, SPEC_EXAMPLE } from '../support/signed-order.js';
import { journalCount, startTestEngine, type TestEngine } from '../support/engine.js';

let engine: TestEngine;
let key: { apikey: string; secret: string };
let tvKey: { apikey: string; secret: string };

beforeAll(async () => {
  engine = await startTestEngine();
  key = await engine.services.apiKeys.create({ label: 'bot', tradingview: false, strategies: [] });
  tvKey = await engine.services.apiKeys.create({ label: 'tv', tradingview: true, strategies: [] });
  // No live price can be had: the account points at a closed local port (never the internet).
  await engine.services.exchanges.set(defaultAccountOf('bybit_testnet'), { apiKey: 'k', secret: 's' }, 'http://127.0.0.1:9');
});
afterAll(() => engine.stop());

const rejectedCount = () => (engine.services.db.prepare("SELECT count(*) AS n FROM signals WHERE outcome = 'refused'").get() as { n: number }).n;

describe('validation over HTTP: refused with a named field, nothing journaled', () => {
  const required = ['strategy', 'exchange', 'order_type', 'qty', 'side', 'symbol'] as const;
  it.each(required)('missing %s', async (field) => {
    const fields: Record<string, unknown> = { ...SPEC_EXAMPLE };
    delete fields[field];
    const before = journalCount(engine);
    const call = await postSignedOrder(engine.url, key, fields);
    expect(call.status).toBe(400);
    expect(call.body.error).toMatchObject({ code: 'missing_field', field });
    expect(journalCount(engine)).toBe(before);
  });

  it.each([
    ['qty', 'one'],
    ['qty', 0],
    ['qty', -2],
    ['price', 'cheap'],
    ['side', 'Up'],
    ['exchange', 'ftx'],
    ['order_type', 'Stop'],
    ['symbol', 42],
    ['strategy', ['a']],
    ['memo', { note: 1 }],
  ])('wrong type: %s = %j', async (field, value) => {
    const before = journalCount(engine);
    const call = await postSignedOrder(engine.url, key, { ...SPEC_EXAMPLE, [field]: value });
    expect(call.status).toBe(400);
    expect(call.body.error?.field).toBe(field);
    expect(call.body.error?.message).toMatch(new RegExp(`^${field}: expected`));
    expect(journalCount(engine)).toBe(before);
  });

  it('Limit without price', async () => {
    const { price: _price, ...fields } = SPEC_EXAMPLE;
    const call = await postSignedOrder(engine.url, key, { ...fields, order_type: 'Limit' });
    expect(call.status).toBe(400);
    expect(call.body.error).toMatchObject({ code: 'missing_field', field: 'price', message: 'price is required when order_type is Limit' });
  });

  it('keeps refusals in the signal log without the key or signature', async () => {
    const before = rejectedCount();
    await postSignedOrder(engine.url, key, { ...SPEC_EXAMPLE, qty: 'x' });
    expect(rejectedCount()).toBe(before + 1);
    const row = engine.services.db.prepare("SELECT * FROM signals WHERE outcome = 'refused' ORDER BY id DESC LIMIT 1").get() as Record<string, unknown>;
    expect(row['code']).toBe('invalid_field');
    expect(JSON.stringify(row)).not.toContain(key.apikey);
    expect(JSON.stringify(row)).not.toContain(key.secret);
  });
});

describe('side aliases reach the planner', () => {
  it.each([
    ['Buy', 'buy 1'],
    ['long', 'buy 1'],
    [1, 'buy 1'],
    ['Sell', 'sell 1'],
    ['SHORT', 'sell 1'],
    [-1, 'sell 1'],
  ])('%j plans %s', async (side, plan) => {
    const call = await postSignedOrder(engine.url, key, { ...SPEC_EXAMPLE, side, symbol: 'ALIASUSDT' });
    expect(call.status).toBe(200);
    expect(call.body.order?.['plan']).toBe(plan);
  });
});

describe('dry run keeps a position and follows the side semantics', () => {
  const order = (side: string | number, qty?: number) => postSignedOrder(engine.url, key, { ...SPEC_EXAMPLE, symbol: 'ETHUSDT', side, ...(qty === undefined ? { qty: undefined } : { qty }) });
  const position = () => engine.services.positions.get('test_strategy', 'bybit_testnet', 'ETHUSDT')?.qty ?? 0;

  it('Close when flat is skipped, not an error', async () => {
    const call = await order('Close');
    expect(call.status).toBe(200);
    expect(call.body.order).toMatchObject({ status: 'skipped', plan: 'Close: no open position' });
  });

  it('Buy, Sell, Sarbuy, Sarsell, Close walk the position', async () => {
    await order('Buy', 2);
    expect(position()).toBe(2);
    await order('Sell', 0.5);
    expect(position()).toBe(1.5);
    const sarsell = await order('Sarsell', 1);
    expect(sarsell.body.order?.['plan']).toBe('SAR: sell 2.5 to go from +1.5 to -1');
    expect(position()).toBe(-1);
    const already = await order(-2, 1);
    expect(already.body.order).toMatchObject({ status: 'skipped', plan: 'SAR: already at -1' });
    const sarbuy = await order(2, 3);
    expect(sarbuy.body.order?.['plan']).toBe('SAR: buy 4 to go from -1 to +3');
    expect(position()).toBe(3);
    const close = await order(0);
    expect(close.body.order?.['plan']).toBe('Close: sell 3 to go from +3 to 0');
    expect(close.body.order?.['orders']).toMatchObject([{ side: 'sell', amount: '3', reduce_only: true, status: 'filled' }]);
    expect(position()).toBe(0);
  });

  it('keeps one position per market whatever the spelling: a Close in one finds what a Buy in another opened', async () => {
    const spelt = (symbol: string, side: string, qty?: number) => postSignedOrder(engine.url, key, { ...SPEC_EXAMPLE, symbol, side, ...(qty === undefined ? { qty: undefined } : { qty }) });
    await spelt('SOL/USDT:USDT', 'Buy', 2);
    await spelt('solusdt', 'Buy', 1);
    await spelt('SOLUSDT.P', 'Sell', 0.5);
    expect(engine.services.positions.get('test_strategy', 'bybit_testnet', 'SOLUSDT')?.qty).toBe(2.5);
    const close = await spelt('SOL/USDT:USDT', 'Close');
    expect(close.body.order).toMatchObject({ plan: 'Close: sell 2.5 to go from +2.5 to 0', status: 'filled' });
    expect(engine.services.positions.get('test_strategy', 'bybit_testnet', 'SOLUSDT')?.qty ?? 0).toBe(0);
  });

  it('refuses a Market order with no price and no live price, before journaling', async () => {
    const before = journalCount(engine);
    const { price: _price, ...fields } = SPEC_EXAMPLE;
    const call = await postSignedOrder(engine.url, key, fields);
    expect(call.status).toBe(400);
    expect(call.body.error).toMatchObject({ code: 'price_required', field: 'price' });
    expect(journalCount(engine)).toBe(before);
  });

  it('keeps the memo and masks the key in the journaled request', async () => {
    const call = await postSignedOrder(engine.url, key, { ...SPEC_EXAMPLE, memo: 'keep me' });
    const view = engine.services.journal.get(call.body.order?.id as number);
    expect(view?.memo).toBe('keep me');
    expect(view?.request['sign']).toBeUndefined();
    expect(view?.request['apikey']).not.toBe(key.apikey);
    expect(String(view?.request['apikey'])).toContain('…');
  });
});

describe('order events', () => {
  it('carry each state as it was when it happened, read from the journal only for a watcher that looks', async () => {
    const seen: string[] = [];
    let events = 0;
    const stopLooking = engine.subscribe((event) => {
      if (event.type === 'order' && event.order.symbol === 'SOLUSDT') seen.push(event.order.status);
    });
    const read = vi.spyOn(engine.services.journal, 'get');
    try {
      const looked = await postSignedOrder(engine.url, key, { ...SPEC_EXAMPLE, symbol: 'SOLUSDT', side: 'Buy', qty: 1 });
      expect(looked.body.order?.status).toBe('filled');
      expect(seen).toEqual(['received', 'submitted', 'filled']);
      // Reads of this order only: earlier orders' trades are read in the background meanwhile.
      const readsOf = (id: unknown) => read.mock.calls.filter(([orderId]) => orderId === id).length;
      const readsWhileLooking = readsOf(looked.body.order?.id);
      stopLooking();
      read.mockClear();

      // Only watchers that count events, like the tray's: the two intermediate views are never built.
      const stopCounting = engine.subscribe((event) => void (event.type === 'order' && (events += 1)));
      try {
        const counted = await postSignedOrder(engine.url, key, { ...SPEC_EXAMPLE, symbol: 'SOLUSDT', side: 'Sell', qty: 1 });
        expect(counted.body.order?.status).toBe('filled');
        expect(events).toBe(3);
        expect(readsOf(counted.body.order?.id)).toBe(readsWhileLooking - 2);
      } finally {
        stopCounting();
      }
    } finally {
      read.mockRestore();
    }
  });
});

describe('strategy rules and key scope', () => {
  it('refuses unknown and disabled strategies, and strategies outside a key scope', async () => {
    expect((await postSignedOrder(engine.url, key, { ...SPEC_EXAMPLE, strategy: 'nope' })).body.error).toMatchObject({ code: 'unknown_strategy', field: 'strategy' });
    engine.services.strategies.add({ name: 'off', mode: 'dry-run', marketType: 'swap', maxQty: null, symbols: [], exchanges: [], enabled: false });
    const disabled = await postSignedOrder(engine.url, key, { ...SPEC_EXAMPLE, strategy: 'off' });
    expect(disabled.status).toBe(403);
    expect(disabled.body.error?.code).toBe('strategy_disabled');

    const scoped = await engine.services.apiKeys.create({ label: 'scoped', tradingview: false, strategies: ['other'] });
    const outside = await postSignedOrder(engine.url, scoped, SPEC_EXAMPLE);
    expect(outside.status).toBe(403);
    expect(outside.body.error?.code).toBe('strategy_not_allowed');
  });

  it('enforces max qty, symbols and exchanges of a strategy', async () => {
    engine.services.strategies.add({ name: 'tight', mode: 'dry-run', marketType: 'swap', maxQty: 2, symbols: ['BTCUSDT'], exchanges: ['bybit'], enabled: true });
    const base = { ...SPEC_EXAMPLE, strategy: 'tight', exchange: 'bybit', symbol: 'BTCUSDT.P' };
    expect((await postSignedOrder(engine.url, key, base)).status).toBe(200);
    expect((await postSignedOrder(engine.url, key, { ...base, qty: 3 })).body.error?.code).toBe('qty_above_limit');
    expect((await postSignedOrder(engine.url, key, { ...base, symbol: 'ETHUSDT' })).body.error?.code).toBe('symbol_not_allowed');
    expect((await postSignedOrder(engine.url, key, { ...base, exchange: 'binance' })).body.error?.code).toBe('exchange_not_allowed');
  });

  it("never caps a Close: it sends the whole position, whatever qty it carries", async () => {
    engine.services.strategies.add({ name: 'capped', mode: 'dry-run', marketType: 'swap', maxQty: 1, symbols: [], exchanges: [], enabled: true });
    const base = { ...SPEC_EXAMPLE, strategy: 'capped', symbol: 'ADAUSDT' };
    await postSignedOrder(engine.url, key, base);
    await postSignedOrder(engine.url, key, base);
    // An exit alert that sends the position's size, over the cap.
    const close = await postSignedOrder(engine.url, key, { ...base, side: 'Close', qty: 2 });
    expect(close.status, JSON.stringify(close.body)).toBe(200);
    expect(close.body.order).toMatchObject({ plan: 'Close: sell 2 to go from +2 to 0', status: 'filled' });
  });

  it('refuses a live strategy on an exchange without credentials, journaling nothing', async () => {
    engine.services.strategies.add({ name: 'real', mode: 'live', marketType: 'swap', maxQty: null, symbols: [], exchanges: [], enabled: true });
    const before = journalCount(engine);
    const call = await postSignedOrder(engine.url, key, { ...SPEC_EXAMPLE, strategy: 'real', exchange: 'binance' });
    expect(call.status).toBe(400);
    expect(call.body.error).toMatchObject({ code: 'exchange_not_configured', field: 'exchange' });
    // An account whose exchange cannot be reached fails closed too: 502, nothing journaled.
    const unreachable = await postSignedOrder(engine.url, key, { ...SPEC_EXAMPLE, strategy: 'real' });
    expect(unreachable.status).toBe(502);
    expect(unreachable.body.error?.code).toBe('exchange_unavailable');
    expect(journalCount(engine)).toBe(before);
  });
});

describe('transport rules', () => {
  it('takes text/plain JSON from a TradingView key, not from a signing key', async () => {
    const url = `${engine.url}/v1/order`;
    const tv = await postOrder(url, JSON.stringify({ ...SPEC_EXAMPLE, apikey: tvKey.apikey, memo: 'as text' }), { 'Content-Type': 'text/plain; charset=utf-8' });
    expect(tv.status).toBe(200);
    const timestamp = Date.now();
    const { signatureFor } = await import('../support/signed-order.js');
    const signed = await postOrder(url, JSON.stringify({ ...SPEC_EXAMPLE, apikey: key.apikey, timestamp, sign: signatureFor(key.secret, timestamp, url) }), { 'Content-Type': 'text/plain' });
    expect(signed.status).toBe(415);
  });

  it('answers a TradingView resend of the same body as a duplicate, sending nothing again', async () => {
    const url = `${engine.url}/v1/order`;
    const body = { ...SPEC_EXAMPLE, apikey: tvKey.apikey, memo: 'resend me', symbol: 'DUPUSDT' };
    const first = await postOrder(url, body);
    const before = journalCount(engine);
    const again = await postOrder(url, body);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ ok: true, duplicate: true, order: { id: first.body.order?.id } });
    expect(journalCount(engine)).toBe(before);
    expect(engine.services.positions.get('test_strategy', 'bybit_testnet', 'DUPUSDT')?.qty).toBe(1);
    // Paused since: the resend still gets the first order's answer, not a 503 TradingView would resend.
    engine.setPaused(true);
    try {
      const duringPause = await postOrder(url, body);
      expect(duringPause.status).toBe(200);
      expect(duringPause.body).toMatchObject({ ok: true, duplicate: true, order: { id: first.body.order?.id } });
      expect((await postOrder(url, { ...body, memo: 'a new alert' })).status).toBe(503);
    } finally {
      engine.setPaused(false);
    }
  });

  it.each(['/v1/order/', '/V1/ORDER'])('takes an order posted to %s as to /v1/order (the router matches any case and a trailing slash)', async (path) => {
    const url = `${engine.url}${path}`;
    const timestamp = Date.now();
    // Signed over the endpoint's own URL, which is what the server checks.
    const signed = await postOrder(url, { ...SPEC_EXAMPLE, apikey: key.apikey, timestamp, sign: signatureFor(key.secret, timestamp, `${engine.url}/v1/order`) });
    expect(signed.status, JSON.stringify(signed.body)).toBe(200);
    expect(signed.body.order?.status).toBe('filled');
    const tradingView = await postOrder(url, JSON.stringify({ ...SPEC_EXAMPLE, memo: `alert to ${path}`, apikey: tvKey.apikey }), { 'Content-Type': 'text/plain' });
    expect(tradingView.status, JSON.stringify(tradingView.body)).toBe(200);
    const junk = await postOrder(url, '{"strategy": ', {});
    expect(junk.status).toBe(400);
    expect(junk.body.error?.code).toBe('invalid_json');
  });

  it('refuses bodies over 16 KiB with 413', async () => {
    const call = await postSignedOrder(engine.url, key, { ...SPEC_EXAMPLE, memo: 'x'.repeat(17 * 1024) });
    expect(call.status).toBe(413);
    expect(call.body.error?.code).toBe('body_too_large');
  });

  it('refuses other content types and invalid JSON', async () => {
    const url = `${engine.url}/v1/order`;
    expect((await postOrder(url, 'strategy=x', { 'Content-Type': 'application/x-www-form-urlencoded' })).status).toBe(415);
    const broken = await postOrder(url, '{"strategy": ', {});
    expect(broken.status).toBe(400);
    expect(broken.body.error?.code).toBe('invalid_json');
  });

  it('refuses a Host that is not ours (DNS rebinding) and methods other than POST', async () => {
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${engine.url}/v1/order`, { method: 'POST', headers: { Host: 'evil.example:80', 'Content-Type': 'application/json' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end(JSON.stringify(SPEC_EXAMPLE));
    });
    expect(status).toBe(403);
    const get = await fetch(`${engine.url}/v1/order`);
    expect(get.status).toBe(405);
    expect(get.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers 503 while trading is paused, and journals nothing', async () => {
    engine.setPaused(true);
    try {
      const before = journalCount(engine);
      const call = await postSignedOrder(engine.url, key, SPEC_EXAMPLE);
      expect(call.status).toBe(503);
      expect(call.body.error?.code).toBe('trading_paused');
      expect(journalCount(engine)).toBe(before);
    } finally {
      engine.setPaused(false);
    }
  });
});
