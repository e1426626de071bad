// The fake's books after thousands of orders, as `npm run bench` leaves them: lookups by id and
// by client id, duplicate refusals, open-order listings and their order, and funds held by open
// orders must not depend on how many finished orders lie around. The venue routes are called
// in-process (their handlers, without HTTP and signing, which the other tests cover) so that
// thousands of orders take milliseconds.

import { describe, expect, test } from 'vitest';
import { binanceProtocol } from './binance-routes.js';
import { ListenKeys } from './binance-socket.js';
import { bybitProtocol } from './bybit-routes.js';
import type { VenueProtocol } from './protocol.js';
import { VenueState } from './state.js';

const CREDS = { apiKey: 'key', secret: 'secret' };
const FILLED = 3_000;

interface Answer {
  status: number;
  body: unknown;
}

function caller(protocol: VenueProtocol) {
  return (method: 'GET' | 'POST' | 'DELETE', path: string, params: Record<string, string>): Answer => {
    const route = protocol.routes.find((r) => r.method === method && r.path === path);
    if (route === undefined) throw new Error(`no route ${method} ${path}`);
    const reply = route.handle({ method, path, rawQuery: '', rawBody: '', headers: {}, params });
    return { status: reply.status, body: JSON.parse(reply.body) as unknown };
  };
}

interface BybitBody {
  retCode: number;
  result: { orderId?: string; list?: { orderId: string; orderLinkId: string; orderStatus: string }[] };
}

function bybitBooks() {
  const state = new VenueState('bybit');
  for (const [coin, amount] of Object.entries({ USDT: 1e12, BTC: 1e6, ETH: 1e7 })) state.setWallet('unified', coin, amount);
  const call = caller(bybitProtocol(state, CREDS));
  const bybit = (method: 'GET' | 'POST', path: string, params: Record<string, string>): BybitBody => call(method, path, params).body as BybitBody;
  const linkIds = (body: BybitBody): string[] => (body.result.list ?? []).map((o) => o.orderLinkId);
  const rest = (orderLinkId: string, price: string): BybitBody =>
    bybit('POST', '/v5/order/create', { category: 'linear', symbol: 'BTCUSDT', side: 'Buy', orderType: 'Limit', qty: '0.001', price, orderLinkId });
  // resting buys far below the price, placed first, midway and last among the market orders (the bench's mix)
  expectAccepted(rest('rest-a', '30000'));
  for (let n = 0; n < FILLED; n++) {
    const { category, symbol, qty, ...extra } = BYBIT_MARKETS[n % BYBIT_MARKETS.length] as (typeof BYBIT_MARKETS)[number];
    const side = Math.floor(n / BYBIT_MARKETS.length) % 2 === 0 ? 'Buy' : 'Sell';
    expectAccepted(bybit('POST', '/v5/order/create', { category, symbol, side, orderType: 'Market', qty, orderLinkId: `fill-${n}`, ...extra }));
    if (n === FILLED / 2) expectAccepted(rest('rest-b', '31000'));
  }
  expectAccepted(rest('rest-c', '32000'));
  return { state, bybit, linkIds, rest };
}

function expectAccepted(body: BybitBody): void {
  if (body.retCode !== 0) throw new Error(`order refused: ${JSON.stringify(body)}`);
}

const BYBIT_MARKETS = [
  { category: 'linear', symbol: 'BTCUSDT', qty: '0.001' },
  { category: 'linear', symbol: 'ETHUSDT', qty: '0.01' },
  { category: 'inverse', symbol: 'BTCUSD', qty: '100' },
  { category: 'spot', symbol: 'BTCUSDT', qty: '0.001', marketUnit: 'baseCoin' },
  { category: 'spot', symbol: 'ETHUSDT', qty: '0.01', marketUnit: 'baseCoin' },
] as const;

