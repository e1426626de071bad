// Shaping and protecting orders against the fake exchanges, through POST /v1/order and real ccxt: sizing
// from a known balance and price sends the expected amount, leverage is set once and never before a
// Close, Bybit holds the stop-loss and take-profit on the create itself, Binance USDⓈ-M gets two
// reduce-only conditional orders after the fill (the other cancelled when one fills), a wrong-side stop
// reaches no exchange, a target position is reached from long, short and flat, and a late signal is not
// sent, also when it went late in its symbol's queue.

import { defaultAccountOf } from '../../shared/account-names.js';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ExchangeName } from '../../shared/exchange-names.js';
import type { StrategyInput } from '../../main/engine/store/strategies.js';
import { startFakeExchange, type FakeExchange } from '../fake-exchange/index.js';
import { journalCount, startTestEngine, type TestEngine } from '../support/engine.js';
import { eventually } from '../support/eventually.js';
import { untilEngineSees } from '../support/live-state.js';
import { type OrderCall, postSignedOrder } from '../support/signed-order.js';

const API_KEY = 'shaping-exchange-key-0123456789';
const SECRET = 'shaping-exchange-secret-abcdefghijklmnop';

let engine: TestEngine;
let key: { apikey: string; secret: string };
let bybit: FakeExchange;
let binance: FakeExchange;

const STRATEGY: StrategyInput = { name: 'shaped', mode: 'live', marketType: 'swap', maxQty: null, symbols: [], exchanges: [], maxLeverage: 20 };

beforeAll(async () => {
  engine = await startTestEngine({ orderWaitMs: 8_000, exchangeTimeoutMs: 3_000 });
  key = await engine.services.apiKeys.create({ label: 'bot', tradingview: false, strategies: [] });
  bybit = await startFakeExchange({ venue: 'bybit', apiKey: API_KEY, secret: SECRET });
  binance = await startFakeExchange({ venue: 'binance', apiKey: API_KEY, secret: SECRET });
  await engine.services.exchanges.set(defaultAccountOf('bybit'), { apiKey: API_KEY, secret: SECRET }, bybit.url);
  await engine.services.exchanges.set(defaultAccountOf('binance'), { apiKey: API_KEY, secret: SECRET }, binance.url);
  engine.services.strategies.add(STRATEGY);
});

afterAll(async () => {
  await engine?.stop();
  await bybit?.close();
  await binance?.close();
});

/** Every test starts from a known account: 10,000 USDT, flat, BTC at 60,000. */
beforeEach(async () => {
  for (const fake of [bybit, binance]) {
    for (const position of fake.positions()) fake.setPosition(position.symbol, 0, { kind: position.marketKind });
    fake.setBalance('USDT', 10_000);
    fake.setPrice('BTCUSDT', 60_000);
    fake.setPrice('ETHUSDT', 3_000);
  }
  for (const exchange of ['bybit', 'binance'] as const) {
    await untilEngineSees(engine, exchange, 'BTCUSDT', (position) => position.qty === 0);
    await untilEngineSees(engine, exchange, 'ETHUSDT', (position) => position.qty === 0);
  }
});

const fakeOf = (exchange: ExchangeName) => (exchange === 'bybit' ? bybit : binance);
let lastTimestamp = 0;
function order(fields: Record<string, unknown>): Promise<OrderCall> {
  lastTimestamp = Math.max(Date.now(), lastTimestamp + 1);
  return postSignedOrder(engine.url, key, { strategy: 'shaped', exchange: 'bybit', order_type: 'Market', side: 'Buy', symbol: 'BTCUSDT', ...fields }, { timestamp: lastTimestamp });
}

