import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatMoney } from '../../renderer/src/state/strategy-pnl.js';
import type { PositionsAnswer } from '../../shared/positions-api.js';
import { UI_SESSION_HEADER, UI_SESSION_STORAGE_KEY } from '../../shared/ui-session.js';
import { type FakeExchange, startFakeExchange } from '../fake-exchange/index.js';
import { apisify, createKey, type IssuedKey, type RunningServer, startServer, tempDataDir } from '../support/apisify-process.js';
import { postSignedOrder } from '../support/signed-order.js';

/**
 * The Positions page in Debian's Chromium against a real `apisify serve` and two fake Bybit accounts
 * (default and sub2, a fake each): positions and balances arrive by push, a row's Close goes through
 * the manual form's preview and confirm, Flatten closes and cancels on one account only, a dry run
 * shows and flattens, and Flatten all pauses first. The tests build on each other, in order.
 */
const SCREENSHOTS = fileURLToPath(new URL('../../test-output/screenshots/', import.meta.url));
const KEYS = {
  default: { apiKey: 'fake-bybit-key-positions-0123', secret: 'fake-bybit-secret-positions-abcdefghij' },
  sub2: { apiKey: 'fake-bybit-key-positions-sub2', secret: 'fake-bybit-secret-positions-sub2-klmnop' },
} as const;
/** For what waits on the engine and the exchange (pushes, previews, fills): slower while the whole suite shares two cores. */
const ENGINE = { timeout: 15_000 };

let server: RunningServer;
const fakes = {} as Record<keyof typeof KEYS, FakeExchange>;
let key: IssuedKey;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const pageProblems: string[] = [];

async function go(nav: string): Promise<void> {
  await page.getByTestId(`nav-${nav}`).getByRole('link').click();
  await page.locator(`main[data-page="${nav}"]`).waitFor();
}

async function api(method: 'GET' | 'PATCH' | 'POST', path: string, data?: unknown): Promise<unknown> {
  const token = await page.evaluate((name) => window.localStorage.getItem(name), UI_SESSION_STORAGE_KEY);
  const response = await page.request.fetch(`${server.url}${path}`, { method, headers: { [UI_SESSION_HEADER]: token ?? '' }, ...(data === undefined ? {} : { data }) });
  expect(response.status(), `${method} ${path}: ${await response.text()}`).toBe(200);
  return response.json();
}

let lastTimestamp = 0;
async function order(fields: Record<string, unknown>): Promise<{ id: number; status: string }> {
  lastTimestamp = Math.max(Date.now(), lastTimestamp + 1);
  const call = await postSignedOrder(server.url, key, { strategy: 'perp', exchange: 'bybit', order_type: 'Market', side: 'Buy', symbol: 'BTCUSDT', qty: 0.01, ...fields }, { timestamp: lastTimestamp });
  expect(call.status, JSON.stringify(call.body)).toBe(200);
  return call.body.order as { id: number; status: string };
}

function section(account: string): Locator {
  return page.locator(`[data-testid="account-section"][data-account="${account}"]`);
}

function row(account: string, symbol: string): Locator {
  return section(account).locator(`[data-testid="position-row"][data-symbol="${symbol}"]`);
}

