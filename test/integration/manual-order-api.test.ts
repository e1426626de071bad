import { defaultAccountOf } from '../../shared/account-names.js';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SSE_BACKLOG_BYTES } from '../../main/engine/http/sse.js';
import type { MarketEntry, MarketsAnswer, OrderPreviewAnswer } from '../../shared/manual-order-api.js';
import { type FakeExchange, startFakeExchange } from '../fake-exchange/index.js';
import { journalCount, startTestEngine, type TestEngine } from '../support/engine.js';
import { openUiSession } from '../support/ui-session.js';

/**
 * The manual form's own endpoints, GET /api/markets and POST /api/orders/preview, over HTTP with a UI
 * session, against real ccxt talking to the fake exchange. A preview journals nothing and sends nothing.
 */
const API_KEY = 'fake-exchange-key-0123456789';
const SECRET = 'fake-exchange-secret-abcdefghijklmnop';

let engine: TestEngine;
let bybit: FakeExchange;
let binance: FakeExchange;
let cookie = '';
let session: Record<string, string> = {};

beforeAll(async () => {
  engine = await startTestEngine({ orderWaitMs: 5_000 });
  [bybit, binance] = await Promise.all([
    startFakeExchange({ venue: 'bybit', apiKey: API_KEY, secret: SECRET }),
    startFakeExchange({ venue: 'binance', apiKey: API_KEY, secret: SECRET }),
  ]);
  bybit.setBalance('USDT', 1_000_000);
  await engine.services.exchanges.set(defaultAccountOf('bybit'), { apiKey: API_KEY, secret: SECRET }, bybit.url);
  // Nothing listens there: this exchange cannot be read (and no test ever reaches the internet).
  await engine.services.exchanges.set(defaultAccountOf('bybit_testnet'), { apiKey: API_KEY, secret: SECRET }, 'http://127.0.0.1:9');
  const add = engine.services.strategies.add.bind(engine.services.strategies);
  add({ name: 'perp', mode: 'live', marketType: 'swap', maxQty: null, symbols: [], exchanges: [], enabled: true });
  add({ name: 'spot', mode: 'live', marketType: 'spot', maxQty: null, symbols: [], exchanges: [], enabled: true });
  add({ name: 'dry', mode: 'dry-run', marketType: 'swap', maxQty: null, symbols: [], exchanges: [], enabled: true });
  add({ name: 'dry_listed', mode: 'dry-run', marketType: 'swap', maxQty: null, symbols: ['ETHUSDT', 'BTC/USDT:USDT', 'NOPEUSDT'], exchanges: ['bybit', 'bybit_testnet'], enabled: true });

  // The one-time link, as the app opens it, becomes the session cookie and the page's token.
  const opened = await openUiSession(engine.createUiUrl());
  cookie = opened.cookie;
  session = opened.headers;
});

afterAll(async () => {
  await engine?.stop();
  await Promise.all([bybit?.close(), binance?.close()]);
});

