import { defaultAccountOf } from '../../shared/account-names.js';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DryRunAccountView } from '../../shared/api-types.js';
import type { OrderView } from '../../shared/order-view.js';
import type { StrategyInput } from '../../main/engine/store/strategies.js';
import { type FakeExchange, startFakeExchange } from '../fake-exchange/index.js';
import { journalCount, startTestEngine, type TestEngine } from '../support/engine.js';
import { eventually } from '../support/eventually.js';
import { postSignedOrder } from '../support/signed-order.js';

/**
 * The dry-run simulator behaving like the exchange, through POST /v1/order with dry-run strategies:
 * markets and prices from the fake exchanges' public API (an account's base URL points the public
 * instance there), or from the markets cache alone, or from nothing (offline). Each test trades a
 * market of its own (the fakes' extra perpetuals A1USDT...), so moving one price fills only its orders.
 */
const API_KEY = 'fake-exchange-key-0123456789';
const SECRET = 'fake-exchange-secret-abcdefghijklmnop';
// Nothing listens there: no test reaches the internet, and these exchanges cannot be read.
const CLOSED_PORT = 'http://127.0.0.1:9';

let engine: TestEngine;
let key: { apikey: string; secret: string };
let bybit: FakeExchange;
let binance: FakeExchange;

beforeAll(async () => {
  engine = await startTestEngine({ orderWaitMs: 5_000 });
  key = await engine.services.apiKeys.create({ label: 'bot', tradingview: false, strategies: [] });
  [bybit, binance] = await Promise.all([
    startFakeExchange({ venue: 'bybit', apiKey: API_KEY, secret: SECRET, extraMarkets: 10 }),
    startFakeExchange({ venue: 'binance', apiKey: API_KEY, secret: SECRET, extraMarkets: 3 }),
  ]);
  await engine.services.exchanges.set(defaultAccountOf('bybit'), { apiKey: API_KEY, secret: SECRET }, bybit.url);
  await engine.services.exchanges.set(defaultAccountOf('binance'), { apiKey: API_KEY, secret: SECRET }, binance.url);
  await engine.services.exchanges.set(defaultAccountOf('bybit_testnet'), { apiKey: API_KEY, secret: SECRET }, CLOSED_PORT);
  await engine.services.exchanges.set(defaultAccountOf('binance_testnet'), { apiKey: API_KEY, secret: SECRET }, CLOSED_PORT);
});

afterAll(async () => {
  await engine?.stop();
  await Promise.all([bybit?.close(), binance?.close()]);
});

function strategy(name: string, shaping: Partial<StrategyInput> = {}): string {
  engine.services.strategies.add({ name, mode: 'dry-run', marketType: 'swap', maxQty: null, symbols: [], exchanges: [], enabled: true, ...shaping });
  return name;
}

const order = (fields: Record<string, unknown>) => postSignedOrder(engine.url, key, { exchange: 'bybit', order_type: 'Market', side: 'Buy', ...fields });
const journaled = (id: number) => engine.services.journal.get(id) as OrderView;
const settled = (id: number, done: (view: OrderView) => boolean) => eventually(() => journaled(id), done, 8_000);
const account = (name: string, exchange = 'bybit', currency = 'USDT') => engine.services.dryRun.accounts.accountViews(name).find((view) => view.exchange === exchange && view.currency === currency) as DryRunAccountView;
const position = (name: string, symbol: string, exchange = 'bybit') => engine.services.dryRun.accounts.positionViews(name).find((view) => view.symbol === symbol && view.exchange === exchange);