function texts(locator: Locator): Promise<string[]> {
  return locator.allInnerTexts().then((all) => all.map((text) => text.replace(/\s+/g, ' ').trim()));
}

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  for (const name of ['default', 'sub2'] as const) {
    const fake = await startFakeExchange({ venue: 'bybit', ...KEYS[name] });
    fake.setBalance('USDT', 10_000);
    fake.setPrice('BTCUSDT', 60_000, 'linear');
    fakes[name] = fake;
  }
  const dataDir = tempDataDir();
  for (const name of ['default', 'sub2'] as const) {
    const set = await apisify(dataDir, ['exchange', 'set', 'bybit', '--account', name, '--api-key', KEYS[name].apiKey, '--secret', '-', '--base-url', fakes[name].url], { input: `${KEYS[name].secret}\n` });
    expect(set.code, set.stderr).toBe(0);
  }
  expect((await apisify(dataDir, ['strategy', 'add', 'perp', '--mode', 'live', '--exchanges', 'bybit'])).code).toBe(0);
  expect((await apisify(dataDir, ['strategy', 'add', 'paper'])).code).toBe(0);
  key = await createKey(dataDir);
  [server, browser] = await Promise.all([
    startServer(dataDir),
    launchChromium(),
  ]);
  context = await browser.newContext({ viewport: { width: 1280, height: 800 }, timezoneId: 'Europe/Berlin' });
  context.setDefaultTimeout(10_000);
  page = await context.newPage();
  page.on('pageerror', (error) => pageProblems.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') pageProblems.push(`${message.text()} (${message.location().url})`);
  });
  expect((await page.goto(server.ui))?.status()).toBe(200);
  await page.locator('.conn-live').waitFor();
  // perp may also trade on sub2 (its resting order there must survive default's flatten)
  await api('PATCH', '/api/strategies/perp', { accounts: { bybit: ['default', 'sub2'] } });
  // The engine readied default's stream at start (perp trades there): wait until it is live, so the
  // page's first read becomes the account's state and what follows arrives by push alone.
  for (let tries = 0; ; tries++) {
    const answer = (await api('GET', '/api/positions')) as PositionsAnswer;
    if (answer.accounts.find((account) => account.account === 'default')?.live) break;
    if (tries > 100) throw new Error(`default's stream never became live: ${JSON.stringify(answer.accounts)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  for (const fake of Object.values(fakes)) await fake?.close();
});

describe('the Positions page', () => {
  let readsAfterFirstLook = 0;

  it('comes right after Live orders, shows each account with its balance, and says nothing is open', async () => {
    expect((await texts(page.locator('nav li'))).slice(0, 2)).toEqual(['Live orders', 'Positions']);
    await go('positions');
    await expect.poll(() => page.getByTestId('positions-count').textContent(), ENGINE).toBe('0 open positions on 2 accounts');
    readsAfterFirstLook = fakes.default.requestCount('/v5/position/list');
    expect(await texts(page.locator('[data-testid="account-section"] h2'))).toEqual(['bybit · default', 'bybit · sub2']);
    expect(await section('bybit/default').getByTestId('account-standing').textContent()).toBe('● live');
    expect(await section('bybit/default').getByTestId('no-positions').textContent()).toBe('No open positions. Orders that open one show it here as it fills.');
    expect(await texts(section('bybit/default').getByTestId('balance-row'))).toEqual(['unified trading USDT 10,000 10,000 0']);
  });

  it('shows a live Buy as the account pushes it, with its strategy and balance, reading no position', async () => {
    await order({});
    const buy = row('bybit/default', 'BTC/USDT:USDT');
    await expect.poll(() => buy.getByTestId('position-strategies').textContent(), ENGINE).toBe('perp');
    expect((await texts(buy))[0]).toBe('BTC/USDT:USDT long 0.01 60,000 60,000 — 10x — none perp Close');
    // the balance moves too: the margin the position holds is in use
    await expect.poll(() => texts(section('bybit/default').getByTestId('balance-row')), ENGINE).toEqual(['unified trading USDT 10,000 9,940 60']);
    expect(await section('bybit/default').getByTestId('account-standing').textContent()).toMatch(/^● live · pushed \d\d:\d\d:\d\d$/);
    expect(await page.getByTestId('positions-count').textContent()).toBe('1 open position on 2 accounts');
    expect(fakes.default.requestCount('/v5/position/list')).toBe(readsAfterFirstLook);
    await page.screenshot({ path: `${SCREENSHOTS}positions-page.png`, animations: 'disabled' });
  });

  it("closes a row through the manual form's preview and confirm", async () => {
    const creates = fakes.default.createdOrders().length;
    await row('bybit/default', 'BTC/USDT:USDT').getByTestId('position-close').click();
    const dialog = page.getByTestId('close-dialog');
    await expect.poll(() => dialog.getByTestId('preview-headline').textContent(), ENGINE).toMatch(/sell 0\.01/);
    expect(await dialog.locator('h2').first().textContent()).toBe('Close BTC/USDT:USDT long 0.01 on bybit · default');
    expect(await dialog.getByTestId('close-strategy-why').textContent()).toBe('Journaled under perp: its fills built this position');
    expect(await dialog.getByTestId('preview-position').textContent()).toMatch(/^Position now: \+0\.01/);
    expect(await texts(dialog.getByTestId('preview-legs').locator('tbody tr'))).toEqual(['1 sell market 0.01 market yes']);
    // nothing is sent before the confirm
    expect(fakes.default.createdOrders().length).toBe(creates);
    await page.screenshot({ path: `${SCREENSHOTS}positions-close-preview.png`, animations: 'disabled' });

    await dialog.getByTestId('close-confirm').click();
    await expect.poll(() => dialog.getByTestId('result-status').textContent(), ENGINE).toBe('filled');
    expect(fakes.default.createdOrders().slice(creates)).toEqual([expect.objectContaining({ side: 'sell', type: 'market', qty: 0.01, reduceOnly: true })]);
    expect(fakes.default.positions()).toEqual([]);
    await dialog.getByTestId('close-done').click();
    await expect.poll(() => row('bybit/default', 'BTC/USDT:USDT').count(), ENGINE).toBe(0);
    // the Close planned from the position the stream pushed: still no read
    expect(fakes.default.requestCount('/v5/position/list')).toBe(readsAfterFirstLook);
  });

  it("shows an account's equity curve when asked: its live fills, net of fees; an account that never traded says so", async () => {
    const expected = (await api('GET', '/api/pnl/curve?exchange=bybit&account=default')) as { curves: { currency: string; points: { value: string }[] }[] };
    const usdt = expected.curves.find((curve) => curve.currency === 'USDT');
    // the round trip above realized something or paid a fee: there is a curve to show
    expect(usdt?.points.length ?? 0).toBeGreaterThan(0);
    const equity = section('bybit/default').getByTestId('account-equity');
    await equity.locator('summary').click();
    const chart = equity.getByTestId('account-equity-bybit/default-USDT');
    await chart.locator('canvas').first().waitFor(ENGINE);
    // the chart writes its points once its series holds them: the curve's last value is the engine's
    const plotted = async () => JSON.parse((await chart.getAttribute('data-points')) ?? '[]') as { value: number }[];
    await expect.poll(async () => (await plotted()).at(-1)?.value, ENGINE).toBe(Number(usdt?.points.at(-1)?.value));
    expect(await equity.getByTestId('account-equity-bybit/default-caption-USDT').textContent()).toBe(`USDT, net of fees: now ${formatMoney(usdt?.points.at(-1)?.value ?? 'none')}`);
    const untouched = section('bybit/sub2').getByTestId('account-equity');
    await untouched.locator('summary').click();
    await untouched.getByTestId('account-equity-bybit/sub2-none').waitFor(ENGINE);
  });

  it('flattens one account: every position closed and its resting Limit cancelled, the other account untouched', async () => {
    await order({ qty: 0.02 });
    const resting = await order({ order_type: 'Limit', price: 50_000, qty: 0.01 });
    const restingOnSub2 = await order({ account: 'sub2', order_type: 'Limit', price: 50_000, qty: 0.01 });
    expect([resting.status, restingOnSub2.status]).toEqual(['open', 'open']);
    fakes.sub2.setPosition('BTCUSDT', -0.05, { entryPrice: 60_500 });
    await expect.poll(() => row('bybit/default', 'BTC/USDT:USDT').getByTestId('position-size').textContent(), ENGINE).toBe('0.02');
    await expect.poll(() => row('bybit/sub2', 'BTC/USDT:USDT').getByTestId('position-strategies').textContent(), ENGINE).toBe('opened outside apisify');
    const sub2Orders = fakes.sub2.createdOrders().length;

    await section('bybit/default').getByTestId('flatten-account').click();
    const dialog = page.getByTestId('flatten-dialog');
    await expect.poll(() => dialog.getByTestId('flatten-cancels').textContent(), ENGINE).toBe(`Cancels 1 resting order (#${resting.id} BTCUSDT).`);
    expect(await dialog.locator('h2').first().textContent()).toBe('Flatten bybit · default?');
    expect(await dialog.getByTestId('flatten-money').textContent()).toBe('LIVE: real market orders on bybit · default.');
    expect(await texts(dialog.getByTestId('flatten-closes').locator('li'))).toEqual(['BTC/USDT:USDT long 0.02 on bybit · default']);
    expect(await dialog.getByTestId('flatten-pause').isChecked()).toBe(false);
    expect(await dialog.getByTestId('flatten-confirm').textContent()).toBe('Close 1 position (LIVE)');
    await page.screenshot({ path: `${SCREENSHOTS}positions-flatten-confirm.png`, animations: 'disabled' });

    await dialog.getByTestId('flatten-confirm').click();
    await expect.poll(() => page.getByTestId('flatten-headline').textContent(), ENGINE).toBe('Flattened: 1 close done, 1 order cancelled.');
    expect(await texts(page.getByTestId('flatten-lines').locator('li'))).toEqual(['BTC/USDT:USDT on bybit · default (perp): filled', `1 open order cancelled (#${resting.id} cancelled)`]);
    expect(fakes.default.positions()).toEqual([]);
    expect(fakes.default.createdOrders().filter((created) => created.status === 'open')).toEqual([]);
    // sub2: its position, its resting order, and nothing new sent there
    expect(fakes.sub2.positions()).toEqual([expect.objectContaining({ symbol: 'BTCUSDT', qty: -0.05 })]);
    expect(fakes.sub2.createdOrders().map((created) => created.status)).toEqual(['open']);
    expect(fakes.sub2.createdOrders().length).toBe(sub2Orders);
    await expect.poll(() => section('bybit/default').getByTestId('position-row').count(), ENGINE).toBe(0);
    expect(await row('bybit/sub2', 'BTC/USDT:USDT').count()).toBe(1);
    expect(await page.evaluate(() => document.documentElement.textContent?.includes('TRADING PAUSED'))).toBe(false);
  });

  it('shows a dry-run position and flattens it, nothing reaching an exchange', async () => {
    const sent = [fakes.default.createdOrders().length, fakes.sub2.createdOrders().length];
    await order({ strategy: 'paper', qty: 0.01, price: 60_000 });
    const dry = row('dry-run/bybit/paper', 'BTCUSDT');
    await expect.poll(() => dry.getByTestId('position-size').textContent(), ENGINE).toBe('0.01');
    expect(await section('dry-run/bybit/paper').locator('h2').textContent()).toBe('paper on bybit');
    expect(await section('dry-run/bybit/paper').locator('.mode').textContent()).toBe('DRY-RUN');
    expect(await dry.getByTestId('position-strategies').textContent()).toBe('paper');
    expect(await texts(section('dry-run/bybit/paper').getByTestId('balance-row'))).toEqual(['simulated USDT 9,999.64 9,399.64 600']); // 1x, less the simulated taker fee

    await section('dry-run/bybit/paper').getByTestId('flatten-account').click();
    const dialog = page.getByTestId('flatten-dialog');
    await expect.poll(() => dialog.getByTestId('flatten-cancels').textContent(), ENGINE).toBe('No open order to cancel.');
    expect(await dialog.getByTestId('flatten-money').textContent()).toBe('DRY-RUN: simulated; nothing reaches the exchange.');
    expect(await texts(dialog.getByTestId('flatten-closes').locator('li'))).toEqual(['BTCUSDT long 0.01 on dry run paper on bybit']);
    await dialog.getByTestId('flatten-confirm').click();
    await expect.poll(() => page.getByTestId('flatten-headline').textContent(), ENGINE).toBe('Flattened: 1 close done, 0 orders cancelled.');
    await expect.poll(() => dry.count(), ENGINE).toBe(0);
    expect([fakes.default.createdOrders().length, fakes.sub2.createdOrders().length]).toEqual(sent);
  });

  it('flattens everything after pausing trading first, the kill switch', async () => {
    await page.getByTestId('flatten-all').click();
    const dialog = page.getByTestId('flatten-dialog');
    await expect.poll(() => dialog.getByTestId('flatten-cancels').textContent(), ENGINE).toMatch(/^Cancels 1 resting order \(#\d+ BTCUSDT\)\.$/);
    expect(await dialog.locator('h2').first().textContent()).toBe('Flatten everything?');
    expect(await dialog.getByTestId('flatten-money').textContent()).toBe('LIVE: real market orders on bybit · sub2.');
    expect(await dialog.getByTestId('flatten-pause').isChecked()).toBe(true);
    await dialog.getByTestId('flatten-confirm').click();
    await expect.poll(() => page.getByTestId('flatten-headline').textContent(), ENGINE).toBe('Flattened: 1 close done, 1 order cancelled. Trading is paused.');
    expect(await texts(page.getByTestId('flatten-lines').locator('li'))).toContain('BTC/USDT:USDT on bybit · sub2 ((flatten)): filled');
    expect(fakes.sub2.positions()).toEqual([]);
    expect(fakes.sub2.createdOrders().filter((created) => created.status === 'open')).toEqual([]);
    await expect.poll(() => page.getByTestId('pause-switch').textContent(), ENGINE).toBe('TRADING PAUSED');
    await expect.poll(() => page.getByTestId('positions-count').textContent(), ENGINE).toMatch(/^0 open positions on /);
    // paused: /v1/order refuses new orders
    lastTimestamp = Math.max(Date.now(), lastTimestamp + 1);
    expect((await postSignedOrder(server.url, key, { strategy: 'perp', exchange: 'bybit', order_type: 'Market', side: 'Buy', symbol: 'BTCUSDT', qty: 0.01 }, { timestamp: lastTimestamp })).status).toBe(503);
  });

  it('had no script errors or CSP violations', () => {
    expect(pageProblems).toEqual([]);
  });
});
