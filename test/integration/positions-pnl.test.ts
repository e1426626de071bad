// The account as the trader watches it, against the fake exchanges through real ccxt: positions and
// balances shown live after a fill with no position read by REST, PnL from fills with fees matching a
// hand-computed table (Binance's from its trade list, its orders carry no fee), and flatten closing every
// position and cancelling the open orders on the right account only, while paused.

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type AccountRef, defaultAccountOf } from '../../shared/account-names.js';
import type { EngineEvent } from '../../shared/engine-events.js';
import type { ExchangeName } from '../../shared/exchange-names.js';
import { startFakeExchange, type FakeExchange } from '../fake-exchange/index.js';
import { startTestEngine, type TestEngine } from '../support/engine.js';
import { eventually } from '../support/eventually.js';
import { untilEngineSees } from '../support/live-state.js';
import { type OrderCall, postSignedOrder } from '../support/signed-order.js';

const API_KEY = 'account-view-key-0123456789';
const SECRET = 'account-view-secret-abcdefghijklmnop';
const SUB2 = { apiKey: 'account-view-sub2-key-01234', secret: 'account-view-sub2-secret-abcdefgh' };

let engine: TestEngine;
let key: { apikey: string; secret: string };
let bybit: FakeExchange;
let binance: FakeExchange;
let bybitSub2: FakeExchange;
const events: EngineEvent[] = [];

const POSITIONS_READ: Record<'bybit' | 'binance', string> = { bybit: '/v5/position/list', binance: '/fapi/v3/positionRisk' };

beforeAll(async () => {
  engine = await startTestEngine({ orderWaitMs: 8_000, exchangeTimeoutMs: 3_000 });
  key = await engine.services.apiKeys.create({ label: 'bot', tradingview: false, strategies: [] });
  bybit = await startFakeExchange({ venue: 'bybit', apiKey: API_KEY, secret: SECRET, fees: 'standard' });
  binance = await startFakeExchange({ venue: 'binance', apiKey: API_KEY, secret: SECRET, fees: 'standard' });
  bybitSub2 = await startFakeExchange({ venue: 'bybit', ...SUB2, fees: 'standard' });
  await engine.services.exchanges.set(defaultAccountOf('bybit'), { apiKey: API_KEY, secret: SECRET }, bybit.url);
  await engine.services.exchanges.set(defaultAccountOf('binance'), { apiKey: API_KEY, secret: SECRET }, binance.url);
  await engine.services.exchanges.set({ exchange: 'bybit', account: 'sub2' }, SUB2, bybitSub2.url);
  // a strategy per test and exchange: each one's fills are its own (the fakes are reset between tests, outside apisify)
  for (const use of ['view', 'pnl', 'flat', 'stop']) {
    for (const exchange of ['bybit', 'binance'] as const) {
      engine.services.strategies.add({ name: `${use}_${exchange}`, mode: 'live', marketType: 'swap', maxQty: null, symbols: [], exchanges: [exchange], accounts: exchange === 'bybit' ? { bybit: ['default', 'sub2'] } : {} });
    }
  }
  engine.services.events.subscribe((event) => events.push(event));
});

afterAll(async () => {
  await engine?.stop();
  for (const fake of [bybit, binance, bybitSub2]) await fake?.close();
});

beforeEach(async () => {
  for (const fake of [bybit, binance, bybitSub2]) {
    for (const position of fake.positions()) fake.setPosition(position.symbol, 0, { kind: position.marketKind });
    fake.setBalance('USDT', 10_000);
    fake.setPrice('BTCUSDT', 60_000);
  }
  for (const exchange of ['bybit', 'binance'] as const) await untilEngineSees(engine, exchange, 'BTCUSDT', (position) => position.qty === 0);
  events.length = 0;
});

let lastTimestamp = 0;
function order(use: 'view' | 'pnl' | 'flat' | 'stop', exchange: ExchangeName, fields: Record<string, unknown>): Promise<OrderCall> {
  lastTimestamp = Math.max(Date.now(), lastTimestamp + 1);
  return postSignedOrder(engine.url, key, { strategy: `${use}_${exchange}`, exchange, order_type: 'Market', side: 'Buy', symbol: 'BTCUSDT', qty: 0.01, ...fields }, { timestamp: lastTimestamp });
}

