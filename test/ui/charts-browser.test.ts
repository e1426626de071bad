import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type Page } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderView } from '../../shared/order-view.js';
import { UI_SESSION_HEADER, UI_SESSION_STORAGE_KEY } from '../../shared/ui-session.js';
import { type FakeExchange, startFakeExchange } from '../fake-exchange/index.js';
import { apisify, createKey, type IssuedKey, type RunningServer, startServer, tempDataDir } from '../support/apisify-process.js';
import { postSignedOrder } from '../support/signed-order.js';

/**
 * The charts in Debian's Chromium. The order detail's price chart against a real `apisify serve`
 * trading on the fake Bybit: the candles' canvas is there, each fill is a marker at the fill's
 * candle and average price, a protected order shows its stop and target as price lines, a resting
 * Limit its price; with the exchange gone the chart says it is offline and still shows what the
 * journal holds. The equity chart, which no page uses yet, in a page of its own built from the
 * renderer's sources with a fixture curve. Markers and lines are read from the chart's own
 * `data-` attributes (what the library holds), never from pixels.
 */
const SCREENSHOTS = fileURLToPath(new URL('../../test-output/screenshots/', import.meta.url));
const EXCHANGE_KEY = 'fake-charts-key-0123456789';
const EXCHANGE_SECRET = 'fake-charts-secret-abcdefghijklmnop';
let fake: FakeExchange;
let server: RunningServer;
let key: IssuedKey;
let browser: Browser;
let page: Page;
const pageProblems: string[] = [];
const ids = { entry: 0, protectedEntry: 0, resting: 0, eth: 0 };

interface ExposedMarker {
  time: number;
  price: number;
  position: string;
  shape: string;
}

async function order(id: number): Promise<OrderView> {
  const token = await page.evaluate((name) => window.localStorage.getItem(name), UI_SESSION_STORAGE_KEY);
  const response = await page.request.get(`${server.url}/api/orders/${id}`, { headers: { [UI_SESSION_HEADER]: token ?? '' } });
  expect(response.status()).toBe(200);
  return (await response.json()) as OrderView;
}

/** Opens an order's detail on Live orders and waits for its chart to have answered. */
async function openDetail(id: number): Promise<ReturnType<Page['getByTestId']>> {
  await page.goto(`${server.url}/?order=${id}`);
  const chart = page.getByTestId('order-detail').getByTestId('order-chart');
  await chart.waitFor();
  await expect.poll(() => chart.getAttribute('data-source'), { timeout: 5_000 }).not.toBe('loading');
  return chart;
}

/** What the chart holds, once it has drawn the candles and the marks (the library is fed after the answer). */
async function attribute(chart: ReturnType<Page['getByTestId']>, name: string): Promise<unknown> {
  const drawn = chart.locator('[data-testid="price-chart"][data-candles][data-markers][data-price-lines]');
  await drawn.waitFor();
  return JSON.parse((await drawn.getAttribute(name)) ?? 'null');
}

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  fake = await startFakeExchange({ venue: 'bybit', apiKey: EXCHANGE_KEY, secret: EXCHANGE_SECRET });
  fake.setBalance('USDT', 1_000_000);
  fake.setPrice('BTCUSDT', 59_800, 'linear');
  fake.setPrice('BTCUSDT', 60_000, 'linear');
  const dataDir = tempDataDir();
  expect((await apisify(dataDir, ['exchange', 'set', 'bybit', '--api-key', EXCHANGE_KEY, '--secret', '-', '--base-url', fake.url], { input: `${EXCHANGE_SECRET}\n` })).code).toBe(0);
  expect((await apisify(dataDir, ['strategy', 'add', 'perp', '--mode', 'live', '--market-type', 'swap'])).code).toBe(0);
  key = await createKey(dataDir);
  [server, browser] = await Promise.all([startServer(dataDir, [], { APISIFY_EXCHANGE_RATE_LIMIT: 'off' }), launchChromium()]);

  const place = async (fields: Record<string, unknown>) => {
    const placed = await postSignedOrder(server.url, key, { strategy: 'perp', exchange: 'bybit', order_type: 'Market', symbol: 'BTCUSDT', qty: 0.01, side: 'Buy', ...fields });
    expect(placed.status, JSON.stringify(placed.body)).toBe(200);
    return placed.body.order?.id as number;
  };
  ids.entry = await place({});
  fake.setPrice('BTCUSDT', 60_400, 'linear');
  ids.protectedEntry = await place({ stop_loss: 58_000, take_profit: 64_000 });
  ids.resting = await place({ order_type: 'Limit', price: 55_000 });
  ids.eth = await place({ symbol: 'ETHUSDT', qty: 0.1 });

  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, timezoneId: 'Europe/Berlin' });
  context.setDefaultTimeout(5_000);
  page = await context.newPage();
  page.on('pageerror', (error) => pageProblems.push(error.message));
  page.on('console', (message) => message.type() === 'error' && pageProblems.push(message.text()));
  expect((await page.goto(server.ui))?.status()).toBe(200);
  await page.locator('.conn-live').waitFor();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await fake?.close();
});

