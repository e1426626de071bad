// extraMarkets: more linear perpetuals on both venues, listed by real ccxt with their filters, each
// at its own price, and traded in a burst of 50 orders over 25 symbols; and the fake in its own
// process (process.ts, forked as the bench forks it) taking every start option.

import { fork } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { afterAll, afterEach, describe, expect, test } from 'vitest';
import { API_KEY, binanceUsdmClient, bybitClient, SECRET } from './ccxt-client.js';
import { startFakeExchange, type FakeExchange, type Venue } from './index.js';
import type { ProcessReport, ProcessStart } from './process.js';

let fake: FakeExchange | undefined;

afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

interface Trader {
  loadMarkets(): Promise<Record<string, unknown>>;
  fetchTicker(symbol: string): Promise<{ last?: number | undefined }>;
  createOrder(symbol: string, type: 'market', side: 'buy', amount: number): Promise<unknown>;
}

const CASES: { venue: Venue; client: (f: FakeExchange) => Trader; usual: number }[] = [
  { venue: 'bybit', client: (f) => bybitClient(f, { options: { enableUnifiedAccount: true, enableUnifiedMargin: false } }), usual: 5 },
  { venue: 'binance', client: (f) => binanceUsdmClient(f), usual: 2 },
];

describe.each(CASES)('$venue', ({ venue, client, usual }) => {
  test('25 extra perpetuals: listed with their filters and prices, and 50 orders at once over them all fill', async () => {
    fake = await startFakeExchange({ venue, apiKey: API_KEY, secret: SECRET, extraMarkets: 25 });
    fake.setBalance('USDT', 100_000);
    const ex = client(fake);
    const markets = await ex.loadMarkets();
    const extras = Object.keys(markets).filter((symbol) => /^A\d+\/USDT:USDT$/.test(symbol));
    expect(extras).toHaveLength(25);
    expect(Object.keys(markets)).toHaveLength(usual + 25);
    expect(markets['A7/USDT:USDT']).toMatchObject({ id: 'A7USDT', precision: { amount: 0.1, price: 0.001 }, limits: { cost: { min: 5 } } });
    expect((await ex.fetchTicker('A1/USDT:USDT')).last).toBe(11);
    expect((await ex.fetchTicker('A25/USDT:USDT')).last).toBe(35);

    const symbols = Array.from({ length: 25 }, (_, i) => `A${i + 1}/USDT:USDT`);
    await Promise.all([...symbols, ...symbols].map((symbol) => ex.createOrder(symbol, 'market', 'buy', 1)));
    expect(fake.createdOrders().filter((order) => order.status === 'filled')).toHaveLength(50);
    expect(fake.positions()).toHaveLength(25);
    expect(fake.positions().find((p) => p.symbol === 'A3USDT')).toMatchObject({ qty: 2, entryPrice: 13 });
  });
});

test('extraMarkets must be a whole number up to 500', async () => {
  await expect(startFakeExchange({ venue: 'bybit', apiKey: API_KEY, secret: SECRET, extraMarkets: 1.5 })).rejects.toThrow(/extraMarkets/);
  await expect(startFakeExchange({ venue: 'bybit', apiKey: API_KEY, secret: SECRET, extraMarkets: 501 })).rejects.toThrow(/extraMarkets/);
});

describe('the fake in its own process', () => {
  // process.ts and the fake's modules as plain JavaScript (types are checked by tsc -p test/tsconfig.json;
  // transpiling alone keeps this test's CPU small), beside the project's node_modules
  const root = resolve(import.meta.dirname, '../..');
  const out = mkdtempSync(join(tmpdir(), 'fake-process-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  test('takes every start option: rate limits, round trip, extra markets, clock offset', async () => {
    symlinkSync(join(root, 'node_modules'), join(out, 'node_modules'));
    writeFileSync(join(out, 'package.json'), JSON.stringify({ type: 'module' }));
    mkdirSync(join(out, 'test/fake-exchange'), { recursive: true });
    for (const file of readdirSync(import.meta.dirname).filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'))) {
      const source = readFileSync(join(import.meta.dirname, file), 'utf8');
      const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 }, fileName: file });
      writeFileSync(join(out, 'test/fake-exchange', file.replace(/\.ts$/, '.js')), outputText);
    }
    const child = fork(join(out, 'test/fake-exchange/process.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    const next = <T>(): Promise<T> => new Promise<T>((done) => child.once('message', (message) => done(message as T)));
    try {
      const start: ProcessStart = {
        type: 'start',
        venue: 'bybit',
        apiKey: API_KEY,
        secret: SECRET,
        balances: { USDT: 50_000 },
        rateLimits: 'published',
        roundTripMs: 60,
        extraMarkets: 3,
        clockOffsetMs: 30_000,
      };
      const ready = next<{ type: string; url: string }>();
      child.send(start);
      const { url } = await ready;

      const timed = performance.now();
      const time = (await (await fetch(`${url}/v5/market/time`)).json()) as { result: { timeNano: string } };
      expect(performance.now() - timed).toBeGreaterThanOrEqual(59);
      expect(Number(BigInt(time.result.timeNano) / 1_000_000n)).toBeGreaterThan(Date.now() + 25_000);
      const instruments = (await (await fetch(`${url}/v5/market/instruments-info?category=linear`)).json()) as { result: { list: { symbol: string }[] } };
      expect(instruments.result.list.map((m) => m.symbol)).toEqual(['BTCUSDT', 'ETHUSDT', 'A1USDT', 'A2USDT', 'A3USDT']);
      // 600 in 5 s per IP (the two above included): the next one is refused
      await Promise.all(Array.from({ length: 598 }, () => fetch(`${url}/v5/market/time`)));
      expect((await fetch(`${url}/v5/market/time`)).status).toBe(403);

      const reported = next<ProcessReport>();
      child.send({ type: 'report', path: '/v5/market/time' });
      expect(await reported).toMatchObject({ type: 'report', pathRequests: 600, requests: 601, rateLimitRefusals: 1 });
    } finally {
      child.disconnect();
      await exited;
    }
  }, 60_000);
});