describe('a strategy\'s maxNotional caps what opens or grows a position, never what gets out of it', () => {
  beforeAll(() => {
    engine.services.strategies.add({ ...STRATEGY, name: 'capped', maxNotional: 1_000 });
    engine.services.strategies.add({ ...STRATEGY, name: 'capped_spot', marketType: 'spot', maxNotional: 1_000 });
  });

  it('swap: three Buys under the cap build 1 800 USDT; a plain Sell of it all goes out, one more Buy over the cap does not', async () => {
    for (let i = 0; i < 3; i++) expect((await order({ strategy: 'capped', qty: 0.01 })).body.order?.status).toBe('filled');
    await untilEngineSees(engine, 'bybit', 'BTCUSDT', (position) => position.qty === 0.03);
    expect((await order({ strategy: 'capped', qty: 0.02 })).body.error).toMatchObject({ code: 'notional_above_limit', field: 'qty' });
    const sold = await order({ strategy: 'capped', side: 'Sell', qty: 0.03 });
    expect(sold.body.order?.status, JSON.stringify(sold.body)).toBe('filled');
    expect(bybit.positions().find((position) => position.symbol === 'BTCUSDT')?.qty ?? 0).toBe(0);
  });

  it('spot: a Close sells the whole 3 000 USDT holding', async () => {
    bybit.setBalance('BTC', 0.05);
    const closed = await order({ strategy: 'capped_spot', side: 'Close' });
    expect(closed.body.order?.status, JSON.stringify(closed.body)).toBe('filled');
    expect(bybit.createdOrders().at(-1)).toMatchObject({ marketKind: 'spot', side: 'sell', qty: 0.05 });
  });

  it('a Close of a share of the position when flat is skipped, not refused', async () => {
    const call = await order({ strategy: 'capped', side: 'Close', qty: 50, qty_unit: 'position_percent' });
    expect(call.status, JSON.stringify(call.body)).toBe(200);
    expect(call.body.order?.status).toBe('skipped');
  });
});

describe("a Market order's minimum value is checked at the market's price, not at the price it carried", () => {
  // Binance USDⓈ-M BTCUSDT takes orders worth at least 100 USDT: 0.002 BTC is 120 at 60 000, 80 at 40 000, 90 at 45 000
  const tickerReads = () => binance.requests().filter((request) => request.path.includes('ticker')).length;

  /** What an order reads as the last price, once the engine has heard of `price` (pushed, a moment after setPrice). */
  async function untilLastPrice(price: number): Promise<void> {
    const venue = await engine.services.ccxt.venueFor(defaultAccountOf('binance'), 'swap');
    const market = await venue!.resolveMarket('BTCUSDT');
    const until = Date.now() + 6_000;
    while ((await venue!.lastPrice(market)) !== price && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 25));
  }

  // the next tests size at 60 000 as the engine knows it, not only as the fake has it
  afterEach(async () => {
    binance.setPrice('BTCUSDT', 60_000);
    await untilLastPrice(60_000);
  });

  it('an alert that saw 40 000 while the market is at 60 000 goes out, with no ticker read on its way', async () => {
    await untilLastPrice(60_000);
    const reads = tickerReads();
    const call = await order({ exchange: 'binance', qty: 0.002, price: 40_000 });
    expect(call.status, JSON.stringify(call.body)).toBe(200);
    expect(call.body.order?.status).toBe('filled');
    expect(binance.createdOrders().at(-1)).toMatchObject({ symbol: 'BTCUSDT', side: 'buy', qty: 0.002 });
    expect(tickerReads()).toBe(reads);
  });

  it('an alert that saw 60 000 while the market fell to 45 000 is refused by name before the journal, nothing sent', async () => {
    binance.setPrice('BTCUSDT', 45_000);
    await untilLastPrice(45_000);
    const journaled = journalCount(engine);
    const sent = binance.requestCount('/fapi/v1/order');
    const call = await order({ exchange: 'binance', qty: 0.002, price: 60_000 });
    expect(call.status, JSON.stringify(call.body)).toBe(422);
    expect(call.body.error).toMatchObject({ code: 'below_minimum', field: 'qty' });
    expect(call.body.error?.message).toMatch(/^qty: an order of 0\.002 at the last price 45000 is below BTC\/USDT:USDT's minimum order value of 100 USDT$/);
    expect(journalCount(engine)).toBe(journaled);
    expect(binance.requestCount('/fapi/v1/order')).toBe(sent);
  });
});