async function ui(method: 'GET' | 'POST', path: string, body?: unknown, headers: Record<string, string> = session): Promise<{ status: number; type: string; json: unknown }> {
  const response = await fetch(`${engine.url}${path}`, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const type = response.headers.get('content-type') ?? '';
  return { status: response.status, type, json: type.includes('json') ? await response.json() : await response.text() };
}

async function markets(strategy: string, exchange: string): Promise<MarketsAnswer> {
  const answer = await ui('GET', `/api/markets?strategy=${strategy}&exchange=${exchange}`);
  expect(answer.status, JSON.stringify(answer.json)).toBe(200);
  return answer.json as MarketsAnswer;
}

const entry = (answer: MarketsAnswer, id: string) => answer.markets.find((market) => market.id === id);

describe('GET /api/markets', () => {
  it("a live strategy: its account's markets of the strategy's market type, with every spelling and the size rules", async () => {
    const answer = await markets('perp', 'bybit');
    expect(answer).toMatchObject({ strategy: 'perp', exchange: 'bybit', marketType: 'swap', source: 'account', note: null });
    expect(answer.markets.map((market) => market.id)).toEqual(['BTCUSD', 'BTCUSDT', 'ETHUSDT']);
    expect(entry(answer, 'BTCUSDT')).toEqual<MarketEntry>({
      input: 'BTCUSDT',
      id: 'BTCUSDT',
      unified: 'BTC/USDT:USDT',
      tradingView: 'BTCUSDT.P',
      base: 'BTC',
      quote: 'USDT',
      type: 'swap',
      contract: 'linear',
      minAmount: '0.001',
      amountStep: '0.001',
    });
    expect(entry(answer, 'BTCUSD')).toMatchObject({ unified: 'BTC/USD:BTC', tradingView: 'BTCUSD.P', contract: 'inverse', minAmount: '1', amountStep: '1' });
  });

  it('a spot strategy gets the spot markets, without a TradingView perpetual form', async () => {
    const answer = await markets('spot', 'bybit');
    expect(answer.markets.map((market) => market.unified)).toEqual(['BTC/USDT', 'ETH/USDT']);
    expect(entry(answer, 'BTCUSDT')).toMatchObject({ type: 'spot', tradingView: null, contract: null, minAmount: '0.000048', amountStep: '0.000001' });
  });

  it("a dry-run strategy: the exchange's public markets, no keys needed", async () => {
    const answer = await markets('dry', 'bybit');
    expect(answer).toMatchObject({ source: 'public', note: null });
    expect(answer.markets).toEqual((await markets('perp', 'bybit')).markets);
  });

  it("a strategy with an allow-list gets only those markets, each with a spelling the strategy accepts", async () => {
    const answer = await markets('dry_listed', 'bybit');
    expect(answer.markets.map(({ input, id }) => ({ input, id }))).toEqual([
      { input: 'BTC/USDT:USDT', id: 'BTCUSDT' },
      { input: 'ETHUSDT', id: 'ETHUSDT' },
    ]);
  });

  it("falls back to the strategy's allowed symbols when the exchange cannot be read, and says so", async () => {
    const answer = await markets('dry_listed', 'bybit_testnet');
    expect(answer.source).toBe('strategy');
    expect(answer.note).toMatch(/^bybit_testnet's markets could not be read \(.+\); the strategy's allowed symbols instead$/);
    expect(answer.markets.map((market) => market.input)).toEqual(['ETHUSDT', 'BTC/USDT:USDT', 'NOPEUSDT']);
    expect(answer.markets[0]).toMatchObject({ id: null, unified: null, minAmount: null });
  });

  it('a live strategy on an exchange without credentials: public markets (here from the disk cache), and a note that orders are refused', async () => {
    // Load Binance's USDⓈ-M markets once through an account aimed at the fake, then drop the account and
    // leave the cached copy as the real exchange's (no base URL): public data is then read from disk alone.
    await engine.services.exchanges.set(defaultAccountOf('binance'), { apiKey: API_KEY, secret: SECRET }, binance.url);
    expect((await markets('perp', 'binance')).source).toBe('account');
    await engine.services.exchanges.remove(defaultAccountOf('binance'));
    const file = join(engine.dataDir, 'markets', 'binance-binanceusdm-swap.json');
    writeFileSync(file, JSON.stringify({ ...(JSON.parse(readFileSync(file, 'utf8')) as object), baseUrl: null }));
    const before = binance.requestCount();

    const answer = await markets('perp', 'binance');
    expect(answer.source).toBe('public');
    expect(answer.note).toMatch(/no API credentials for binance.*refused until the credentials are added/);
    expect(answer.markets.map((market) => market.id)).toEqual(['BTCUSDT', 'ETHUSDT']);
    expect(entry(answer, 'BTCUSDT')).toMatchObject({ minAmount: '0.001', amountStep: '0.001' });
    expect(binance.requestCount()).toBe(before);
  });

  it.each([
    ['', 'bybit', 400, 'missing_field', 'strategy'],
    ['nope', 'bybit', 404, 'unknown_strategy', 'strategy'],
    ['perp', 'kraken', 400, 'invalid_field', 'exchange'],
    ['dry_listed', 'binance', 403, 'exchange_not_allowed', 'exchange'],
  ])('refuses strategy=%j exchange=%j with %s %s', async (strategy, exchange, status, code, field) => {
    const answer = await ui('GET', `/api/markets?strategy=${strategy}&exchange=${exchange}`);
    expect(answer.status).toBe(status);
    expect(answer.json).toMatchObject({ ok: false, error: { code, field } });
  });

  it('needs the UI session', async () => {
    const answer = await ui('GET', '/api/markets?strategy=perp&exchange=bybit', undefined, {});
    expect(answer.status).toBe(401);
    expect(answer.json).toMatchObject({ ok: false, error: { code: 'session_required' } });
  });
});

type PreviewCall = { status: number; json: OrderPreviewAnswer | { ok: false; error: { code: string; message: string; field?: string } } };

async function preview(fields: Record<string, unknown>): Promise<PreviewCall> {
  const answer = await ui('POST', '/api/orders/preview', { strategy: 'perp', exchange: 'bybit', order_type: 'Market', symbol: 'ETHUSDT', ...fields });
  return { status: answer.status, json: answer.json as PreviewCall['json'] };
}

function previewOf(call: PreviewCall): OrderPreviewAnswer['preview'] {
  expect(call.status, JSON.stringify(call.json)).toBe(200);
  return (call.json as OrderPreviewAnswer).preview;
}

describe('POST /api/orders/preview', () => {
  it.each([
    [2, 'Close', undefined, 'Close: sell 2 to go from +2 to 0', [{ side: 'sell', amount: '2', reduce_only: true }]],
    [-1.5, 'Close', undefined, 'Close: buy 1.5 to go from -1.5 to 0', [{ side: 'buy', amount: '1.5', reduce_only: true }]],
    [0, 'Close', undefined, 'Close: no open position', []],
    [0, 'Sarbuy', 1, 'SAR: buy 1 to go from 0 to +1', [{ side: 'buy', amount: '1', reduce_only: false }]],
    [1, 'Sarsell', 2, 'SAR: sell 3 to go from +1 to -2', [{ side: 'sell', amount: '3', reduce_only: false }]],
    [-1, 'Sarbuy', 2, 'SAR: buy 3 to go from -1 to +2', [{ side: 'buy', amount: '3', reduce_only: false }]],
    [0, 'Sarsell', 0.5, 'SAR: sell 0.5 to go from 0 to -0.5', [{ side: 'sell', amount: '0.5', reduce_only: false }]],
    [1, 'Sarbuy', 1, 'SAR: already at +1', []],
    [-2, 'Sarsell', 2, 'SAR: already at -2', []],
  ] as const)('from %s, %s %s: %s', async (position, side, qty, plan, legs) => {
    bybit.setPosition('ETHUSDT', position, { entryPrice: 3000 });
    const [journaled, sent] = [journalCount(engine), bybit.createdOrders().length];
    const answer = previewOf(await preview({ side, ...(qty === undefined ? {} : { qty }) }));
    expect(answer).toMatchObject({ strategy: 'perp', exchange: 'bybit', symbol: 'ETHUSDT', market: 'ETH/USDT:USDT', market_type: 'swap', dry_run: false, side, order_type: 'market', plan });
    expect(answer.skipped).toBe(legs.length === 0);
    expect(answer.position).toMatchObject({ qty: String(position), kind: 'position' });
    expect(Date.parse(answer.position?.read_at ?? '')).toBeGreaterThan(Date.now() - 10_000);
    expect(answer.orders).toEqual(legs.map((leg) => ({ ...leg, type: 'market', price: null })));
    // Nothing journaled, nothing sent.
    expect(journalCount(engine)).toBe(journaled);
    expect(bybit.createdOrders().length).toBe(sent);
  });

  it("Buy and Sell do not read the position; the legs are rounded to the market as they would be sent, a limit price to the tick on the trader's side", async () => {
    const positionReads = bybit.requestCount('/v5/position/list');
    const answer = previewOf(await preview({ side: 'Buy', order_type: 'Limit', qty: 0.0123, price: 2999.999 }));
    expect(answer).toMatchObject({ plan: 'buy 0.0123', position: null, skipped: false });
    // a buy's limit is the most the trader pays: down to the tick (0.01), never up to 3000
    expect(answer.orders).toEqual([{ side: 'buy', type: 'limit', amount: '0.01', price: '2999.99', reduce_only: false }]);
    const sell = previewOf(await preview({ side: 'Sell', order_type: 'Limit', qty: 0.0123, price: 3000.001 }));
    // a sell's is the least they accept: up to the tick
    expect(sell.orders).toEqual([{ side: 'sell', type: 'limit', amount: '0.01', price: '3000.01', reduce_only: false }]);
    expect(bybit.requestCount('/v5/position/list')).toBe(positionReads);
  });

  it('shows what POST /api/orders then sends: the same plan and the same legs', async () => {
    bybit.setPosition('ETHUSDT', 1, { entryPrice: 3000 });
    const fields = { strategy: 'perp', exchange: 'bybit', order_type: 'Market', symbol: 'ETHUSDT', side: 'Sarsell', qty: 2.004 };
    const shown = previewOf(await preview(fields));
    expect(shown.plan).toBe('SAR: sell 3.004 to go from +1 to -2.004');
    const placed = await ui('POST', `/api/orders?dry_run=${shown.dry_run}&market_type=${shown.market_type}&account=${shown.account}`, fields);
    expect(placed.status, JSON.stringify(placed.json)).toBe(200);
    const order = (placed.json as { order: { plan: string; orders: { side: string; type: string; amount: string; price: string | null; reduce_only: boolean }[] } }).order;
    expect(order.plan).toBe(shown.plan);
    expect(order.orders.map(({ side, type, amount, price, reduce_only }) => ({ side, type, amount, price, reduce_only }))).toEqual(shown.orders);
    expect(shown.orders).toEqual([{ side: 'sell', type: 'market', amount: '3', price: null, reduce_only: false }]);
    expect(bybit.createdOrders().at(-1)).toMatchObject({ side: 'sell', qty: 3, symbol: 'ETHUSDT', marketKind: 'linear' });
  });

  it('refuses below the minimum size, naming it, as the order would be refused', async () => {
    const journaled = journalCount(engine);
    const call = await preview({ side: 'Buy', qty: 0.001 });
    expect(call.status).toBe(422);
    expect(call.json).toMatchObject({ ok: false, error: { code: 'below_minimum', field: 'qty' } });
    expect(JSON.stringify(call.json)).toMatch(/minimum order size of 0\.01/);
    // SAR learns its size only from the position: its leg is checked once planned, the same way.
    bybit.setPosition('ETHUSDT', 0);
    const dust = await preview({ side: 'Sarbuy', qty: 0.004 });
    expect(dust.status, JSON.stringify(dust.json)).toBe(422);
    expect(dust.json).toMatchObject({ ok: false, error: { code: 'below_minimum', field: 'qty' } });
    expect(journalCount(engine)).toBe(journaled);
  });

  it('refuses an unknown symbol with close matches', async () => {
    const call = await preview({ side: 'Buy', qty: 1, symbol: 'ETHUSDX' });
    expect(call.status).toBe(400);
    expect(call.json).toMatchObject({ ok: false, error: { code: 'unknown_symbol', field: 'symbol' } });
    expect(JSON.stringify(call.json)).toContain('ETHUSDT');
  });

  it('validates with the order schema, and refuses as authorize does', async () => {
    expect((await preview({ side: 'Buy' })).json).toMatchObject({ ok: false, error: { code: 'missing_field', field: 'qty', message: 'qty is required for side Buy' } });
    expect((await preview({ side: 'Buy', qty: 1, apikey: 'x' })).json).toMatchObject({ ok: false, error: { field: 'apikey' } });
    const unknown = await preview({ strategy: 'nope', side: 'Buy', qty: 1 });
    expect(unknown.status).toBe(403);
    expect(unknown.json).toMatchObject({ ok: false, error: { code: 'unknown_strategy', field: 'strategy' } });
    const notListed = await preview({ strategy: 'dry_listed', side: 'Buy', qty: 1, symbol: 'BTCUSDT', price: 1 });
    expect(notListed.json).toMatchObject({ ok: false, error: { code: 'symbol_not_allowed' } });
  });

  it('a spot Close sells the free base balance, and says that is what it read', async () => {
    bybit.setBalance('ETH', 0.5);
    const answer = previewOf(await preview({ strategy: 'spot', side: 'Close' }));
    expect(answer).toMatchObject({ market: 'ETH/USDT', market_type: 'spot', plan: 'Close: sell the free balance of 0.5', position: { qty: '0.5', kind: 'free_balance' } });
    expect(answer.orders).toEqual([{ side: 'sell', type: 'market', amount: '0.5', price: null, reduce_only: false }]);
  });

  it('refuses Close in hedge mode rather than guessing', async () => {
    for (const position of bybit.positions()) bybit.setPosition(position.symbol, 0, { kind: position.marketKind });
    bybit.setHedgeMode(true);
    bybit.setPosition('ETHUSDT', 1, { entryPrice: 3000, positionSide: 'long' });
    try {
      const call = await preview({ side: 'Close' });
      expect(call.status).toBe(422);
      expect(call.json).toMatchObject({ ok: false, error: { code: 'hedge_mode_not_supported', field: 'side' } });
    } finally {
      bybit.setPosition('ETHUSDT', 0);
      bybit.setHedgeMode(false);
    }
  });

  it('refuses a confirm whose preview no longer holds (the strategy went live since), and one without a preview', async () => {
    engine.services.strategies.add({ name: 'rehearsed', mode: 'dry-run', marketType: 'swap', maxQty: null, symbols: [], exchanges: [], enabled: true });
    const fields = { strategy: 'rehearsed', exchange: 'bybit', order_type: 'Market', side: 'Buy', qty: 0.01, symbol: 'BTCUSDT', price: 60_000 };
    const shown = previewOf(await preview(fields));
    expect(shown).toMatchObject({ dry_run: true, market_type: 'swap' });
    engine.services.strategies.update('rehearsed', { mode: 'live' });
    const journaled = engine.services.journal.list({ limit: 1000 }).length;
    const sent = bybit.createdOrders().length;

    const outdated = await ui('POST', `/api/orders?dry_run=${shown.dry_run}&market_type=${shown.market_type}&account=${shown.account}`, fields);
    expect(outdated.status).toBe(409);
    expect(outdated.json).toMatchObject({ ok: false, error: { code: 'preview_outdated', field: 'strategy' } });
    expect((outdated.json as { error: { message: string } }).error.message).toMatch(/now trades live swap on account default, not dry-run swap on account default/);
    const unconfirmed = await ui('POST', '/api/orders', fields);
    expect(unconfirmed.status).toBe(400);
    expect(unconfirmed.json).toMatchObject({ ok: false, error: { code: 'preview_required' } });
    expect(engine.services.journal.list({ limit: 1000 }).length).toBe(journaled);
    expect(bybit.createdOrders().length).toBe(sent);
  });

  it('refuses a confirm after the strategy moved to another account: the order would not go where the preview said', async () => {
    await engine.services.exchanges.set({ exchange: 'bybit', account: 'side' }, { apiKey: API_KEY, secret: SECRET }, bybit.url);
    engine.services.strategies.add({ name: 'moving', mode: 'live', marketType: 'swap', maxQty: null, symbols: [], exchanges: [], enabled: true });
    const fields = { strategy: 'moving', exchange: 'bybit', order_type: 'Market', side: 'Buy', qty: 0.01, symbol: 'BTCUSDT' };
    const shown = previewOf(await preview(fields));
    expect(shown).toMatchObject({ dry_run: false, market_type: 'swap', account: 'default' });
    engine.services.strategies.update('moving', { accounts: { bybit: ['side'] } });
    const journaled = engine.services.journal.list({ limit: 1000 }).length;
    const sent = bybit.createdOrders().length;

    const outdated = await ui('POST', `/api/orders?dry_run=${shown.dry_run}&market_type=${shown.market_type}&account=${shown.account}`, fields);
    expect(outdated.status).toBe(409);
    expect(outdated.json).toMatchObject({ ok: false, error: { code: 'preview_outdated', field: 'strategy' } });
    expect((outdated.json as { error: { message: string } }).error.message).toMatch(/now trades live swap on account side, not live swap on account default/);
    expect(engine.services.journal.list({ limit: 1000 }).length).toBe(journaled);
    expect(bybit.createdOrders().length).toBe(sent);
    // previewed again, the confirm names the account the order goes to, and it goes
    const again = previewOf(await preview(fields));
    expect(again.account).toBe('side');
    const placed = await ui('POST', `/api/orders?dry_run=false&market_type=swap&account=${again.account}`, fields);
    expect(placed.status).toBe(200);
    expect(engine.services.journal.list({ limit: 1 })[0]?.account).toBe('side');
  });

  it('a dry-run Close uses the simulated position', async () => {
    // 1.5 BTC at 60 000 is 90 000 USDT of margin at 1x: the simulated account must hold that much
    engine.services.strategies.update('dry', { dryRunBalance: 100_000 });
    const bought = await ui('POST', '/api/orders?dry_run=true&market_type=swap&account=default', { strategy: 'dry', exchange: 'bybit', order_type: 'Market', side: 'Buy', qty: 1.5, symbol: 'BTCUSDT', price: 60_000 });
    expect(bought.status).toBe(200);
    const answer = previewOf(await preview({ strategy: 'dry', side: 'Close', symbol: 'BTCUSDT', price: 61_000 }));
    expect(answer).toMatchObject({ dry_run: true, market: 'BTCUSDT', plan: 'Close: sell 1.5 to go from +1.5 to 0', position: { qty: '1.5', kind: 'position' } });
    expect(answer.orders).toEqual([{ side: 'sell', type: 'market', amount: '1.5', price: null, reduce_only: true }]);
  });

  it('answers 503 while trading is paused, as the order would', async () => {
    engine.services.setPaused(true);
    try {
      const call = await preview({ side: 'Buy', qty: 1 });
      expect(call.status).toBe(503);
      expect(call.json).toMatchObject({ ok: false, error: { code: 'trading_paused' } });
    } finally {
      engine.services.setPaused(false);
    }
  });

  it('needs the UI session', async () => {
    const call = await ui('POST', '/api/orders/preview', { strategy: 'perp', exchange: 'bybit', order_type: 'Market', symbol: 'ETHUSDT', side: 'Close' }, {});
    expect(call.status).toBe(401);
  });
});

describe('around the UI API', () => {
  it('switching a strategy off and on keeps its allow-list, limits and market type', async () => {
    const before = engine.services.strategies.find('dry_listed');
    for (const enabled of [false, true]) {
      const response = await fetch(`${engine.url}/api/strategies/dry_listed`, { method: 'PATCH', headers: { ...session, 'Content-Type': 'application/json' }, body: JSON.stringify({ enabled }) });
      expect(response.status).toBe(200);
    }
    const after = engine.services.strategies.find('dry_listed');
    expect({ ...after, updatedAt: '' }).toEqual({ ...before, updatedAt: '' });
  });

  it('an unknown /api path is a JSON 404, not the UI page', async () => {
    for (const method of ['GET', 'POST'] as const) {
      const answer = await ui(method, '/api/no-such-thing', method === 'POST' ? {} : undefined);
      expect(answer.status).toBe(404);
      expect(answer.type).toContain('application/json');
      expect(answer.json).toMatchObject({ ok: false, error: { code: 'not_found', message: `no such endpoint: ${method} /api/no-such-thing` } });
    }
    // A known path with the wrong method is still 405, and client-side routes still get the UI.
    expect((await ui('POST', '/api/markets', {})).status).toBe(405);
    const page = await ui('GET', '/strategies', undefined, { Cookie: cookie, Accept: 'text/html' });
    expect(page.status).toBe(200);
    expect(page.type).toContain('text/html');
  });

  it('a browser opening a page without a session gets a page saying how to get in; scripts get JSON', async () => {
    const accept = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
    for (const path of ['/', '/manual', '/?token=spent-or-made-up']) {
      const page = await ui('GET', path, undefined, { Accept: accept });
      expect(page.status).toBe(401);
      expect(page.type).toContain('text/html');
      expect(page.json).toContain('apisify ui');
      expect(page.json).toContain('Open apisify');
      expect(page.json).not.toContain('<script');
    }
    expect((await ui('GET', '/?token=x', undefined, { Accept: accept })).json).toContain('used already, or it has expired');
    const script = await ui('GET', '/', undefined, { Accept: '*/*' });
    expect(script.status).toBe(401);
    expect(script.json).toMatchObject({ ok: false, error: { code: 'session_required' } });
    const api = await ui('GET', '/api/status', undefined, { Accept: accept });
    expect(api.type).toContain('application/json');
  });
});

describe('the orders list', () => {
  it('names a limit or a cursor that is not a whole number, instead of failing', async () => {
    for (const query of ['limit=abc', 'limit=0', 'before=-3', 'before=1e3']) {
      const listed = await ui('GET', `/api/orders?${query}`);
      expect(listed.status, query).toBe(400);
      expect(listed.json).toMatchObject({ ok: false, error: { code: 'invalid_field', field: query.split('=')[0] } });
    }
    const page = await ui('GET', '/api/orders?limit=2');
    expect(page.status).toBe(200);
    expect((page.json as unknown[]).length).toBeLessThanOrEqual(2);
  });
});

describe('the UI event stream', () => {
  it('cuts a client that stops reading once its backlog passes the bound, instead of keeping every event for it', async () => {
    const { connect } = await import('node:net');
    const { port } = new URL(engine.url);
    const client = connect(Number(port), '127.0.0.1');
    await new Promise((resolve) => client.once('connect', resolve));
    client.write(`GET /api/events?session=${session['X-Apisify-Session']} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nCookie: ${cookie}\r\nAccept: text/event-stream\r\n\r\n`);
    const cut = new Promise<boolean>((resolve) => {
      client.once('close', () => resolve(true));
      client.on('error', () => undefined);
    });
    // Reads the answer's first bytes (the stream is open), then nothing more.
    await new Promise((resolve) => client.once('data', resolve));
    client.pause();
    const status = engine.services.status();
    const eventBytes = JSON.stringify({ type: 'status', status }).length + 8;
    // Well past the bound and whatever the kernel's socket buffers hold on both sides.
    const events = Math.ceil((SSE_BACKLOG_BYTES + 32 * 2 ** 20) / eventBytes);
    for (let sent = 0; sent < events; sent++) {
      engine.services.events.emit({ type: 'status', status });
      if (sent % 2_000 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    // Reading again, the client gets what was under way and then the end: not the rest of the events.
    let received = 0;
    client.on('data', (chunk: Buffer) => (received += chunk.length));
    client.resume();
    const timedOut = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 10_000).unref());
    expect(await Promise.race([cut, timedOut])).toBe(true);
    expect(received).toBeLessThan((events * eventBytes) / 2);
    client.destroy();
  });
});