const pushedPositions = (ref: AccountRef) => events.filter((event): event is Extract<EngineEvent, { type: 'positions' }> => event.type === 'positions' && event.exchange === ref.exchange && event.account === ref.account);
const pushedBalances = (ref: AccountRef) => events.filter((event): event is Extract<EngineEvent, { type: 'balances' }> => event.type === 'balances' && event.exchange === ref.exchange && event.account === ref.account);

describe.each(['bybit', 'binance'] as const)('%s: positions and balances', (exchange) => {
  const fake = () => (exchange === 'bybit' ? bybit : binance);
  const ref = defaultAccountOf(exchange);

  it('shows a fill live, by push, with no position read after the page’s first', async () => {
    const first = await engine.services.accountViews.positions();
    expect(first.accounts.find((account) => account.exchange === exchange && account.account === 'default')).toMatchObject({ state: 'ok' });
    expect(first.positions.filter((position) => position.exchange === exchange)).toEqual([]);
    const reads = fake().requests(POSITIONS_READ[exchange]).length;

    const call = await order('view', exchange, {});
    expect(call.body.order?.status, JSON.stringify(call.body)).toBe('filled');
    const pushed = await eventually(() => pushedPositions(ref).at(-1)?.positions, (positions) => positions?.some((position) => position.symbol === 'BTC/USDT:USDT') === true, 5_000);
    expect(pushed).toEqual([
      expect.objectContaining({ exchange, account: 'default', dryRun: false, symbol: 'BTC/USDT:USDT', side: 'long', size: '0.01', entryPrice: '60000', strategies: [{ strategy: `view_${exchange}`, qty: '0.01' }] }),
    ]);
    // the balance moved too: its push is read again and published
    const balances = await eventually(() => pushedBalances(ref).at(-1)?.balances, (rows) => rows !== undefined, 5_000);
    expect(balances?.find((row) => row.currency === 'USDT')).toMatchObject({ exchange, account: 'default', wallet: exchange === 'bybit' ? 'unified' : 'futures' });
    expect(fake().requests(POSITIONS_READ[exchange]).length).toBe(reads);
  });

  it('answers the balances of every wallet, the dry runs apart', async () => {
    const answer = await engine.services.accountViews.balances();
    const usdt = answer.balances.find((row) => row.exchange === exchange && row.account === 'default' && row.currency === 'USDT' && row.wallet !== 'spot');
    expect(Number(usdt?.total)).toBeCloseTo(10_000, 0);
    expect(answer.accounts.filter((account) => account.exchange === exchange).every((account) => account.state === 'ok')).toBe(true);
  });
});

describe.each([
  // taker fees: Bybit 0.055 %, Binance USDⓈ-M 0.05 %, on 600 and 610 USDT
  ['bybit', '0.6655', '9.3345'],
  ['binance', '0.605', '9.395'],
] as const)('%s: PnL from the fills', (exchange, fees, net) => {
  it(`buys 0.01 at 60 000, closes at 61 000: realized 10 USDT, fees ${fees}, one winning trade`, async () => {
    const fake = exchange === 'bybit' ? bybit : binance;
    const tradeReads = () => fake.requestCount(exchange === 'bybit' ? '/v5/execution/list' : '/fapi/v1/userTrades');
    const readsBefore = tradeReads();
    const buy = await order('pnl', exchange, {});
    expect(buy.body.order?.status).toBe('filled');
    await untilEngineSees(engine, exchange, 'BTCUSDT', (position) => position.qty === 0.01);
    fake.setPrice('BTCUSDT', 61_000);
    const close = await order('pnl', exchange, { side: 'Close', qty: undefined });
    expect(close.body.order?.status, JSON.stringify(close.body)).toBe('filled');
    // the fills are the exchange's trades (Binance's orders carry no fee), as the account's stream
    // pushed them: Bybit's execution topic, Binance's ORDER_TRADE_UPDATE. No trade list was read.
    const ids = [buy.body.order?.id, close.body.order?.id] as number[];
    const fills = await eventually(() => ids.flatMap((id) => engine.services.journal.fills.ofLeg(id, 1)), (kept) => kept.length === 2 && kept.every((fill) => fill.source === 'trade'), 8_000);
    expect(fills.map((fill) => fill.source)).toEqual(['trade', 'trade']);
    expect(tradeReads()).toBe(readsBefore);

    const pnl = (await engine.services.pnl.report({ strategy: `pnl_${exchange}` })).strategies[0];
    expect(pnl?.currencies).toEqual([{ currency: 'USDT', realized: { today: '10', days7: '10', days30: '10', all: '10' }, fees: { today: fees, days7: fees, days30: fees, all: fees }, net: { today: net, days7: net, days30: net, all: net } }]);
    expect(pnl?.trades).toBe(1);
    expect(pnl?.winRate).toBe(1);
    expect(pnl?.open).toEqual([]);
    // and the curve ends where the table does
    const [curve] = await engine.services.pnl.curves({ strategy: `pnl_${exchange}` });
    expect(curve?.points.at(-1)?.value).toBe(net);
  });
});