describe('a simulated account sizes orders as a live one', () => {
  it('from its equity, then its free balance less the margin in use, each fill paying the market taker fee; nothing reaches the exchange', async () => {
    const name = strategy('sized');
    const sent = bybit.createdOrders().length;
    // 10 % of 10 000 USDT at Bybit's 60 000 is 0.01666 BTC, on the 0.001 step
    const first = await order({ strategy: name, symbol: 'BTCUSDT', qty: 10, qty_unit: 'equity_percent' });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.order).toMatchObject({ status: 'filled', dry_run: true, sizing: { unit: 'equity_percent', basis: { kind: 'equity', value: '10000', currency: 'USDT' }, reference_price: '60000', amount: '0.016' } });
    expect(first.body.order?.['orders']).toMatchObject([{ amount: '0.016', status: 'filled', average_price: '60000' }]);
    // the taker fee on 960 USDT at ccxt's Bybit rate (0.06 %)
    expect(account(name)).toMatchObject({ wallet: 9_999.424, equity: 9_999.424, positionMargin: 960, free: 9_039.424, fees: 0.576 });

    // half of what is free: 4 519.712 USDT is 0.0753 BTC, on the step
    const second = await order({ strategy: name, symbol: 'BTCUSDT', qty: 50, qty_unit: 'available_percent' });
    expect(second.body.order).toMatchObject({ status: 'filled', sizing: { basis: { kind: 'free', value: '9039.424' }, amount: '0.075' } });
    expect(position(name, 'BTCUSDT')).toMatchObject({ qty: 0.091, entryPrice: 60_000, markPrice: 60_000, unrealizedPnl: 0, leverage: 1, settle: 'USDT' });
    expect(account(name).wallet).toBeCloseTo(10_000 - 0.576 - 2.7, 9);
    expect(bybit.createdOrders().length).toBe(sent);

    // a changed dryRunBalance is the account's start from then on; what the fills did stays
    engine.services.strategies.update(name, { dryRunBalance: 20_000 });
    expect(account(name).starting).toBe(20_000);
    expect(account(name).wallet).toBeCloseTo(20_000 - 0.576 - 2.7, 9);
  });

  it('refuses what the account cannot pay for, as the exchange does (422 insufficient_funds), and takes it at the leverage the strategy sets', async () => {
    const name = strategy('small', { dryRunBalance: 100, maxLeverage: 5 });
    // 10 A5USDT at 15 is 150 USDT of margin at 1x
    const refused = await order({ strategy: name, symbol: 'A5USDT', qty: 10 });
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: 'insufficient_funds' });
    expect(refused.body.error?.message).toMatch(/simulated account has 100 USDT free; this order needs 150\.09 USDT/);
    expect(position(name, 'A5USDT')?.qty ?? 0).toBe(0);

    const leveraged = await order({ strategy: name, symbol: 'A5USDT', qty: 10, leverage: 2 });
    expect(leveraged.body.order, JSON.stringify(leveraged.body)).toMatchObject({ status: 'filled' });
    expect(position(name, 'A5USDT')).toMatchObject({ qty: 10, leverage: 2, margin: 75 });
  });
});

describe('a simulated account on an inverse contract', () => {
  it("counts in the contract's coin: it starts with the dryRunBalance's worth of BTC at the first price, and sizes in USD contracts", async () => {
    const name = strategy('inverse');
    // 10 % of 10 000 USD's worth of BTC at 60 000 is 1 000 one-dollar contracts of BTCUSD
    const sized = await order({ strategy: name, symbol: 'BTCUSD', qty: 10, qty_unit: 'equity_percent' });
    expect(sized.body.order, JSON.stringify(sized.body)).toMatchObject({ status: 'filled', sizing: { basis: { kind: 'equity', currency: 'BTC' }, amount: '1000' }, orders: [{ amount: '1000', average_price: '60000' }] });
    const btc = account(name, 'bybit', 'BTC');
    expect(btc.starting).toBeCloseTo(10_000 / 60_000, 12);
    // the taker fee on 1 000 USD, in BTC: 1 000 / 60 000 x 0.06 %
    expect(btc.fees).toBeCloseTo(0.00001, 12);
    expect(btc.positionMargin).toBeCloseTo(1_000 / 60_000, 12);
    expect(position(name, 'BTCUSD')).toMatchObject({ qty: 1_000, entryPrice: 60_000, settle: 'BTC' });
  });
});

describe('a simulated spot account holds coins', () => {
  it('a buy pays the quote and receives the coin less its fee; a resting sell holds its coins; Close sells what is free; a buy beyond the quote is refused', async () => {
    const name = strategy('spotty', { marketType: 'spot' });
    const bought = await order({ strategy: name, symbol: 'BTCUSDT', qty: 0.01 });
    expect(bought.body.order, JSON.stringify(bought.body)).toMatchObject({ status: 'filled', orders: [{ average_price: '60000' }] });
    // ccxt's Bybit spot taker rate, 0.1 %, of the coins received
    expect(account(name)).toMatchObject({ wallet: 9_400, free: 9_400 });
    expect(account(name, 'bybit', 'BTC')).toMatchObject({ starting: 0, wallet: 0.00999, fees: 0.00001 });

    const resting = await order({ strategy: name, symbol: 'BTCUSDT', order_type: 'Limit', side: 'Sell', qty: 0.005, price: 70_000 });
    expect(resting.body.order?.status).toBe('open');
    expect(account(name, 'bybit', 'BTC')).toMatchObject({ free: 0.00499, orderMargin: 0.005 });

    const close = await order({ strategy: name, symbol: 'BTCUSDT', side: 'Close' });
    expect(close.body.order).toMatchObject({ status: 'filled', plan: 'Close: sell the free balance of 0.00499', orders: [{ amount: '0.00499' }] });
    expect(account(name).wallet).toBeCloseTo(9_400 + 299.4 - 0.2994, 9);
    await engine.services.orders.cancel(resting.body.order?.id as number);
    expect(account(name, 'bybit', 'BTC')).toMatchObject({ free: 0.005, orderMargin: 0 });

    const tooMuch = await order({ strategy: name, symbol: 'BTCUSDT', qty: 1 });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body.error?.message).toMatch(/has 9699\.1006 USDT free; this order needs 60000 USDT to pay for it/);
  });
});