describe.each(['bybit', 'binance'] as const)('%s: sizing from the account', (exchange) => {
  it.each([
    // 600 USDT at 60 000 is 0.01 BTC
    ['quote', 600, 0.01],
    // 10 % of the 10 000 USDT of equity is 1 000 USDT: 0.01666 BTC, on the 0.001 step
    ['equity_percent', 10, 0.016],
    // 25 % of the free 10 000
    ['available_percent', 25, 0.041],
  ] as const)('qty_unit %s %s sends %s BTC, and the answer says how it came', async (unit, qty, amount) => {
    const call = await order({ exchange, qty, qty_unit: unit });
    expect(call.status, JSON.stringify(call.body)).toBe(200);
    expect(fakeOf(exchange).createdOrders().at(-1)).toMatchObject({ symbol: 'BTCUSDT', side: 'buy', qty: amount });
    expect(call.body.order?.['sizing']).toMatchObject({ unit, input: String(qty), reference_price: '60000', amount: String(amount) });
  });

  it('risk_percent: 1 % of equity lost at a stop 2 % below: 100 USDT over 1 200 per BTC is 0.083 BTC, with its stop on the exchange', async () => {
    const call = await order({ exchange, qty: 1, qty_unit: 'risk_percent', stop_loss_percent: 2 });
    expect(call.status, JSON.stringify(call.body)).toBe(200);
    expect(fakeOf(exchange).createdOrders().find((placed) => placed.clientOrderId === (call.body.order?.['orders'] as { client_order_id: string }[])[0]?.client_order_id)?.qty).toBe(0.083);
    expect(call.body.order?.['protection']).toMatchObject({ stop_loss: '58800' });
  });

  it('below the minimum: 422 naming the inputs and the minimum, nothing sent', async () => {
    fakeOf(exchange).setBalance('USDT', 50);
    const sent = fakeOf(exchange).createdOrders().length;
    const call = await order({ exchange, qty: 10, qty_unit: 'equity_percent' });
    expect(call.status).toBe(422);
    expect(call.body.error).toMatchObject({ code: 'below_minimum', field: 'qty' });
    expect(call.body.error?.message).toMatch(/10 % of equity 50 USDT at 60000 is 0\.0000833\d* BTC, below BTC\/USDT:USDT's minimum 0\.001/);
    expect(fakeOf(exchange).createdOrders().length).toBe(sent);
  });
});

describe.each(['bybit', 'binance'] as const)('%s spot: a Sell by a percent of the account sells a share of the coin held', (exchange) => {
  beforeAll(() => engine.services.strategies.add({ ...STRATEGY, name: `spot_${exchange}`, marketType: 'spot' }));

  it.each([
    // 0.05 BTC held and free beside 10 000 USDT: 40 % of the BTC, not 40 % of the USDT's worth (0.0667 BTC, more than is held)
    ['available_percent', 40, 0.02, 'free'],
    ['equity_percent', 40, 0.02, 'equity'],
  ] as const)('qty_unit %s %s sells %s BTC', async (unit, qty, amount, kind) => {
    fakeOf(exchange).setBalance('BTC', 0.05);
    const call = await order({ strategy: `spot_${exchange}`, exchange, side: 'Sell', qty, qty_unit: unit });
    expect(call.status, JSON.stringify(call.body)).toBe(200);
    expect(call.body.order?.status).toBe('filled');
    expect(fakeOf(exchange).createdOrders().at(-1)).toMatchObject({ marketKind: 'spot', side: 'sell', qty: amount });
    expect(call.body.order?.['sizing']).toMatchObject({ unit, input: String(qty), basis: { kind, value: '0.05', currency: 'BTC' }, amount: String(amount) });
  });
});

describe('a target sized from a basis the order itself changes is refused before the journal', () => {
  beforeAll(() => {
    engine.services.strategies.add({ ...STRATEGY, name: 'target_spot', marketType: 'spot' });
    engine.services.strategies.add({ ...STRATEGY, name: 'by_free', qtyUnit: 'available_percent' });
  });

  it.each([
    ['available_percent on a perpetual', { target_position: 50, qty_unit: 'available_percent' }, "qty_unit: a target_position in qty_unit available_percent counts from the free balance, which the order itself uses up, so the same alert sent again would trade again; send the target in base or quote, or equity_percent"],
    ["the strategy's available_percent", { strategy: 'by_free', target_position: -50 }, "qty_unit: a target_position in the strategy by_free's qty_unit available_percent counts from the free balance, which the order itself uses up, so the same alert sent again would trade again; send the target in base or quote, or equity_percent"],
    ['equity_percent on spot', { strategy: 'target_spot', target_position: 50, qty_unit: 'equity_percent' }, "qty_unit: a target_position in qty_unit equity_percent counts from the quote coin alone, which buying spends, so the same alert sent again would trade again; send the target in base or quote"],
  ] as const)('%s: 400 naming qty_unit, nothing journaled or sent', async (_name, fields, message) => {
    const journaled = journalCount(engine);
    const requests = bybit.requestCount();
    const call = await order(fields);
    expect(call.status, JSON.stringify(call.body)).toBe(400);
    expect(call.body.error).toMatchObject({ code: 'invalid_field', field: 'qty_unit', message });
    expect(journalCount(engine)).toBe(journaled);
    expect(bybit.requestCount()).toBe(requests);
  });

  it('a flat target needs no basis: sent', async () => {
    const call = await order({ target_position: 0, qty_unit: 'available_percent' });
    expect(call.status, JSON.stringify(call.body)).toBe(200);
  });
});

describe("a percent above 10 000 % is refused however the unit was chosen", () => {
  beforeAll(() => engine.services.strategies.add({ ...STRATEGY, name: 'by_equity', qtyUnit: 'equity_percent' }));

  it.each([
    ['qty', { qty: 20_000 }, /^qty: with the strategy's qty_unit equity_percent it is a percent, expected at most 10000, got 20000$/],
    ['target_position', { target_position: -20_000 }, /^target_position: with the strategy's qty_unit equity_percent it is a percent, expected at most 10000 either way, got -20000$/],
  ] as const)("the strategy's default unit: %s refused by name before the journal, nothing sent", async (field, fields, message) => {
    const journaled = journalCount(engine);
    const requests = bybit.requestCount();
    const call = await order({ strategy: 'by_equity', ...fields });
    expect(call.status, JSON.stringify(call.body)).toBe(400);
    expect(call.body.error).toMatchObject({ code: 'invalid_field', field });
    expect(call.body.error?.message).toMatch(message);
    expect(journalCount(engine)).toBe(journaled);
    expect(bybit.requestCount()).toBe(requests);
  });
});

describe.each(['bybit', 'binance'] as const)('%s: leverage', (exchange) => {
  const setLeverage = exchange === 'bybit' ? '/v5/position/set-leverage' : '/fapi/v1/leverage';

  it('is set before the order that opens a position, once, and never before a Close', async () => {
    const before = fakeOf(exchange).requestCount(setLeverage);
    await order({ exchange, qty: 0.01, leverage: 7 });
    expect(fakeOf(exchange).requestCount(setLeverage)).toBe(before + 1);
    expect(fakeOf(exchange).requests(setLeverage).at(-1)?.params).toMatchObject(exchange === 'bybit' ? { buyLeverage: '7', sellLeverage: '7' } : { leverage: '7' });
    // the same leverage again: not set again
    await order({ exchange, qty: 0.01, leverage: 7 });
    expect(fakeOf(exchange).requestCount(setLeverage)).toBe(before + 1);
    // a reducing order ignores a leverage field
    const close = await order({ exchange, side: 'Close', leverage: 9 });
    expect(close.body.order?.status).toBe('filled');
    expect(fakeOf(exchange).requestCount(setLeverage)).toBe(before + 1);
  });

  it('above the strategy\'s maxLeverage: 403 leverage_above_limit, before anything is journaled or sent', async () => {
    const journaled = journalCount(engine);
    const call = await order({ exchange, qty: 0.01, leverage: 25 });
    expect(call.status).toBe(403);
    expect(call.body.error).toMatchObject({ code: 'leverage_above_limit', field: 'leverage' });
    expect(journalCount(engine)).toBe(journaled);
  });
});

describe('protection held by the exchange', () => {
  it('Bybit: the stop-loss and take-profit go on the create itself, one request, on the tick', async () => {
    const creates = bybit.requestCount('/v5/order/create');
    const call = await order({ exchange: 'bybit', qty: 0.01, stop_loss_percent: 2, take_profit: 63_000.04 });
    expect(call.status, JSON.stringify(call.body)).toBe(200);
    expect(bybit.requestCount('/v5/order/create')).toBe(creates + 1);
    expect(bybit.requests('/v5/order/create').at(-1)?.params).toMatchObject({ stopLoss: '58800', takeProfit: '63000' });
    expect(call.body.order?.['protection']).toEqual({ stop_loss: '58800', take_profit: '63000', style: 'attached', reference_price: '60000' });
    expect(bybit.positions().find((position) => position.symbol === 'BTCUSDT')).toMatchObject({ qty: 0.01 });
  });

  it('Binance USDⓈ-M: two reduce-only conditional orders once the entry filled; when the stop fills, the target is cancelled', async () => {
    const call = await order({ exchange: 'binance', qty: 0.01, stop_loss: 59_000, take_profit_percent: 5 });
    expect(call.status, JSON.stringify(call.body)).toBe(200);
    const id = call.body.order?.id as number;
    const placed = await eventually(() => engine.services.journal.get(id)?.legs.filter((leg) => leg.role !== 'entry') ?? [], (legs) => legs.length === 2 && legs.every((leg) => leg.status === 'open'));
    expect(placed.map((leg) => [leg.role, leg.triggerPrice, leg.side, leg.reduceOnly, leg.amount])).toEqual([
      ['stop_loss', '59000', 'sell', true, '0.01'],
      ['take_profit', '63000', 'sell', true, '0.01'],
    ]);
    const algo = binance.requests('/fapi/v1/algoOrder').filter((request) => request.method === 'POST');
    expect(algo.slice(-2).map((request) => request.params['clientAlgoId'])).toEqual(placed.map((leg) => leg.clientOrderId));
    // the price falls through the stop
    binance.setPrice('BTCUSDT', 58_500);
    const settled = await eventually(() => engine.services.journal.get(id)?.legs.filter((leg) => leg.role !== 'entry') ?? [], (legs) => legs[0]?.status === 'filled' && legs[1]?.status === 'cancelled', 25_000);
    expect(settled.map((leg) => leg.status)).toEqual(['filled', 'cancelled']);
    expect(binance.positions().find((position) => position.symbol === 'BTCUSDT')?.qty ?? 0).toBe(0);
    // the order is still the entry's: filled
    expect(engine.services.journal.get(id)?.status).toBe('filled');
  });

  it('Binance USDⓈ-M: a Close cancels the protective orders of the position it ended', async () => {
    const entry = await order({ exchange: 'binance', qty: 0.01, stop_loss: 59_000, take_profit: 65_000 });
    const id = entry.body.order?.id as number;
    await eventually(() => engine.services.journal.get(id)?.legs.filter((leg) => leg.role !== 'entry' && leg.status === 'open').length, (open) => open === 2);
    const close = await order({ exchange: 'binance', side: 'Close' });
    expect(close.body.order?.status).toBe('filled');
    const legs = await eventually(() => engine.services.journal.get(id)?.legs.filter((leg) => leg.role !== 'entry') ?? [], (protective) => protective.every((leg) => leg.status === 'cancelled'));
    expect(legs.map((leg) => leg.status)).toEqual(['cancelled', 'cancelled']);
  });

  it.each(['bybit', 'binance'] as const)("%s: a wrong-side stop reaches no exchange and leaves no row", async (exchange) => {
    const journaled = journalCount(engine);
    const requests = fakeOf(exchange).requestCount();
    const call = await order({ exchange, qty: 0.01, stop_loss: 61_000 });
    expect(call.status).toBe(400);
    expect(call.body.error).toMatchObject({ code: 'protection_wrong_side', field: 'stop_loss' });
    expect(call.body.error?.message).toMatch(/a long's stop-loss must be below the reference price 60000, got 61000/);
    expect(journalCount(engine)).toBe(journaled);
    expect(fakeOf(exchange).requestCount()).toBe(requests);
  });

  it('protection on an order that only shrinks the position is refused by name', async () => {
    await order({ exchange: 'bybit', qty: 0.02 });
    await untilEngineSees(engine, 'bybit', 'BTCUSDT', (position) => position.qty === 0.02);
    const call = await order({ exchange: 'bybit', side: 'Sell', qty: 0.01, stop_loss: 61_000 });
    expect(call.status).toBe(400);
    expect(call.body.error).toMatchObject({ code: 'protection_not_allowed', field: 'stop_loss' });
  });
});

describe.each(['bybit', 'binance'] as const)('%s: target position', (exchange) => {
  it.each([
    // from, target, the order sent (side, amount, reduce-only), the position after
    ['flat', 0, 0.03, ['buy', 0.03, false], 0.03],
    ['long', 0.05, 0.02, ['sell', 0.03, true], 0.02],
    ['long, across zero', 0.02, -0.01, ['sell', 0.03, false], -0.01],
    ['short, to flat', -0.04, 0, ['buy', 0.04, true], 0],
    ['short, deeper', -0.01, -0.03, ['sell', 0.02, false], -0.03],
  ] as const)('from %s (%s) to %s', async (_name, from, target, [side, amount, reduceOnly], after) => {
    fakeOf(exchange).setPosition('BTCUSDT', from, { entryPrice: 60_000 });
    await untilEngineSees(engine, exchange, 'BTCUSDT', (position) => position.qty === from);
    const call = await order({ exchange, side: 'Buy', target_position: target });
    expect(call.status, JSON.stringify(call.body)).toBe(200);
    expect((call.body.order?.['orders'] as { side: string; amount: string; reduce_only: boolean }[]).map((leg) => [leg.side, Number(leg.amount), leg.reduce_only])).toEqual([[side, amount, reduceOnly]]);
    expect(fakeOf(exchange).positions().find((position) => position.symbol === 'BTCUSDT')?.qty ?? 0).toBeCloseTo(after, 9);
  });

  it('already at the target: skipped, nothing sent', async () => {
    fakeOf(exchange).setPosition('BTCUSDT', 0.02, { entryPrice: 60_000 });
    await untilEngineSees(engine, exchange, 'BTCUSDT', (position) => position.qty === 0.02);
    const sent = fakeOf(exchange).createdOrders().length;
    const call = await order({ exchange, side: 'Sell', target_position: 0.02 });
    expect(call.body.order).toMatchObject({ status: 'skipped' });
    expect(fakeOf(exchange).createdOrders().length).toBe(sent);
  });
});

describe.each(['bybit', 'binance'] as const)("%s: a target's size is refused naming target_position, the field it was sent in", (exchange) => {
  beforeAll(() => {
    engine.services.strategies.add({ ...STRATEGY, name: `target_max_${exchange}`, maxQty: 0.01 });
    engine.services.strategies.add({ ...STRATEGY, name: `target_worth_${exchange}`, maxNotional: 1_000 });
  });

  it.each([
    // 0.001 % of 10 000 USDT is 0.1 USDT: 0.0000016 BTC
    ['below the minimum as sized', { target_position: 0.001, qty_unit: 'equity_percent' }, 422, 'below_minimum', /^target_position: 0\.001 % of equity 10000 USDT at 60000 is 0\.00000166\d* BTC, below BTC\/USDT:USDT's minimum 0\.001$/],
    // a target in base units is refused before the journal (authorize.ts), already by name; this one is known once sized: 2 000 USDT is 0.033 BTC
    ["above the strategy's maxQty as sized", { strategy: `target_max_${exchange}`, target_position: -20, qty_unit: 'equity_percent' }, 403, 'qty_above_limit', /^target_position: strategy target_max_\w+ allows at most 0\.01 per order, and this one comes to 0\.033$/],
    ["above the strategy's maxNotional", { strategy: `target_worth_${exchange}`, target_position: 0.02 }, 403, 'notional_above_limit', /^target_position: strategy target_worth_\w+ allows orders worth at most 1000 USDT, and this one is worth 1200$/],
  ] as const)('%s', async (_name, fields, status, code, message) => {
    const sent = fakeOf(exchange).createdOrders().length;
    const call = await order({ exchange, ...fields });
    expect(call.status, JSON.stringify(call.body)).toBe(status);
    expect(call.body.error).toMatchObject({ code, field: 'target_position' });
    expect(call.body.error?.message).toMatch(message);
    expect(fakeOf(exchange).createdOrders().length).toBe(sent);
  });
});

it("Binance: a target whose order is worth less than the market's minimum value is refused naming target_position", async () => {
  const sent = binance.createdOrders().length;
  // 0.001 BTC at 60 000 is 60 USDT; USDⓈ-M's BTCUSDT takes 100 at least
  const call = await order({ exchange: 'binance', target_position: 0.001 });
  expect(call.status, JSON.stringify(call.body)).toBe(422);
  expect(call.body.error).toMatchObject({ code: 'below_minimum', field: 'target_position' });
  expect(call.body.error?.message).toMatch(/^target_position: the order from 0 to 0\.001: an order of 0\.001 at the last price 60000 is below BTC\/USDT:USDT's minimum order value of 100 USDT$/);
  expect(binance.createdOrders().length).toBe(sent);
});

describe('late signals', () => {
  it('a signal older than max_lag is journaled skipped (stale_signal), answered 200, nothing sent', async () => {
    const sent = bybit.createdOrders().length;
    const call = await order({ qty: 0.01, signal_time: new Date(Date.now() - 41_000).toISOString(), max_lag: 30 });
    expect(call.status).toBe(200);
    expect(call.body.order).toMatchObject({ status: 'skipped', error: { code: 'stale_signal' } });
    expect((call.body.order?.['error'] as { message: string }).message).toMatch(/^4[12] s old, max_lag 30 s: not sent$/);
    expect(bybit.createdOrders().length).toBe(sent);
  });

  it('a signal that goes stale while its symbol\'s queue is busy is not sent either', async () => {
    // the first order is held by the exchange for 2.5 s; the second, a Close (it plans from the position
    // the first leaves), waits behind it in the symbol's queue
    bybit.failNext('hold_before_accept', { path: '/v5/order/create', delayMs: 2_500 });
    const first = order({ qty: 0.01 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const sent = bybit.createdOrders().length;
    const second = await order({ side: 'Close', qty: 0.01, signal_time: Date.now(), max_lag: 1 });
    expect(second.body.order).toMatchObject({ status: 'skipped', error: { code: 'stale_signal' } });
    expect((await first).body.order?.status).toBe('filled');
    expect(bybit.createdOrders().length).toBe(sent + 1);
  });

  it('a signal_time more than 5 s ahead is refused, naming both clocks', async () => {
    const call = await order({ qty: 0.01, signal_time: Date.now() + 60_000 });
    expect(call.status).toBe(400);
    expect(call.body.error).toMatchObject({ code: 'invalid_field', field: 'signal_time' });
    expect(call.body.error?.message).toMatch(/ahead of apisify's clock/);
  });
});

describe('margin mode', () => {
  it("Bybit's unified account holds one for the whole account: a strategy wanting another is refused with 409, nothing sent", async () => {
    engine.services.strategies.add({ ...STRATEGY, name: 'isolated', marginMode: 'isolated' });
    const sent = bybit.createdOrders().length;
    const call = await postSignedOrder(engine.url, key, { strategy: 'isolated', exchange: 'bybit', order_type: 'Market', side: 'Buy', symbol: 'BTCUSDT', qty: 0.01 });
    expect(call.status).toBe(409);
    expect(call.body.error).toMatchObject({ code: 'margin_mode_mismatch' });
    expect(call.body.error?.message).toMatch(/whole account/);
    expect(bybit.createdOrders().length).toBe(sent);
  });

  it('Binance USDⓈ-M holds it per market: set once, then the order goes', async () => {
    const before = binance.requestCount('/fapi/v1/marginType');
    lastTimestamp = Math.max(Date.now(), lastTimestamp + 1);
    const call = await postSignedOrder(engine.url, key, { strategy: 'isolated', exchange: 'binance', order_type: 'Market', side: 'Buy', symbol: 'ETHUSDT', qty: 0.1 }, { timestamp: lastTimestamp });
    expect(call.status, JSON.stringify(call.body)).toBe(200);
    expect(binance.requestCount('/fapi/v1/marginType')).toBe(before + 1);
    expect(binance.requests('/fapi/v1/marginType').at(-1)?.params).toMatchObject({ symbol: 'ETHUSDT', marginType: 'ISOLATED' });
  });
});
