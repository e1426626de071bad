import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { DATABASE_FILE } from '../../main/engine/store/database.js';
import { startFakeExchange, type FakeExchange } from '../fake-exchange/index.js';
import { apisify, createKey, type IssuedKey, type RunningServer, startServer, tempDataDir } from '../support/apisify-process.js';

const require = createRequire(import.meta.url);
const Sqlite = require('better-sqlite3') as typeof BetterSqlite3;

const EXCHANGE_KEY = 'fake-exchange-key-0123456789';
const EXCHANGE_SECRET = 'fake-exchange-secret-abcdefghijklmnop';

/** The strategy every abuse test aims at: live, so an order that got through would reach the fake exchange. */
export const LIVE_STRATEGY = 'live';
/** Live on Bybit too, with limits for shaped orders to break: at most 1 per order, at most 200x from a request (above the market's 100x). */
export const SHAPED_STRATEGY = 'shaped';
/**
 * Live on Binance spot (a fake of its own), where leverage, protection and short targets are refused.
 * Not on the Bybit account: there the spot and contract instances share one account stream, and
 * engine.stop() leaves the other instance's ticker stream open, so `apisify serve` would not exit.
 */
export const SPOT_STRATEGY = 'spot';

/** A valid order for the rig: the corpus and the property runs mutate it; sent as is, it fills. */
export const VALID_ORDER = {
  strategy: LIVE_STRATEGY,
  exchange: 'bybit',
  order_type: 'Market',
  qty: 0.01,
  side: 'Buy',
  symbol: 'BTCUSDT',
  memo: 'abuse test',
} as const;

/**
 * One real `apisify serve` (configured through the CLI, as a user would) with live strategies on
 * Bybit pointed at a local fake exchange (LIVE_STRATEGY, SHAPED_STRATEGY, SPOT_STRATEGY), a signing
 * API key and a TradingView key.
 */
export interface AbuseRig {
  server: RunningServer;
  fake: FakeExchange;
  key: IssuedKey;
  tradingViewKey: IssuedKey;
  orderUrl: string;
  /**
   * REST requests the fake exchanges (Bybit, and Binance for the spot strategy) received since the
   * rig was ready: the engine readies its live accounts at start (markets, clock, last prices, the
   * account's stream), and after that only an order that got through would reach an exchange.
   */
  exchangeRequests(): number;
  /** Rows in the order journal (orders and their legs), read from the SQLite file. */
  journalRows(): number;
  /** Refused /v1/order requests in the signal log. */
  refusedRows(): number;
  /** The newest refusals in the signal log, newest first. */
  refused(limit: number): { status: number; code: string; field: string | null }[];
  /** The journaled orders, oldest first. */
  orders(): { strategy: string; memo: string | null; status: string }[];
  /** Everything a request could change (settings, keys, strategies, exchange accounts, orders, positions), as text to compare. */
  stateSnapshot(): string;
  /** The engine's log file, one parsed JSON line each. */
  logLines(): { level: string; message: string; [field: string]: unknown }[];
  stop(): Promise<void>;
}

export async function startAbuseRig(serveArgs: string[] = []): Promise<AbuseRig> {
  const dataDir = tempDataDir();
  const fake = await startFakeExchange({ venue: 'bybit', apiKey: EXCHANGE_KEY, secret: EXCHANGE_SECRET });
  fake.setBalance('USDT', 1_000_000);
  const spotFake = await startFakeExchange({ venue: 'binance', apiKey: EXCHANGE_KEY, secret: EXCHANGE_SECRET });
  await cli(dataDir, ['strategy', 'add', LIVE_STRATEGY, '--mode', 'live']);
  await cli(dataDir, ['strategy', 'add', SHAPED_STRATEGY, '--mode', 'live', '--max-qty', '1', '--max-leverage', '200']);
  await cli(dataDir, ['strategy', 'add', SPOT_STRATEGY, '--mode', 'live', '--market-type', 'spot', '--exchanges', 'binance']);
  await cli(dataDir, ['exchange', 'set', 'bybit', '--api-key', EXCHANGE_KEY, '--secret', '-', '--base-url', fake.url], EXCHANGE_SECRET);
  await cli(dataDir, ['exchange', 'set', 'binance', '--api-key', EXCHANGE_KEY, '--secret', '-', '--base-url', spotFake.url], EXCHANGE_SECRET);
  const key = await createKey(dataDir);
  const tradingViewKey = await createKey(dataDir, '--tradingview', '--all-strategies');
  // Hundreds of refusals from one address in seconds: the rate limits (tested in rate-limit.test.ts) would answer 429 first.
  await cli(dataDir, ['settings', 'set', 'keyRatePerSecond', '0', 'addressRatePerSecond', '0']);
  const server = await startServer(dataDir, serveArgs);
  const [baseline, spotBaseline] = await Promise.all([settledRequestCount(fake), settledRequestCount(spotFake)]);
  const db = new Sqlite(join(dataDir, DATABASE_FILE), { readonly: true, fileMustExist: true });
  const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
  return {
    server,
    fake,
    key,
    tradingViewKey,
    orderUrl: `${server.url}/v1/order`,
    exchangeRequests: () => fake.requestCount() - baseline + (spotFake.requestCount() - spotBaseline),
    journalRows: () => count('SELECT (SELECT count(*) FROM orders) + (SELECT count(*) FROM order_legs) AS n'),
    refusedRows: () => count("SELECT count(*) AS n FROM signals WHERE outcome = 'refused'"),
    refused: (limit) => db.prepare("SELECT status, code, field FROM signals WHERE outcome = 'refused' ORDER BY id DESC LIMIT ?").all(limit) as { status: number; code: string; field: string | null }[],
    orders: () => db.prepare('SELECT strategy, memo, status FROM orders ORDER BY id').all() as { strategy: string; memo: string | null; status: string }[],
    stateSnapshot: () =>
      JSON.stringify(['settings', 'api_keys', 'strategies', 'exchange_accounts', 'orders', 'order_legs', 'dry_run_positions', 'dry_run_balances', 'dry_run_orders'].map((table) => db.prepare(`SELECT * FROM ${table} ORDER BY rowid`).all())),
    logLines: () => {
      const file = join(dataDir, 'logs', 'apisify.log');
      if (!existsSync(file)) return [];
      return readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as { level: string; message: string });
    },
    async stop() {
      db.close();
      await server.stop();
      await Promise.all([fake.close(), spotFake.close()]);
    },
  };
}

/** The fake's request count once the engine's start-up requests have come (none new for half a second). */
async function settledRequestCount(fake: FakeExchange): Promise<number> {
  let last = -1;
  let stableSince = Date.now();
  const until = Date.now() + 15_000;
  while (Date.now() < until) {
    const now = fake.requestCount();
    if (now !== last) {
      last = now;
      stableSince = Date.now();
    } else if (Date.now() - stableSince >= 500 && now > 0) {
      return now;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return last;
}

async function cli(dataDir: string, args: string[], input?: string): Promise<void> {
  const result = await apisify(dataDir, args, input === undefined ? {} : { input });
  if (result.code !== 0) throw new Error(`apisify ${args.join(' ')} failed: ${result.stderr}`);
}