describe('bybit after thousands of filled orders', () => {
  test('a reused orderLinkId is refused however old its order (110072 contracts, 170141 spot)', () => {
    const { state, bybit } = bybitBooks();
    expect(bybit('POST', '/v5/order/create', { category: 'linear', symbol: 'BTCUSDT', side: 'Buy', orderType: 'Market', qty: '0.001', orderLinkId: 'fill-0' }).retCode).toBe(110072);
    expect(
      bybit('POST', '/v5/order/create', { category: 'spot', symbol: 'BTCUSDT', side: 'Buy', orderType: 'Market', qty: '0.001', marketUnit: 'baseCoin', orderLinkId: 'fill-3' }).retCode,
    ).toBe(170141);
    expect(state.orders).toHaveLength(FILLED + 3);
  });

  test('realtime finds a filled order by orderLinkId or orderId among thousands, in its category only', () => {
    const { bybit, linkIds } = bybitBooks();
    const byLink = bybit('GET', '/v5/order/realtime', { category: 'inverse', orderLinkId: 'fill-1232' });
    expect(byLink.result.list).toMatchObject([{ orderLinkId: 'fill-1232', orderStatus: 'Filled' }]);
    const orderId = byLink.result.list?.[0]?.orderId ?? '';
    expect(linkIds(bybit('GET', '/v5/order/realtime', { category: 'inverse', orderId }))).toEqual(['fill-1232']);
    expect(linkIds(bybit('GET', '/v5/order/realtime', { category: 'linear', orderId }))).toEqual([]);
    expect(linkIds(bybit('GET', '/v5/order/realtime', { category: 'linear', orderLinkId: 'fill-1232' }))).toEqual([]);
    expect(linkIds(bybit('GET', '/v5/order/history', { category: 'inverse', orderLinkId: 'fill-1232' }))).toEqual(['fill-1232']);
  });

  test('open orders are listed newest first; cancelled and crossed ones leave the list, not the history', () => {
    const { state, bybit, linkIds, rest } = bybitBooks();
    expect(linkIds(bybit('GET', '/v5/order/realtime', { category: 'linear', symbol: 'BTCUSDT' }))).toEqual(['rest-c', 'rest-b', 'rest-a']);
    expect(linkIds(bybit('GET', '/v5/order/realtime', { category: 'linear', settleCoin: 'USDT' }))).toEqual(['rest-c', 'rest-b', 'rest-a']);
    expect(linkIds(bybit('GET', '/v5/order/realtime', { category: 'spot' }))).toEqual([]);
    expect(bybit('POST', '/v5/order/cancel', { category: 'linear', symbol: 'BTCUSDT', orderLinkId: 'rest-b' }).retCode).toBe(0);
    // a price at 31 500 crosses rest-c (32 000) only
    const linear = state.market('BTCUSDT', 'linear');
    if (linear === undefined) throw new Error('no linear BTCUSDT');
    state.setPrice(linear, 31_500);
    expect(linkIds(bybit('GET', '/v5/order/realtime', { category: 'linear', symbol: 'BTCUSDT' }))).toEqual(['rest-a']);
    expect(bybit('GET', '/v5/order/history', { category: 'linear', orderLinkId: 'rest-b' }).result.list).toMatchObject([{ orderStatus: 'Cancelled' }]);
    expect(bybit('GET', '/v5/order/history', { category: 'linear', orderLinkId: 'rest-c' }).result.list).toMatchObject([{ orderStatus: 'Filled' }]);
    // a cancelled order's link id stays taken on Bybit
    expect(rest('rest-b', '30000').retCode).toBe(110072);
    // only rest-a holds margin now: 0.001 * 30 000 / 10
    const wallet = bybit('GET', '/v5/account/wallet-balance', { accountType: 'UNIFIED', coin: 'USDT' }).result as unknown as {
      list: { coin: { totalOrderIM: string }[] }[];
    };
    expect(wallet.list[0]?.coin[0]?.totalOrderIM).toBe('3');
  });

  test('history without an id lists every finished order of the category, newest first', () => {
    const { bybit, linkIds } = bybitBooks();
    const inverse = linkIds(bybit('GET', '/v5/order/history', { category: 'inverse' }));
    const expected = Array.from({ length: FILLED }, (_, n) => n)
      .filter((n) => n % BYBIT_MARKETS.length === 2)
      .map((n) => `fill-${n}`)
      .reverse();
    expect(inverse).toEqual(expected);
  });
});

interface BinanceOrder {
  orderId: number;
  clientOrderId: string;
  status: string;
  symbol: string;
}

function binanceBooks() {
  const state = new VenueState('binance');
  state.setWallet('spot', 'USDT', 1e12);
  state.setWallet('spot', 'BTC', 1e6);
  state.setWallet('futures', 'USDT', 1e12);
  const call = caller(binanceProtocol(state, CREDS, new ListenKeys()));
  const order = (base: '/api/v3' | '/fapi/v1', params: Record<string, string>): Answer => call('POST', `${base}/order`, params);
  const limit = (base: '/api/v3' | '/fapi/v1', symbol: string, quantity: string, price: string, newClientOrderId: string): Answer =>
    order(base, { symbol, side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity, price, newClientOrderId });
  const ids = (answer: Answer): string[] => (answer.body as BinanceOrder[]).map((o) => o.clientOrderId);
  const accepted = (answer: Answer): void => {
    if (answer.status !== 200) throw new Error(`order refused: ${JSON.stringify(answer.body)}`);
  };

  accepted(limit('/fapi/v1', 'BTCUSDT', '0.002', '50000', 'lim-1'));
  for (let n = 0; n < FILLED; n++) {
    const spot = n % 2 === 0;
    const side = Math.floor(n / 2) % 2 === 0 ? 'BUY' : 'SELL';
    accepted(order(spot ? '/api/v3' : '/fapi/v1', { symbol: 'BTCUSDT', side, type: 'MARKET', quantity: spot ? '0.001' : '0.002', newClientOrderId: `m-${n}` }));
    if (n === 1000) accepted(limit('/fapi/v1', 'ETHUSDT', '0.05', '2500', 'lim-eth'));
    if (n === 2000) accepted(limit('/api/v3', 'BTCUSDT', '0.001', '40000', 'lim-spot'));
  }
  accepted(limit('/fapi/v1', 'BTCUSDT', '0.002', '51000', 'lim-2'));
  return { call, order, limit, ids };
}