describe('binance: a stop-loss that triggers', () => {
  it('closes with the triggered order’s own trade: its price and its fee count in the PnL', async () => {
    const entry = await order('stop', 'binance', { stop_loss: 59_000 });
    expect(entry.body.order?.status).toBe('filled');
    const id = entry.body.order?.id as number;
    const stop = () => engine.services.journal.get(id)?.legs.find((leg) => leg.role === 'stop_loss');
    await eventually(stop, (leg) => leg?.status === 'open');
    // the algo order places a market order in the books when the price reaches its trigger
    binance.setPrice('BTCUSDT', 58_000);
    await eventually(stop, (leg) => leg?.status === 'filled', 8_000);
    const fills = await eventually(() => engine.services.journal.fills.ofLeg(id, stop()?.leg as number), (kept) => kept.length > 0 && kept.every((fill) => fill.source === 'trade'), 8_000);
    // taker 0.05 % of 580 USDT
    expect(fills.map((fill) => `${fill.amount} at ${fill.price}, fee ${fill.fee} ${fill.feeCurrency}`)).toEqual(['0.01 at 58000, fee 0.29 USDT']);
    const pnl = (await engine.services.pnl.report({ strategy: 'stop_binance' })).strategies[0];
    expect(pnl?.currencies).toEqual([{ currency: 'USDT', realized: { today: '-20', days7: '-20', days30: '-20', all: '-20' }, fees: { today: '0.59', days7: '0.59', days30: '0.59', all: '0.59' }, net: { today: '-20.59', days7: '-20.59', days30: '-20.59', all: '-20.59' } }]);
  });
});