describe('a dry-run Limit rests like a live one', () => {
  it('answered open, filled by the follower at its price as the maker once the public ticker crosses it; a marketable one fills at once', async () => {
    const name = strategy('limits');
    const rests = await order({ strategy: name, symbol: 'A1USDT', order_type: 'Limit', qty: 10, price: 10.5 });
    expect(rests.status, JSON.stringify(rests.body)).toBe(200);
    expect(rests.body.order).toMatchObject({ status: 'open', orders: [{ status: 'open', price: '10.5' }] });
    const id = rests.body.order?.id as number;
    // its margin is held while it rests
    expect(account(name)).toMatchObject({ orderMargin: 105, free: 9_895 });

    bybit.setPrice('A1USDT', 10.4, 'linear');
    const filled = await settled(id, (view) => view.status === 'filled');
    expect(filled).toMatchObject({ status: 'filled', legs: [{ status: 'filled', filled: '10', averagePrice: '10.5' }] });
    // the maker fee: 0.01 % of 105 USDT
    expect(account(name)).toMatchObject({ wallet: 9_999.9895, orderMargin: 0 });
    expect(position(name, 'A1USDT')).toMatchObject({ qty: 10, entryPrice: 10.5, markPrice: 10.4 });
    expect(position(name, 'A1USDT')?.unrealizedPnl).toBeCloseTo(-1, 9);

    const marketable = await order({ strategy: name, symbol: 'A1USDT', order_type: 'Limit', side: 'Sell', qty: 4, price: 10 });
    expect(marketable.body.order).toMatchObject({ status: 'filled', orders: [{ average_price: '10.4' }] });
    expect(position(name, 'A1USDT')?.qty).toBe(6);
  });

  it("on Binance USDⓈ-M too, through its own ticker stream", async () => {
    const name = strategy('binance_limits');
    const rests = await order({ strategy: name, exchange: 'binance', symbol: 'A2USDT', order_type: 'Limit', qty: 10, price: 11.5 });
    expect(rests.body.order, JSON.stringify(rests.body)).toMatchObject({ status: 'open' });
    binance.setPrice('A2USDT', 11.4, 'linear');
    const filled = await settled(rests.body.order?.id as number, (view) => view.status === 'filled');
    expect(filled).toMatchObject({ legs: [{ status: 'filled', averagePrice: '11.5' }] });
    // ccxt's Binance USDⓈ-M maker rate, 0.02 % of 115 USDT
    expect(account(name, 'binance')).toMatchObject({ fees: 0.023 });
  });

  it('is cancelled through the order service, holding nothing after, and a later cross fills nothing', async () => {
    const name = strategy('cancels');
    const rests = await order({ strategy: name, symbol: 'A2USDT', order_type: 'Limit', qty: 10, price: 11 });
    expect(rests.body.order?.status).toBe('open');
    const id = rests.body.order?.id as number;
    const cancelled = await engine.services.orders.cancel(id);
    expect(cancelled).toMatchObject({ status: 'cancelled', legs: [{ status: 'cancelled', filled: '0' }] });
    expect(account(name)).toMatchObject({ orderMargin: 0, free: 10_000 });

    bybit.setPrice('A2USDT', 10.5, 'linear');
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(journaled(id).status).toBe('cancelled');
    expect(position(name, 'A2USDT')).toBeUndefined();
  });
});