describe('binance after thousands of filled orders', () => {

  test('open client ids are refused (-4116 futures, -2010 spot); finished ones may be reused and then name the newest', () => {
    const { call, order, limit } = binanceBooks();
    expect(limit('/fapi/v1', 'BTCUSDT', '0.002', '50000', 'lim-1').body).toEqual({ code: -4116, msg: 'ClientOrderId is duplicated.' });
    expect(limit('/api/v3', 'BTCUSDT', '0.001', '40000', 'lim-spot').body).toEqual({ code: -2010, msg: 'Duplicate order sent.' });
    const old = call('GET', '/fapi/v1/order', { symbol: 'BTCUSDT', origClientOrderId: 'm-11' }).body as BinanceOrder;
    expect(old).toMatchObject({ clientOrderId: 'm-11', status: 'FILLED' });
    const again = order('/fapi/v1', { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.002', newClientOrderId: 'm-11' });
    expect(again.status).toBe(200);
    const found = call('GET', '/fapi/v1/order', { symbol: 'BTCUSDT', origClientOrderId: 'm-11' }).body as BinanceOrder;
    expect(found.orderId).toBe((again.body as BinanceOrder).orderId);
    expect(found.orderId).toBeGreaterThan(old.orderId);
    // the older one is still there by its own id
    expect(call('GET', '/fapi/v1/order', { symbol: 'BTCUSDT', orderId: String(old.orderId) }).body).toMatchObject({ clientOrderId: 'm-11' });
    // an order id with another symbol's market is not found
    expect(call('GET', '/fapi/v1/order', { symbol: 'ETHUSDT', orderId: String(old.orderId) }).body).toEqual({ code: -2013, msg: 'Order does not exist.' });
  });

  test('open orders are listed oldest first, per symbol or across symbols, one section only', () => {
    const { call, ids } = binanceBooks();
    expect(ids(call('GET', '/fapi/v1/openOrders', { symbol: 'BTCUSDT' }))).toEqual(['lim-1', 'lim-2']);
    expect(ids(call('GET', '/fapi/v1/openOrders', {}))).toEqual(['lim-1', 'lim-eth', 'lim-2']);
    expect(ids(call('GET', '/api/v3/openOrders', {}))).toEqual(['lim-spot']);
    expect(call('GET', '/fapi/v1/openOrder', { symbol: 'BTCUSDT', origClientOrderId: 'm-1' }).body).toEqual({ code: -2013, msg: 'Order does not exist.' });
    // only the resting spot buy holds USDT: 0.001 * 40 000
    const account = call('GET', '/api/v3/account', {}).body as { balances: { asset: string; locked: string }[] };
    expect(account.balances.find((b) => b.asset === 'USDT')?.locked).toBe('40.00000000');
  });

  test('cancelling all on one symbol leaves the others, and frees their client ids', () => {
    const { call, limit, ids } = binanceBooks();
    expect(call('DELETE', '/fapi/v1/allOpenOrders', { symbol: 'BTCUSDT' }).status).toBe(200);
    expect(ids(call('GET', '/fapi/v1/openOrders', {}))).toEqual(['lim-eth']);
    expect(limit('/fapi/v1', 'BTCUSDT', '0.002', '50000', 'lim-1').status).toBe(200);
    expect(ids(call('GET', '/fapi/v1/openOrders', {}))).toEqual(['lim-eth', 'lim-1']);
    const cancelled = call('DELETE', '/api/v3/openOrders', { symbol: 'BTCUSDT' }).body as { origClientOrderId: string; status: string }[];
    expect(cancelled).toMatchObject([{ origClientOrderId: 'lim-spot', status: 'CANCELED' }]);
    expect(ids(call('GET', '/api/v3/openOrders', { symbol: 'BTCUSDT' }))).toEqual([]);
  });
});
