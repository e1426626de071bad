// The exchange edge as users run it: `apisify serve` with its request scheduler on (the exchanges'
// published limits), against fake exchanges that enforce those limits and answer after a network round
// trip. For each side on each exchange: the time from a request's arrival to its create leaving the
// engine, and the requests the engine made before it; for a burst of orders on many symbols, the time
// until the last create left, beside what the exchange's limits require.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OrderResponse } from '../shared/api-response.js';
import { apisify } from './apisify-cli.js';
import type { ArrivedRequest } from './fake-exchange-messages.js';
import type { FakeExchangeProcess } from './fake-exchange-process.js';
import type { ApiKey } from './setup.js';
import { EXCHANGE_CREDENTIALS } from './setup.js';
import { SignedOrderClient } from './signed-orders.js';
import { startLoopbackRelay } from './loopback-relay.js';
import { percentile } from './stats.js';

export type EdgeExchange = 'bybit' | 'binance';
export const EDGE_SIDES = ['Buy', 'Sell', 'Close', 'Sarbuy', 'Sarsell', 'Limit'] as const;
export type EdgeSide = (typeof EDGE_SIDES)[number];

export const EDGE_STRATEGY = 'edge_swap';

/** Where each exchange's creates go, and its published limit on them (what a burst must wait for). */
const CREATE_PATH: Record<EdgeExchange, string> = { bybit: '/v5/order/create', binance: '/fapi/v1/order' };
/**
 * Reads the engine makes in the background, for no order's sake (an earlier fill's trades, a markets
 * refresh): when one lands between a request and its create it is counted apart, since the create did
 * not wait for it (the scheduler admits orders first).
 */
const BACKGROUND_PATHS: Record<EdgeExchange, readonly string[]> = {
  bybit: ['/v5/execution/list', '/v5/market/instruments-info'],
  binance: ['/fapi/v1/userTrades', '/fapi/v1/exchangeInfo'],
};
const CREATE_LIMIT: Record<EdgeExchange, { perWindow: number; windowMs: number }> = {
  // Bybit: 10 creates a second per UID on derivatives
  bybit: { perWindow: 10, windowMs: 1_000 },
  // Binance USDⓈ-M: 300 orders per 10 s per account
  binance: { perWindow: 300, windowMs: 10_000 },
};

/** A data dir with one live swap strategy trading both exchanges, each account pointed at its fake. */
export async function prepareEdgeDataDir(fakes: Record<EdgeExchange, FakeExchangeProcess>): Promise<{ dataDir: string; key: ApiKey }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'apisify-bench-edge-'));
  const key = JSON.parse(await apisify(dataDir, ['keys', 'create', '--label', 'bench-edge', '--json'])) as ApiKey;
  await apisify(dataDir, ['strategy', 'add', EDGE_STRATEGY, '--mode', 'live', '--market-type', 'swap', '--exchanges', 'bybit,binance']);
  await apisify(dataDir, ['settings', 'set', 'keyRatePerSecond', '0', 'addressRatePerSecond', '0']);
  for (const exchange of ['bybit', 'binance'] as const) {
    await apisify(dataDir, ['exchange', 'set', exchange, '--api-key', EXCHANGE_CREDENTIALS.apiKey, '--secret', '-', '--base-url', fakes[exchange].url], EXCHANGE_CREDENTIALS.secret);
  }
  return { dataDir, key };
}

export interface SideFigures {
  samples: number;
  /** Request handed to the socket (after the bot signed it) to its create arriving at the fake, in ms. */
  p50Ms: number;
  p99Ms: number;
  /** The engine's own share of p50Ms: less the exchange's loopback floor (two hops with nothing between). */
  ownP50Ms: number;
  /** Other requests the fake received from the engine between the two, on average and at most. */
  extraRequestsMean: number;
  extraRequestsMax: number;
  /** Of the requests between the two, the background reads (BACKGROUND_PATHS), on average: not counted above. */
  backgroundRequestsMean: number;
}

/** Two loopback hops with a bare relay between them (loopback-relay.ts), timed as the engine is. */
export interface LoopbackFloor {
  samples: number;
  p50Ms: number;
  p99Ms: number;
}

export interface EdgeLatency {
  roundTripMs: number;
  cycles: number;
  bySide: Record<EdgeExchange, Record<EdgeSide, SideFigures>>;
  loopbackFloor: Record<EdgeExchange, LoopbackFloor>;
  /** Orders that did not fill (so their figure would measure something else). */
  failures: string[];
}

interface Step {
  side: EdgeSide;
  fields: Record<string, unknown>;
}

/**
 * One cycle from flat back to flat, so every Close and SAR has something to do: Buy, Sell twice the
 * size (short), Close, Sarbuy (long), Sarsell (short), Close, a marketable Limit Buy (fills), Close.
 */