describe('stops and targets are held by the simulator and triggered by the same prices', () => {
  it('a long with both: the target reached fills as a leg of the entry order (published), the stop is cancelled, the PnL realised', async () => {
    const name = strategy('protected');
    const seen: string[] = [];
    const stopWatching = engine.subscribe((event) => {
      if (event.type !== 'order' || event.order.strategy !== name) return;
      const target = event.order.legs.find((leg) => leg.role === 'take_profit');
      if (target) seen.push(target.status);
    });
    try {
      const entry = await order({ strategy: name, symbol: 'A3USDT', qty: 10, stop_loss: 12, take_profit: 14.5 });
      expect(entry.body.order, JSON.stringify(entry.body)).toMatchObject({ status: 'filled', protection: { stop_loss: '12', take_profit: '14.5', style: 'conditional', reference_price: '13' } });
      const id = entry.body.order?.id as number;
      const armed = await settled(id, (view) => view.legs.filter((leg) => leg.role !== 'entry' && leg.status === 'open').length === 2);
      expect(armed.legs.map(({ role, side, status, triggerPrice, reduceOnly }) => ({ role, side, status, triggerPrice, reduceOnly }))).toEqual([
        { role: 'entry', side: 'buy', status: 'filled', triggerPrice: null, reduceOnly: false },
        { role: 'stop_loss', side: 'sell', status: 'open', triggerPrice: '12', reduceOnly: true },
        { role: 'take_profit', side: 'sell', status: 'open', triggerPrice: '14.5', reduceOnly: true },
      ]);

      bybit.setPrice('A3USDT', 14.6, 'linear');
      const closed = await settled(id, (view) => view.legs.every((leg) => leg.status === 'filled' || leg.status === 'cancelled'));
      expect(closed.legs.map(({ role, status, filled, averagePrice }) => ({ role, status, filled, averagePrice }))).toEqual([
        { role: 'entry', status: 'filled', filled: '10', averagePrice: '13' },
        { role: 'stop_loss', status: 'cancelled', filled: '0', averagePrice: null },
        { role: 'take_profit', status: 'filled', filled: '10', averagePrice: '14.6' },
      ]);
      expect(seen).toContain('filled');
      expect(position(name, 'A3USDT')).toMatchObject({ qty: 0, realizedPnl: 16 });
      // the entry's and the target's taker fees: 0.06 % of 130 and of 146 USDT
      expect(account(name).wallet).toBeCloseTo(10_000 + 16 - 0.078 - 0.0876, 9);
    } finally {
      stopWatching();
    }
  });

  it("a short's stop from a percent fills at the price that reached it; a Close retires the protection of the position it ends", async () => {
    const name = strategy('stopped', { stopLossPercent: 5 });
    const entry = await order({ strategy: name, symbol: 'A4USDT', side: 'Sell', qty: 10 });
    // 5 % above 14, on the 0.001 tick
    expect(entry.body.order).toMatchObject({ status: 'filled', protection: { stop_loss: '14.7', take_profit: null } });
    const id = entry.body.order?.id as number;
    await settled(id, (view) => view.legs.some((leg) => leg.role === 'stop_loss' && leg.status === 'open'));
    bybit.setPrice('A4USDT', 15, 'linear');
    const stopped = await settled(id, (view) => view.legs.some((leg) => leg.role === 'stop_loss' && leg.status === 'filled'));
    expect(stopped.legs.find((leg) => leg.role === 'stop_loss')).toMatchObject({ side: 'buy', filled: '10', averagePrice: '15' });
    expect(position(name, 'A4USDT')).toMatchObject({ qty: 0, realizedPnl: -10 });

    const again = await order({ strategy: name, symbol: 'A4USDT', side: 'Sell', qty: 10 });
    const againId = again.body.order?.id as number;
    await settled(againId, (view) => view.legs.some((leg) => leg.role === 'stop_loss' && leg.status === 'open'));
    const close = await order({ strategy: name, symbol: 'A4USDT', side: 'Close' });
    expect(close.body.order).toMatchObject({ status: 'filled', plan: 'Close: buy 10 to go from -10 to 0' });
    const retired = await settled(againId, (view) => view.legs.some((leg) => leg.role === 'stop_loss' && leg.status === 'cancelled'));
    expect(retired.legs.find((leg) => leg.role === 'stop_loss')?.status).toBe('cancelled');
    expect(engine.services.dryRun.orders.openOn('bybit', 'swap', 'A4USDT')).toEqual([]);
  });

  it('a plain Sell of the whole long retires its stop too, though it read no position before it went out', async () => {
    const name = strategy('sold_out');
    const entry = await order({ strategy: name, symbol: 'A6USDT', qty: 10, stop_loss: 12 });
    expect(entry.body.order, JSON.stringify(entry.body)).toMatchObject({ status: 'filled' });
    const id = entry.body.order?.id as number;
    await settled(id, (view) => view.legs.some((leg) => leg.role === 'stop_loss' && leg.status === 'open'));
    const sell = await order({ strategy: name, symbol: 'A6USDT', side: 'Sell', qty: 10 });
    expect(sell.body.order).toMatchObject({ status: 'filled' });
    const retired = await settled(id, (view) => view.legs.some((leg) => leg.role === 'stop_loss' && leg.status === 'cancelled'));
    expect(retired.legs.find((leg) => leg.role === 'stop_loss')?.status).toBe('cancelled');
    expect(engine.services.dryRun.orders.openOn('bybit', 'swap', 'A6USDT')).toEqual([]);
  });
});