describe('flatten', () => {
  it('closes every position and cancels the open orders of one account only, while paused', async () => {
    const sub2 = { account: 'sub2' };
    expect((await order('flat', 'bybit', {})).body.order?.status).toBe('filled');
    expect((await order('flat', 'bybit', { ...sub2 })).body.order?.status).toBe('filled');
    const resting = await order('flat', 'bybit', { order_type: 'Limit', price: 50_000 });
    const restingSub2 = await order('flat', 'bybit', { ...sub2, order_type: 'Limit', price: 50_000 });
    expect([resting.body.order?.status, restingSub2.body.order?.status]).toEqual(['open', 'open']);
    await untilEngineSees(engine, 'bybit', 'BTCUSDT', (position) => position.qty === 0.01);

    const answer = await engine.services.flatten.flatten({ exchange: 'bybit', account: 'default', pause: true });
    expect(engine.services.settings.get().paused).toBe(true);
    expect(answer.failures).toEqual([]);
    expect(answer.closes).toEqual([expect.objectContaining({ exchange: 'bybit', account: 'default', strategy: 'flat_bybit', symbol: 'BTC/USDT:USDT', status: 'filled', error: null })]);
    expect(answer.cancelled).toEqual([{ orderId: resting.body.order?.id, status: 'cancelled' }]);
    expect(bybit.positions().filter((position) => position.qty !== 0)).toEqual([]);
    expect(bybit.createdOrders().filter((created) => created.status === 'open')).toEqual([]);
    // the other account as it was
    expect(bybitSub2.positions()).toEqual([expect.objectContaining({ symbol: 'BTCUSDT', qty: 0.01 })]);
    expect(engine.services.journal.get(restingSub2.body.order?.id as number)?.status).toBe('open');
    // journaled as any order, as the user's own
    const close = engine.services.journal.get(answer.closes[0]?.orderId as number);
    expect(close).toMatchObject({ source: 'manual', memo: 'flatten', side: 'Close', account: 'default', strategy: 'flat_bybit' });

    // while paused an API order is still refused
    const refused = await order('flat', 'bybit', {});
    expect(refused.status).toBe(503);
    engine.services.setPaused(false);

    // all that is left, on every account
    const rest = await engine.services.flatten.flatten({});
    expect(rest.closes.map((item) => `${item.account}:${item.status}`)).toEqual(['sub2:filled']);
    expect(rest.cancelled.map((item) => item.orderId)).toEqual([restingSub2.body.order?.id]);
    expect(bybitSub2.positions().filter((position) => position.qty !== 0)).toEqual([]);
  });

  it('reduces a position two strategies built by each one’s share, so each one’s PnL closes exactly', async () => {
    const sub2 = { account: 'sub2' };
    expect((await order('flat', 'bybit', { ...sub2 })).body.order?.status).toBe('filled');
    expect((await order('pnl', 'bybit', { ...sub2, qty: 0.02 })).body.order?.status).toBe('filled');
    const answer = await engine.services.flatten.flatten({ exchange: 'bybit', account: 'sub2' });
    // the last to trade it first
    expect(answer.closes.map((item) => ({ strategy: item.strategy, status: item.status }))).toEqual([
      { strategy: 'pnl_bybit', status: 'filled' },
      { strategy: 'flat_bybit', status: 'filled' },
    ]);
    const sides = answer.closes.map((item) => engine.services.journal.get(item.orderId as number)).map((view) => `${view?.side} ${view?.qty} ${view?.legs[0]?.reduceOnly}`);
    expect(sides).toEqual(['Sell 0.02 true', 'Sell 0.01 true']);
    expect(bybitSub2.positions().filter((position) => position.qty !== 0)).toEqual([]);
    for (const name of ['pnl_bybit', 'flat_bybit']) {
      expect((await engine.services.pnl.report({ strategy: name })).strategies[0]?.open.filter((lot) => lot.account === 'sub2')).toEqual([]);
    }
  });

  it('leaves the stops of an account it could not read: nothing closed there, nothing cancelled', async () => {
    const entry = await order('flat', 'binance', { stop_loss: 59_000 });
    const id = entry.body.order?.id as number;
    const protective = () => engine.services.journal.get(id)?.legs.filter((leg) => leg.role !== 'entry') ?? [];
    await eventually(protective, (legs) => legs.length > 0 && legs.every((leg) => leg.status === 'open'));
    binance.failNext('server_error', { path: POSITIONS_READ.binance });
    const answer = await engine.services.flatten.flatten({ exchange: 'binance' });
    expect(answer.failures).toEqual([expect.objectContaining({ exchange: 'binance', account: 'default', symbol: null })]);
    expect(answer.closes).toEqual([]);
    expect(answer.cancelled).toEqual([]);
    expect(protective().map((leg) => leg.status)).toEqual(['open']);
    expect(binance.positions().find((position) => position.symbol === 'BTCUSDT')?.qty).toBe(0.01);
    // read again, it closes the position, and the stop goes with it
    const again = await engine.services.flatten.flatten({ exchange: 'binance' });
    expect(again.closes.map((close) => close.status)).toEqual(['filled']);
    expect((await eventually(protective, (legs) => legs.every((leg) => leg.status === 'cancelled'))).map((leg) => leg.status)).toEqual(['cancelled']);
  });

  it("flattens a strategy's own share only: a position it may trade but did not build stays open", async () => {
    if (!engine.services.strategies.find('symbols_bybit')) {
      engine.services.strategies.add({ name: 'symbols_bybit', mode: 'live', marketType: 'swap', maxQty: null, symbols: ['BTCUSDT'], exchanges: ['bybit'], accounts: {} });
    }
    expect((await order('pnl', 'bybit', {})).body.order?.status).toBe('filled');
    await untilEngineSees(engine, 'bybit', 'BTCUSDT', (position) => position.qty === 0.01);
    const answer = await engine.services.flatten.flatten({ strategy: 'symbols_bybit' });
    expect(answer.closes).toEqual([]);
    expect(bybit.positions()).toEqual([expect.objectContaining({ symbol: 'BTCUSDT', qty: 0.01 })]);
    const own = await engine.services.flatten.flatten({ strategy: 'pnl_bybit' });
    expect(own.closes.map((close) => `${close.strategy}:${close.status}`)).toEqual(['pnl_bybit:filled']);
  });

  it('refuses a scope it cannot place, naming the field', async () => {
    await expect(engine.services.flatten.flatten({ account: 'sub2' })).rejects.toMatchObject({ status: 400, code: 'missing_field', field: 'exchange' });
    await expect(engine.services.flatten.flatten({ strategy: 'nope' })).rejects.toMatchObject({ status: 404, code: 'unknown_strategy', field: 'strategy' });
    await expect(engine.services.flatten.flatten({ exchange: 'kraken' })).rejects.toMatchObject({ status: 400, field: 'exchange' });
  });
});