function cycleOf(exchange: EdgeExchange, price: number): Step[] {
  const qty = 0.01;
  const base = { strategy: EDGE_STRATEGY, exchange, symbol: 'BTCUSDT', order_type: 'Market' };
  return [
    { side: 'Buy', fields: { ...base, side: 'Buy', qty } },
    { side: 'Sell', fields: { ...base, side: 'Sell', qty: 2 * qty } },
    { side: 'Close', fields: { ...base, side: 'Close' } },
    { side: 'Sarbuy', fields: { ...base, side: 'Sarbuy', qty } },
    { side: 'Sarsell', fields: { ...base, side: 'Sarsell', qty } },
    { side: 'Close', fields: { ...base, side: 'Close' } },
    { side: 'Limit', fields: { ...base, side: 'Buy', order_type: 'Limit', qty, price: Math.round(price * 1.02) } },
    { side: 'Close', fields: { ...base, side: 'Close' } },
  ];
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
const epochNow = () => performance.timeOrigin + performance.now();

function clientOrderIdOf(body: OrderResponse | null): string | null {
  if (!body || !body.ok) return null;
  return body.order.orders[0]?.client_order_id ?? null;
}

/** Keeps reading a fake's requests as they come, for the bench to find each order's create among them. */
class RequestLog {
  readonly all: ArrivedRequest[] = [];
  constructor(private readonly fake: FakeExchangeProcess) {}
  async catchUp(): Promise<void> {
    this.all.push(...(await this.fake.requests(this.all.length)));
  }
}

/**
 * Each side in turn, one order at a time and a quarter second apart (four creates a second, far below
 * either exchange's limit, so the scheduler never holds one: this is the engine's own time). Both
 * exchanges run at once, each on its own fake, Binance's orders half a gap after Bybit's: each order
 * is timed alone, as the figure says, not racing the other exchange's for the same millisecond.
 */
export async function measureEdgeLatency(options: { client: SignedOrderClient; fakes: Record<EdgeExchange, FakeExchangeProcess>; cycles: number; roundTripMs: number; price: number }): Promise<EdgeLatency> {
  const failures: string[] = [];
  const run = async (exchange: EdgeExchange) => {
    if (exchange === 'binance') await sleep(GAP_MS / 2);
    const log = new RequestLog(options.fakes[exchange]);
    const samples: Record<EdgeSide, Sample[]> = { Buy: [], Sell: [], Close: [], Sarbuy: [], Sarsell: [], Limit: [] };
    // one warm-up cycle: the account's stream connects and the symbol's position becomes known
    for (const step of cycleOf(exchange, options.price)) await options.client.send(step.fields);
    for (let cycle = 0; cycle < options.cycles; cycle++) {
      for (const step of cycleOf(exchange, options.price)) {
        await log.catchUp();
        const seen = log.all.length;
        const answer = await options.client.send(step.fields);
        const sentAt = answer.writtenAt;
        const clientOrderId = clientOrderIdOf(answer.body);
        const status = answer.body?.ok ? answer.body.order.status : null;
        if (!clientOrderId || status !== 'filled') {
          failures.push(`${exchange} ${step.side}: ${answer.status} ${JSON.stringify(answer.body).slice(0, 200)}`);
        } else {
          await log.catchUp();
          const since = log.all.slice(seen);
          const create = since.find((request) => request.path === CREATE_PATH[exchange] && request.method === 'POST' && request.clientOrderId === clientOrderId);
          if (!create) failures.push(`${exchange} ${step.side}: the fake has no create for ${clientOrderId}`);
          else {
            const between = since.filter((request) => request !== create && request.at >= sentAt && request.at < create.at);
            const background = between.filter((request) => BACKGROUND_PATHS[exchange].includes(request.path)).length;
            samples[step.side].push({ ms: create.at - sentAt, extra: between.length - background, background });
          }
        }
        await sleep(GAP_MS);
      }
    }
    return samples;
  };
  const [bybit, binance] = await Promise.all([run('bybit'), run('binance')]);
  const loopbackFloor = { bybit: await measureLoopbackFloor(options.fakes.bybit, 'bybit'), binance: await measureLoopbackFloor(options.fakes.binance, 'binance') };
  const bySideOf = (exchange: EdgeExchange, samples: Record<EdgeSide, Sample[]>) =>
    Object.fromEntries(EDGE_SIDES.map((side) => [side, figuresOf(samples[side], loopbackFloor[exchange])])) as Record<EdgeSide, SideFigures>;
  return { roundTripMs: options.roundTripMs, cycles: options.cycles, bySide: { bybit: bySideOf('bybit', bybit), binance: bySideOf('binance', binance) }, loopbackFloor, failures };
}

const GAP_MS = 250;
const FLOOR_SAMPLES = 60;

/** The same path with a bare relay for the engine: request handed to the socket to a create arriving at the fake. */
async function measureLoopbackFloor(fake: FakeExchangeProcess, exchange: EdgeExchange): Promise<LoopbackFloor> {
  const relay = await startLoopbackRelay(new URL(CREATE_PATH[exchange], fake.url).href, exchange === 'bybit' ? 'json' : 'form');
  const client = new SignedOrderClient(relay.url, { apikey: 'loopback-floor', secret: 'loopback-floor' });
  const log = new RequestLog(fake);
  const times: number[] = [];
  try {
    for (let index = 0; index < FLOOR_SAMPLES + 5; index++) {
      const clientOrderId = `loopback-floor-${exchange}-${index}`;
      const answer = await client.send({ clientOrderId });
      await log.catchUp();
      const create = log.all.find((request) => request.clientOrderId === clientOrderId);
      // the first few warm the sockets and the relay's code, as the engine's warm-up cycle does
      if (create && index >= 5) times.push(create.at - answer.writtenAt);
      await sleep(20);
    }
  } finally {
    client.close();
    await relay.close();
  }
  return { samples: times.length, p50Ms: percentile(times, 50), p99Ms: percentile(times, 99) };
}

interface Sample {
  ms: number;
  extra: number;
  background: number;
}

const meanOf = (values: readonly number[]) => (values.length ? values.reduce((sum, value) => sum + value, 0) / values.length : Number.NaN);

function figuresOf(samples: readonly Sample[], floor: LoopbackFloor): SideFigures {
  const extras = samples.map((sample) => sample.extra);
  const p50Ms = percentile(samples.map((sample) => sample.ms), 50);
  return {
    samples: samples.length,
    p50Ms,
    ownP50Ms: p50Ms - floor.p50Ms,
    p99Ms: percentile(samples.map((sample) => sample.ms), 99),
    extraRequestsMean: meanOf(extras),
    extraRequestsMax: extras.length ? Math.max(...extras) : Number.NaN,
    backgroundRequestsMean: meanOf(samples.map((sample) => sample.background)),
  };
}

export interface BurstFigures {
  orders: number;
  symbols: number;
  /** From the first request sent to the last create arriving at the fake. */
  lastCreateMs: number;
  /** From the first request sent to the first create arriving: what the engine spent before any left. */
  firstCreateMs: number;
  /**
   * What keeping each symbol's orders in arrival order costs at least: an order waits for the answer
   * to the one before it on its symbol (the planner decides from the position that answer leaves), so
   * a symbol's k-th order leaves k-1 round trips after its first.
   */
  inOrderFloorMs: number;
  /** From the first request sent to the last one handed to its socket: the bot's own share of the burst (it signs each). */
  lastSentMs: number;
  /** What the exchange's published create limit alone makes the last one wait. */
  limitFloorMs: number;
  /**
   * The same with each window starting one round trip late: the scheduler counts a create from when it
   * leaves until a window after its answer, since it cannot see when the exchange counted it.
   */
  countedFloorMs: number;
  /** Orders answered 2xx. */
  answered: number;
}

/** `orders` Market orders spread over `symbols` of the fake's extra markets (A1USDT...), all sent at once. */
export async function measureBurst(options: { client: SignedOrderClient; fake: FakeExchangeProcess; exchange: EdgeExchange; orders: number; symbols: number; roundTripMs: number }): Promise<BurstFigures> {
  const log = new RequestLog(options.fake);
  await log.catchUp();
  const seen = log.all.length;
  const sentAt = epochNow();
  const answers = await Promise.all(
    Array.from({ length: options.orders }, (_, index) =>
      options.client.send({ strategy: EDGE_STRATEGY, exchange: options.exchange, symbol: `A${(index % options.symbols) + 1}USDT`, order_type: 'Market', side: 'Buy', qty: 1 }),
    ),
  );
  const ids = new Set(answers.map((answer) => clientOrderIdOf(answer.body)).filter((id): id is string => id !== null));
  // Answers past the engine's wait bound (202) come before their creates left: wait for the last one.
  const createsOf = () => log.all.slice(seen).filter((request) => request.path === CREATE_PATH[options.exchange] && request.method === 'POST' && request.clientOrderId !== null && ids.has(request.clientOrderId));
  const deadline = performance.now() + 60_000;
  await log.catchUp();
  while (createsOf().length < ids.size && performance.now() < deadline) {
    await sleep(100);
    await log.catchUp();
  }
  const creates = createsOf();
  const limit = CREATE_LIMIT[options.exchange];
  const windowsWaited = Math.max(0, Math.ceil(options.orders / limit.perWindow) - 1);
  return {
    orders: options.orders,
    symbols: options.symbols,
    lastCreateMs: creates.length === options.orders ? Math.max(...creates.map((request) => request.at)) - sentAt : Number.NaN,
    firstCreateMs: creates.length > 0 ? Math.min(...creates.map((request) => request.at)) - sentAt : Number.NaN,
    inOrderFloorMs: (Math.ceil(options.orders / options.symbols) - 1) * options.roundTripMs,
    lastSentMs: Math.max(...answers.map((answer) => answer.writtenAt)) - sentAt,
    limitFloorMs: windowsWaited * limit.windowMs,
    countedFloorMs: windowsWaited * (limit.windowMs + options.roundTripMs),
    // answered at all (2xx): a 202 is an order still under way, which the count of creates settles
    answered: answers.filter((answer) => answer.body?.ok === true).length,
  };
}