describe('a dry run bound to named accounts', () => {
  it('keeps one book whichever account its orders name: the position shows its stop, and a Close on another account retires it', async () => {
    const name = strategy('bound_paper', { accounts: { bybit: ['main', 'sub2'] } });
    const entry = await order({ strategy: name, symbol: 'A5USDT', qty: 10, stop_loss: 12 });
    expect(entry.body.order, JSON.stringify(entry.body)).toMatchObject({ status: 'filled', account: 'main' });
    const id = entry.body.order?.id as number;
    await settled(id, (view) => view.legs.some((leg) => leg.role === 'stop_loss' && leg.status === 'open'));
    const shown = engine.services.accountViews.dryRunPositions().positions.find((row) => row.strategy === name && row.symbol === 'A5USDT');
    expect(shown?.protection).toEqual([{ role: 'stop_loss', triggerPrice: '12', orderId: id, status: 'open' }]);

    const close = await order({ strategy: name, account: 'sub2', symbol: 'A5USDT', side: 'Close' });
    expect(close.body.order).toMatchObject({ status: 'filled', account: 'sub2', plan: 'Close: sell 10 to go from +10 to 0' });
    const retired = await settled(id, (view) => view.legs.some((leg) => leg.role === 'stop_loss' && leg.status === 'cancelled'));
    expect(retired.legs.find((leg) => leg.role === 'stop_loss')?.status).toBe('cancelled');
    expect(engine.services.dryRun.orders.openOn('bybit', 'swap', 'A5USDT')).toEqual([]);
  });
});