describe("an order's price chart", () => {
  it("draws the market's candles with the fill marked at its candle and average price, a buy below pointing up", async () => {
    const chart = await openDetail(ids.entry);
    expect(await chart.getAttribute('data-source')).toBe('exchange');
    const box = chart.getByTestId('price-chart');
    await expect.poll(() => box.locator('canvas').count()).toBeGreaterThan(0);
    expect(Number(await attribute(chart, 'data-candles'))).toBeGreaterThan(0);

    const journal = await order(ids.entry);
    const leg = journal.legs[0];
    expect(leg?.status).toBe('filled');
    const filledAt = Date.parse(leg?.answeredAt ?? '');
    expect(await attribute(chart, 'data-markers')).toEqual([
      { time: Math.floor(filledAt / 60_000) * 60, price: Number(leg?.averagePrice), position: 'atPriceBottom', shape: 'arrowUp', text: 'buy' },
    ]);
    expect(Number(leg?.averagePrice)).toBe(60_000);
    expect(await attribute(chart, 'data-price-lines')).toEqual([]);
    expect(await chart.getByTestId('chart-notice').count()).toBe(0);
    expect(await chart.getByTestId('chart-marks').textContent()).toContain('buy 0.01 @ 60000');
    await page.screenshot({ path: `${SCREENSHOTS}chart-order-entry.png`, animations: 'disabled' });
    // closing the detail removes the chart with it, cleanly
    await page.getByRole('button', { name: 'Close the detail' }).click();
    await expect.poll(() => page.getByTestId('order-detail').count()).toBe(0);
    expect(pageProblems).toEqual([]);
  });

  it('shows a protected order\'s stop-loss and take-profit as price lines, and a resting Limit its price', async () => {
    const chart = await openDetail(ids.protectedEntry);
    expect(await attribute(chart, 'data-price-lines')).toEqual([
      { price: 58_000, title: 'Stop-loss 58000' },
      { price: 64_000, title: 'Take-profit 64000' },
    ]);
    const markers = (await attribute(chart, 'data-markers')) as ExposedMarker[];
    expect(markers.map((marker) => marker.price)).toEqual([60_400]);
    await page.screenshot({ path: `${SCREENSHOTS}chart-order-protected.png`, animations: 'disabled' });

    const resting = await openDetail(ids.resting);
    expect((await order(ids.resting)).status).toBe('open');
    expect(await attribute(resting, 'data-price-lines')).toEqual([{ price: 55_000, title: 'Limit buy 55000' }]);
    expect(await attribute(resting, 'data-markers')).toEqual([]);
  });

  it('with the exchange gone, says it is offline: over the candles read before, or over the journal\'s marks alone', async () => {
    await fake.close();
    // past the seconds in which the engine answers a chart from what it just read
    await new Promise((resolve) => setTimeout(resolve, 5_500));
    const chart = await openDetail(ids.entry);
    expect(await chart.getAttribute('data-source')).toBe('offline');
    expect(await chart.getByTestId('chart-notice').textContent()).toMatch(/^Offline: bybit .*: these are the candles read before, and the last one may be out of date\.$/);
    expect(((await attribute(chart, 'data-markers')) as ExposedMarker[]).map((marker) => marker.price)).toEqual([60_000]);
    expect(await chart.getByTestId('price-chart').locator('canvas').count()).toBeGreaterThan(0);
    await page.screenshot({ path: `${SCREENSHOTS}chart-order-offline-cached.png`, animations: 'disabled' });

    // ETHUSDT's chart was never opened: no candles to show, the marks as a table, never a blank box
    const never = await openDetail(ids.eth);
    expect(await never.getAttribute('data-offline')).toBe('true');
    expect(await never.getByTestId('chart-notice').textContent()).toMatch(/^Offline: .*What the journal holds is below\.$/);
    expect(await never.getByTestId('price-chart').count()).toBe(0);
    expect(await never.getByTestId('chart-marks').textContent()).toMatch(/buy 0\.1 @ 3000/);
    await page.screenshot({ path: `${SCREENSHOTS}chart-order-offline-journal.png`, animations: 'disabled' });
    expect(pageProblems).toEqual([]);
  });
});