describe("the exchange's markets apply where they are known", () => {
  it('online: an unknown symbol is refused with close matches, a size below the minimum with 422 below_minimum, before anything is journaled', async () => {
    const name = strategy('strict');
    const before = journalCount(engine);
    const unknown = await order({ strategy: name, symbol: 'BTCUSDX', qty: 0.01 });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatchObject({ code: 'unknown_symbol', field: 'symbol' });
    expect(unknown.body.error?.message).toMatch(/did you mean BTCUSD, BTCUSDT\?/);
    const small = await order({ strategy: name, symbol: 'BTCUSDT', qty: 0.0001 });
    expect(small.status).toBe(422);
    expect(small.body.error).toMatchObject({ code: 'below_minimum', field: 'qty' });
    expect(small.body.error?.message).toMatch(/minimum order size of 0\.001/);
    expect(journalCount(engine)).toBe(before);
    // a Limit's price goes to the tick on the trader's side: a buy's down
    const rounded = await order({ strategy: name, symbol: 'BTCUSDT', order_type: 'Limit', qty: 0.001, price: 50_000.07 });
    expect(rounded.body.order).toMatchObject({ status: 'open', orders: [{ price: '50000' }] });
    await engine.services.orders.cancel(rounded.body.order?.id as number);
  });

  it('offline with the markets cache: the same refusals, the minimum value at the order price, and fills at the request price with the market fee', async () => {
    const name = strategy('cached', { exchanges: [] });
    // Binance USDⓈ-M's markets, read once through the fake, become binance_testnet's cache, whose exchange cannot be reached.
    const warm = await order({ strategy: name, exchange: 'binance', symbol: 'ETHUSDT', qty: 0.01 });
    expect(warm.body.order?.status).toBe('filled');
    const cache = join(engine.dataDir, 'markets');
    const markets = JSON.parse(readFileSync(join(cache, 'binance-binanceusdm-swap.json'), 'utf8')) as object;
    writeFileSync(join(cache, 'binance_testnet-binanceusdm-swap.json'), JSON.stringify({ ...markets, baseUrl: CLOSED_PORT, fetchedAt: Date.now() }));

    const before = journalCount(engine);
    const unknown = await order({ strategy: name, exchange: 'binance_testnet', symbol: 'BTCUSDTT', qty: 0.01, price: 60_000 });
    expect(unknown.body.error).toMatchObject({ code: 'unknown_symbol' });
    // Binance's USDⓈ-M BTCUSDT takes orders worth 100 USDT and more
    const small = await order({ strategy: name, exchange: 'binance_testnet', symbol: 'BTCUSDT', qty: 0.001, price: 60_000 });
    expect(small.status).toBe(422);
    expect(small.body.error?.message).toMatch(/minimum order value of 100 USDT/);
    expect(journalCount(engine)).toBe(before);

    const filled = await order({ strategy: name, exchange: 'binance_testnet', symbol: 'BTCUSDT.P', qty: 0.002, price: 61_000 });
    expect(filled.body.order, JSON.stringify(filled.body)).toMatchObject({ status: 'filled', orders: [{ average_price: '61000' }] });
    // ccxt's Binance USDⓈ-M taker rate, 0.05 % of 122 USDT
    expect(account(name, 'binance_testnet')).toMatchObject({ fees: 0.061 });
    expect(position(name, 'BTCUSDT', 'binance_testnet')).toMatchObject({ qty: 0.002, entryPrice: 61_000 });
  });

  it('offline without a cache: symbols as written, no minimums, Market orders at the request price, Limits resting until a price can be had, and Cancel', async () => {
    const name = strategy('offline');
    const odd = await order({ strategy: name, exchange: 'bybit_testnet', symbol: 'WHATEVERUSDT', qty: 0.0000001, price: 3 });
    expect(odd.body.order).toMatchObject({ status: 'filled', orders: [{ amount: '0.0000001', average_price: '3' }] });
    expect(position(name, 'WHATEVERUSDT', 'bybit_testnet')).toMatchObject({ qty: 0.0000001, entryPrice: 3, fees: 0 });

    const rests = await order({ strategy: name, exchange: 'bybit_testnet', symbol: 'BTCUSDT', order_type: 'Limit', qty: 1, price: 1 });
    expect(rests.body.order).toMatchObject({ status: 'open' });
    const cancelled = await engine.services.orders.cancel(rests.body.order?.id as number);
    expect(cancelled.status).toBe('cancelled');
    // without a price in the request and none to be had, a Market order is refused before journaling
    const priceless = await order({ strategy: name, exchange: 'bybit_testnet', symbol: 'BTCUSDT', qty: 1 });
    expect(priceless.body.error).toMatchObject({ code: 'price_required', field: 'price' });
  });
});

describe('a resting dry-run Limit survives a restart', () => {
  it('is followed again and fills when the price crosses it after the restart', async () => {
    const first = await startTestEngine({ orderWaitMs: 5_000 });
    const restartKey = await first.services.apiKeys.create({ label: 'bot', tradingview: false, strategies: [] });
    await first.services.exchanges.set(defaultAccountOf('bybit'), { apiKey: API_KEY, secret: SECRET }, bybit.url);
    first.services.strategies.add({ name: 'patient', mode: 'dry-run', marketType: 'swap', maxQty: null, symbols: [], exchanges: [], enabled: true });
    const rests = await postSignedOrder(first.url, restartKey, { strategy: 'patient', exchange: 'bybit', order_type: 'Limit', side: 'Buy', symbol: 'A6USDT', qty: 10, price: 15.5 });
    expect(rests.body.order?.status, JSON.stringify(rests.body)).toBe('open');
    const id = rests.body.order?.id as number;
    await first.stop();

    const restarted = await startTestEngine({}, first.dataDir);
    try {
      // watched again once the engine is up: the price it now meets fills it
      await eventually(() => bybit.websocketStats().channels.includes('tickers.A6USDT'), (subscribed) => subscribed, 8_000);
      bybit.setPrice('A6USDT', 15.4, 'linear');
      const filled = await eventually(() => restarted.services.journal.get(id), (view) => view?.status === 'filled', 8_000);
      expect(filled).toMatchObject({ status: 'filled', legs: [{ status: 'filled', averagePrice: '15.5' }] });
      expect(restarted.services.dryRun.accounts.positionViews('patient')).toMatchObject([{ symbol: 'A6USDT', qty: 10, entryPrice: 15.5 }]);
    } finally {
      await restarted.stop();
    }
  });
});