describe('the equity chart, from a fixture curve', () => {
  let harness: Server;
  let url = '';

  beforeAll(async () => {
    const out = mkdtempSync(join(tmpdir(), 'apisify-chart-harness-'));
    await build({ configFile: false, root: fileURLToPath(new URL('./harness/', import.meta.url)), base: './', logLevel: 'warn', build: { outDir: out, emptyOutDir: true, chunkSizeWarningLimit: 4_000 } });
    const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };
    harness = createServer((request, response) => {
      const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
      try {
        const body = readFileSync(join(out, path === '/' ? 'index.html' : path.replace(/^\/+/, '').replace(/\.\.+/g, '')));
        response.writeHead(200, { 'Content-Type': types[extname(path === '/' ? 'index.html' : path)] ?? 'application/octet-stream' }).end(body);
      } catch {
        response.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => harness.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(harness.address() as AddressInfo).port}/`;
  }, 90_000);

  afterAll(async () => {
    await new Promise((resolve) => harness?.close(resolve));
  });

  it('plots the curve in time order with its zero line, says so when there is nothing, and follows the window', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const equity = await context.newPage();
    const problems: string[] = [];
    equity.on('pageerror', (error) => problems.push(error.message));
    await equity.goto(url);
    const chart = equity.getByTestId('equity-chart');
    await expect.poll(() => chart.locator('canvas').count()).toBeGreaterThan(0);
    await expect.poll(async () => JSON.parse((await chart.getAttribute('data-points')) ?? '[]')).toEqual([
      { time: 1_772_445_600, value: 0 },
      { time: 1_772_449_200, value: 12.5 },
      { time: 1_772_452_800, value: -8.25 },
      { time: 1_772_456_400, value: 30 },
    ]);
    expect(JSON.parse((await chart.getAttribute('data-price-lines')) ?? '[]')).toEqual([0]);
    expect(await equity.getByTestId('equity-chart-empty').textContent()).toBe('No closed trades yet.');

    const widths: number[] = [];
    for (const size of [{ width: 1280, height: 800 }, { width: 900, height: 600 }]) {
      await equity.setViewportSize(size);
      await expect.poll(async () => Math.round((await chart.boundingBox())?.width ?? 0)).toBe(size.width - 40);
      // the canvas follows its box
      await expect.poll(async () => Math.round((await chart.locator('canvas').first().boundingBox())?.width ?? 0)).toBeGreaterThan(size.width - 140);
      widths.push(Math.round((await chart.locator('canvas').first().boundingBox())?.width ?? 0));
    }
    expect(widths[0]).toBeGreaterThan(widths[1] as number);
    await equity.screenshot({ path: `${SCREENSHOTS}chart-equity-fixture.png`, animations: 'disabled' });
    expect(problems).toEqual([]);
    await context.close();
  });
});
