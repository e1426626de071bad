import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeExchange, startFakeExchange } from '../fake-exchange/index.js';
import { type RunningServer, startServer } from '../support/apisify-process.js';
import { postSignedOrder } from '../support/signed-order.js';

/**
 * The renderer in a real browser (Debian's Chromium) against a real `apisify serve`: no mocks.
 * One browser for the file; the tests run in order and build on each other (key → strategy → orders).
 */
const SCREENSHOTS = fileURLToPath(new URL('../../test-output/screenshots/', import.meta.url));
const STEP_MS = 5_000;

let server: RunningServer;
/** Bybit, as the engine's ccxt sees it: the manual form's markets and the live Close's position come from here. */
let exchange: FakeExchange;
const EXCHANGE_KEY = { apiKey: 'fake-bybit-key-0123456789', secret: 'fake-bybit-secret-abcdefghijklmnop' };
let browser: Browser;
let context: BrowserContext;
/** Stays on Live orders the whole time: it must see everything arrive without a reload. */
let live: Page;
/** Where the user works: keys, strategies, manual orders, settings. */
let work: Page;
let signedKey: { apikey: string; secret: string };
let tradingViewKey: string;
/** Script errors and CSP violations on the app's own pages: there must be none. */
const pageProblems: string[] = [];

/** Previews the test makes the engine refuse on purpose: Chromium logs each refused request as a console error. */
let expectedRefusals = 0;

function watch(page: Page): void {
  page.on('pageerror', (error) => pageProblems.push(`${page.url()}: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    if (expectedRefusals > 0 && message.location().url.endsWith('/api/orders/preview') && /status of 4\d\d/.test(message.text())) {
      expectedRefusals--;
      return;
    }
    pageProblems.push(`${page.url()}: ${message.text()} (${message.location().url})`);
  });
}

/** The empty state's first-order hints, as shown. */
const hints = { curl: '', python: '' };

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${SCREENSHOTS}${name}.png`, animations: 'disabled' });
}

async function go(page: Page, nav: string): Promise<void> {
  await page.bringToFront();
  await page.getByTestId(`nav-${nav}`).getByRole('link').click();
  await page.locator(`main[data-page="${nav}"]`).waitFor({ timeout: STEP_MS });
}

/** The app page's session token, which /api needs beside the cookie (shared/ui-session.ts). */
async function sessionHeader(): Promise<Record<string, string>> {
  return { 'X-Apisify-Session': String(await work.evaluate("localStorage.getItem('apisify.session')")) };
}

async function settings(): Promise<Record<string, unknown>> {
  const response = await work.request.get(`${server.url}/api/settings`, { headers: await sessionHeader() });
  expect(response.status()).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

async function keyLabels(): Promise<string[]> {
  const response = await work.request.get(`${server.url}/api/keys`, { headers: await sessionHeader() });
  expect(response.status()).toBe(200);
  return ((await response.json()) as { label: string }[]).map((key) => key.label);
}

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  [server, exchange, browser] = await Promise.all([
    startServer(),
    startFakeExchange({ venue: 'bybit', ...EXCHANGE_KEY }),
    launchChromium(),
  ]);
  context = await browser.newContext({ viewport: { width: 1440, height: 860 }, timezoneId: 'Europe/Berlin' });
  context.setDefaultTimeout(STEP_MS);
  // Test-side only: note every order event the page's EventSource delivers, to compare with what it shows.
  await context.addInitScript(() => {
    const Native = window.EventSource;
    const streamed: [number, string][] = [];
    (window as unknown as { streamed: [number, string][] }).streamed = streamed;
    window.EventSource = class extends Native {
      constructor(url: string | URL, init?: EventSourceInit) {
        super(url, init);
        this.addEventListener('message', (message: MessageEvent<string>) => {
          const event = JSON.parse(message.data) as { type: string; order?: { id: number; status: string } };
          if (event.type === 'order' && event.order) streamed.push([event.order.id, event.order.status]);
        });
      }
    };
  });
  live = await context.newPage();
  watch(live);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await exchange?.close();
});

describe('the renderer in a real browser', () => {
  it('opens with the one-time token, cleans it from the URL, and shows how to send a first order', async () => {
    const response = await live.goto(server.ui);
    expect(response?.status()).toBe(200);
    expect(live.url()).toBe(`${server.url}/`);
    await live.getByTestId('orders-empty').waitFor();
    await expect.poll(() => live.getByTestId('hint-curl').textContent()).toContain(`${server.url}/v1/order`);
    await live.locator('.conn-live').waitFor();
    expect(await live.getByTestId('server-url').textContent()).toBe(server.url);
    // A flag that only survives as long as the page is never reloaded.
    await live.evaluate(() => {
      const page = window as unknown as { neverReloaded: boolean; seen: Record<string, string[]> };
      page.neverReloaded = true;
      page.seen = {};
      const record = () => {
        for (const cell of document.querySelectorAll<HTMLElement>('[data-testid^="order-status-"]')) {
          const id = (cell.dataset['testid'] ?? '').slice('order-status-'.length);
          const statuses = (page.seen[id] ??= []);
          if (statuses[statuses.length - 1] !== cell.textContent) statuses.push(cell.textContent ?? '');
        }
      };
      new MutationObserver(record).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    hints.curl = (await live.getByTestId('hint-curl').textContent()) ?? '';
    hints.python = (await live.getByTestId('hint-python').textContent()) ?? '';
    await shot(live, '01-orders-empty');
    work = await context.newPage();
    watch(work);
    await work.goto(`${server.url}/keys`);
  });

  it('creates API keys; the secret is shown once, with copy buttons', async () => {
    await work.locator('input[name="label"]').fill('ui bot');
    await work.getByTestId('key-create').click();
    await work.getByTestId('issued-key').waitFor();
    signedKey = { apikey: (await work.getByTestId('issued-apikey').textContent()) ?? '', secret: (await work.getByTestId('issued-secret').textContent()) ?? '' };
    expect(signedKey.apikey).toMatch(/^ak_/);
    expect(signedKey.secret).toMatch(/^sk_/);
    await expect.poll(() => work.getByTestId('keys-table').textContent()).toContain('ui bot');
    await work.getByTestId('copy-apikey').waitFor();
    await work.getByTestId('copy-secret').waitFor();
    await shot(work, '02-keys-secret-once');
    await work.getByTestId('issued-done').click();
    await expect.poll(() => work.getByTestId('issued-key').count()).toBe(0);

    await work.locator('input[name="label"]').fill('tradingview alerts');
    await work.locator('input[name="tradingview"]').check();
    // A TradingView key trades with the key alone: the form asks which strategies, rather than assume all.
    await work.getByTestId('key-create').click();
    await expect.poll(() => work.getByTestId('key-form').getByRole('alert').textContent()).toContain('name the strategies it may trade');
    expect(await work.getByTestId('issued-key').count()).toBe(0);
    await work.locator('input[name="allStrategies"]').check();
    await work.getByTestId('key-create').click();
    tradingViewKey = (await work.getByTestId('issued-apikey').textContent()) ?? '';
    // TradingView sends the key alone: no secret to copy, or to leave lying around.
    expect(await work.getByTestId('issued-secret').count()).toBe(0);
    await work.getByTestId('issued-done').click();
    // The list shows masked keys only; the secret is never on the page again.
    const table = (await work.getByTestId('keys-table').textContent()) ?? '';
    expect(table).not.toContain(signedKey.apikey);
    expect(table).not.toContain(signedKey.secret);
    expect(table).toContain('TradingView');

    await work.locator('input[name="label"]').fill('to revoke');
    await work.getByTestId('key-create').click();
    const revokedId = await work.getByTestId('issued-apikey').textContent();
    expect(revokedId).toMatch(/^ak_/);
    await work.getByTestId('issued-done').click();
    const row = work.locator('[data-testid^="key-row-"]', { hasText: 'to revoke' });
    await row.getByRole('button', { name: 'Revoke…' }).click();
    await row.getByRole('button', { name: 'Revoke', exact: true }).click();
    await expect.poll(() => keyLabels()).toEqual(['ui bot', 'tradingview alerts']);
    await expect.poll(() => row.count()).toBe(0);
  });

  it('creates a dry-run strategy, marked as such', async () => {
    await go(work, 'strategies');
    await work.getByTestId('strategy-new').click();
    const form = work.getByTestId('strategy-form');
    await form.locator('input[name="name"]').fill('ui_dry');
    await form.locator('input[name="symbols"]').fill('BTCUSDT, ETHUSDT');
    await form.locator('input[name="maxQty"]').fill('5');
    await work.getByTestId('strategy-save').click();
    const row = work.getByTestId('strategy-row-ui_dry');
    await row.waitFor();
    expect(await row.locator('.mode-dry').textContent()).toBe('DRY-RUN');
    const toggle = row.getByTestId('strategy-toggle-ui_dry');
    expect(await toggle.getAttribute('aria-checked')).toBe('true');
    await toggle.click();
    await expect.poll(() => toggle.getAttribute('aria-checked')).toBe('false');
    await toggle.click();
    await expect.poll(() => toggle.getAttribute('aria-checked')).toBe('true');
    await shot(work, '03-strategies');
  });

  it('places a manual Buy, then a Close; the open Live orders page shows both and their statuses without a reload', async () => {
    // The bybit account points at the fake exchange: its markets are what the form suggests.
    const saved = await work.request.put(`${server.url}/api/exchanges/bybit`, { headers: await sessionHeader(), data: { ...EXCHANGE_KEY, baseUrl: exchange.url } });
    expect(saved.status()).toBe(200);
    // 1 BTC at the exchange's 60 000 is 60 000 USDT of margin at 1x: the simulated account must hold that much
    const funded = await work.request.patch(`${server.url}/api/strategies/ui_dry`, { headers: await sessionHeader(), data: { dryRunBalance: 1_000_000 } });
    expect(funded.status()).toBe(200);
    await go(work, 'manual');
    const form = work.getByTestId('manual-form');
    await form.locator('select[name="strategy"]').selectOption('ui_dry');
    await form.locator('select[name="exchange"]').selectOption('bybit');
    // From the exchange's markets (only it knows the unified symbol and the minimum), limited to the strategy's symbols.
    // the engine reads the account's markets from the fake only now: under load that takes more than a poll's default second
    await expect.poll(() => work.getByTestId('symbol-source').textContent(), { timeout: STEP_MS }).toBe("2 perpetual markets from bybit's public list");
    const symbol = form.locator('input[name="symbol"]');
    await symbol.pressSequentially('btc');
    const suggestions = work.getByTestId('symbol-suggestions');
    expect(await suggestions.getByRole('option').allTextContents()).toEqual(['BTCUSDTBTC/USDT:USDT · BTCUSDT.P · linear perpetual · min 0.001']);
    await shot(work, '04-manual-symbol-suggestions');
    await work.getByTestId('suggestion-BTCUSDT').click();
    expect(await symbol.inputValue()).toBe('BTCUSDT');
    expect(await suggestions.count()).toBe(0);
    await work.getByTestId('side-Buy').click();
    await form.locator('input[name="qty"]').fill('1');
    expect(await form.locator('.field', { has: work.locator('input[name="qty"]') }).locator('.field-hint').textContent()).toBe('BTCUSDT: min 0.001, step 0.001 BTC; a qty between steps is rounded down');
    await form.locator('input[name="price"]').fill('65000');
    expect(await work.getByTestId('manual-confirm').count()).toBe(0);
    await work.getByTestId('manual-preview').click();
    await expect.poll(() => work.getByTestId('preview-headline').textContent()).toBe('buy 1');
    expect(await work.getByTestId('preview-market').textContent()).toBe('BTCUSDT on bybit, Market');
    expect(await work.getByTestId('preview-legs').locator('tbody tr').allInnerTexts()).toEqual(['1\tbuy\tmarket\t1\tmarket\tno']);
    expect(await work.getByTestId('preview-position').count()).toBe(0);
    expect(await work.getByTestId('order-preview').textContent()).toContain('DRY-RUN: simulated at 65000; nothing reaches bybit.');
    expect(await work.getByTestId('manual-confirm').isEnabled()).toBe(true);
    await shot(work, '04-manual-preview-buy');
    await work.getByTestId('manual-confirm').click();
    await expect.poll(() => work.getByTestId('result-status').textContent()).toBe('filled');
    const buyId = Number(await work.getByTestId('result-id').getAttribute('data-order-id'));

    await work.getByTestId('side-Close').click();
    expect(await form.locator('input[name="qty"]').isDisabled()).toBe(true);
    await form.locator('input[name="price"]').fill('66000');
    await work.getByTestId('manual-preview').click();
    // The engine read the simulated position and planned from it, before anything is confirmed.
    await expect.poll(() => work.getByTestId('preview-headline').textContent()).toBe('Close: sell 1 to go from +1 to 0');
    expect(await work.getByTestId('preview-position').textContent()).toMatch(/^Position now: \+1 \(read from the dry-run book of ui_dry at /);
    expect(await work.getByTestId('preview-legs').locator('tbody tr').allInnerTexts()).toEqual(['1\tsell\tmarket\t1\tmarket\tyes']);
    // A changed field drops the preview: nothing can be confirmed until the engine has seen the new one.
    await form.locator('input[name="price"]').fill('66001');
    expect(await work.getByTestId('order-preview').count()).toBe(0);
    expect(await work.getByTestId('manual-confirm').count()).toBe(0);
    await form.locator('input[name="price"]').fill('66000');
    await work.getByTestId('manual-preview').click();
    await expect.poll(() => work.getByTestId('preview-headline').textContent()).toBe('Close: sell 1 to go from +1 to 0');
    expect(await work.getByTestId('manual-confirm').isEnabled()).toBe(true);
    await shot(work, '05-manual-preview-close');
    await work.getByTestId('manual-confirm').click();
    await expect.poll(() => work.getByTestId('order-result').textContent()).toContain('Close: sell 1 to go from +1 to 0');
    const closeId = Number(await work.getByTestId('result-id').getAttribute('data-order-id'));
    expect(closeId).toBeGreaterThan(buyId);
    await shot(work, '06-manual-result');

    // The page that was open all along got both, newest first, with their final statuses.
    await expect.poll(() => live.getByTestId(`order-status-${closeId}`).textContent()).toBe('filled');
    await expect.poll(() => live.getByTestId(`order-status-${buyId}`).textContent()).toBe('filled');
    const rows = await live.locator('tr[data-order-id]').evaluateAll((elements) => elements.map((element) => Number(element.getAttribute('data-order-id'))));
    expect(rows).toEqual([closeId, buyId]);
    const page = await live.evaluate(() => {
      const state = window as unknown as { neverReloaded?: boolean; seen: Record<string, string[]>; streamed: [number, string][] };
      return { neverReloaded: state.neverReloaded, seen: state.seen, streamed: state.streamed };
    });
    expect(page.neverReloaded).toBe(true);
    for (const id of [buyId, closeId]) {
      // The stream brought each status change (received → submitted → filled) to the open page...
      const streamed = page.streamed.filter(([orderId]) => orderId === id).map(([, status]) => status);
      expect(streamed).toEqual(['received', 'submitted', 'filled']);
      // ...and the row, absent before, took them in place. A dry-run fill is quicker than a frame, so React
      // may render the last one only; whatever it rendered is in that order and ends at filled.
      const seen = page.seen[String(id)] ?? [];
      expect(seen.length).toBeGreaterThan(0);
      expect(seen[seen.length - 1]).toBe('filled');
      expect(streamed.filter((status) => seen.includes(status))).toEqual(seen);
    }
    expect(await live.getByTestId('orders-empty').count()).toBe(0);
  });

  it("previews a live Close from the exchange's own position, refuses what the exchange does not list, then sends exactly the preview", async () => {
    const created = await work.request.post(`${server.url}/api/strategies`, { headers: await sessionHeader(), data: { name: 'ui_live', mode: 'live', exchanges: ['bybit'] } });
    expect(created.status()).toBe(201);
    exchange.setBalance('USDT', 100_000);
    exchange.setPosition('ETHUSDT', -0.5, { entryPrice: 3000 });
    const form = work.getByTestId('manual-form');
    // The new strategy reaches the open page through the event stream.
    await form.locator('select[name="strategy"]').selectOption('ui_live');
    expect(await form.locator('select[name="exchange"]').inputValue()).toBe('bybit');
    await expect.poll(() => work.getByTestId('symbol-source').textContent()).toBe('3 perpetual markets on your bybit account');
    const symbol = form.locator('input[name="symbol"]');
    await symbol.fill('');
    await form.locator('input[name="price"]').fill('');
    await symbol.pressSequentially('eth');
    await symbol.press('ArrowDown');
    await symbol.press('Enter');
    expect(await symbol.inputValue()).toBe('ETHUSDT');
    await work.getByTestId('side-Close').click();
    await work.getByTestId('manual-preview').click();
    await expect.poll(() => work.getByTestId('preview-headline').textContent()).toBe('Close: buy 0.5 to go from -0.5 to 0');
    expect(await work.getByTestId('preview-position').textContent()).toMatch(/^Position now: -0\.5 \(read from bybit at /);
    expect(await work.getByTestId('preview-market').textContent()).toBe('ETHUSDT (ETH/USDT:USDT) on bybit, Market');
    expect(await work.getByTestId('preview-legs').locator('tbody tr').allInnerTexts()).toEqual(['1\tbuy\tmarket\t0.5\tmarket\tyes']);
    expect(await work.getByTestId('order-preview').textContent()).toContain('LIVE — a real order');
    expect(await work.getByTestId('manual-confirm').textContent()).toBe('Confirm: send LIVE order');
    const sentBefore = exchange.createdOrders().length;
    await shot(work, '05-manual-preview-live-close');

    // A symbol the exchange does not list: refused by the preview, on the field, and nothing to confirm.
    await symbol.fill('ETHUSDX');
    expectedRefusals = 1;
    await work.getByTestId('manual-preview').click();
    await expect.poll(() => work.getByTestId('preview-refused').textContent()).toContain('unknown_symbol');
    await expect.poll(() => expectedRefusals).toBe(0);
    expect(await form.locator('.field-error').textContent()).toMatch(/^symbol: no perpetual market "ETHUSDX" on this exchange; did you mean ETHUSDT/);
    expect(await work.getByTestId('manual-confirm').isDisabled()).toBe(true);

    await symbol.fill('ETHUSDT');
    await work.getByTestId('manual-preview').click();
    await expect.poll(() => work.getByTestId('preview-headline').textContent()).toBe('Close: buy 0.5 to go from -0.5 to 0');
    expect(exchange.createdOrders().length).toBe(sentBefore);
    await work.getByTestId('manual-confirm').click();
    await expect.poll(() => work.getByTestId('result-status').textContent()).toBe('filled');
    expect(await work.getByTestId('order-result').textContent()).toContain('Close: buy 0.5 to go from -0.5 to 0');
    expect(exchange.createdOrders().slice(sentBefore)).toMatchObject([{ symbol: 'ETHUSDT', marketKind: 'linear', side: 'buy', qty: 0.5, reduceOnly: true, status: 'filled' }]);
    expect(exchange.positions().filter((position) => position.symbol === 'ETHUSDT')).toEqual([]);
  });

  it('shows an order signed by a separate client within a second, with its detail and no secrets', async () => {
    const before = Date.now();
    const call = await postSignedOrder(server.url, signedKey, { strategy: 'ui_dry', exchange: 'bybit', order_type: 'Limit', qty: 2, side: 'Sell', symbol: 'ETHUSDT', price: 3000, memo: 'from a bot' });
    expect(call.status).toBe(200);
    const id = call.body.order?.id as number;
    await live.getByTestId(`order-row-${id}`).waitFor({ timeout: 1_000 });
    expect(Date.now() - before).toBeLessThan(1_500);
    await expect.poll(() => live.getByTestId(`order-status-${id}`).textContent(), { timeout: 1_000 }).toBe('filled');

    // A background tab paints rarely; the user is looking at this one now.
    await live.bringToFront();
    await live.getByTestId(`order-row-${id}`).click();
    const detail = live.getByTestId('order-detail');
    await detail.waitFor();
    await expect.poll(() => detail.getByTestId('detail-plan').textContent()).toBe('sell 2');
    const request = (await detail.getByTestId('detail-request').textContent()) ?? '';
    expect(request).toContain('"memo": "from a bot"');
    expect(request).not.toContain(signedKey.apikey);
    expect(request).not.toContain(signedKey.secret);
    expect(request).not.toContain('"sign"');
    expect(await detail.getByTestId('order-legs').textContent()).toMatch(/dry-/);
    // A filled order is not cancellable.
    expect(await detail.getByTestId('cancel-order').count()).toBe(0);
    expect(live.url()).toBe(`${server.url}/?order=${id}`);
    await shot(live, '07-order-detail');

    await live.getByTestId('filter-text').fill('eth');
    await expect.poll(() => live.locator('tr[data-order-id]').count()).toBe(2);
    await live.getByTestId('filter-text').fill('');
    await expect.poll(() => live.locator('tr[data-order-id]').count()).toBe(4);
    await live.getByRole('button', { name: 'Close the detail' }).click();
    await shot(live, '08-orders-live');
  });

  it('pauses trading from the status bar: /v1/order answers 503 until resumed', async () => {
    await live.bringToFront();
    const toggle = live.getByTestId('pause-switch');
    await toggle.click();
    await expect.poll(() => toggle.getAttribute('aria-checked')).toBe('false');
    // The other page hears it through the event stream.
    await expect.poll(() => work.getByTestId('pause-switch').getAttribute('aria-checked')).toBe('false');
    const refused = await postSignedOrder(server.url, signedKey, { strategy: 'ui_dry', exchange: 'bybit', order_type: 'Market', qty: 1, side: 'Buy', symbol: 'BTCUSDT', price: 1 });
    expect(refused.status).toBe(503);
    await shot(live, '09-paused');
    await toggle.click();
    await expect.poll(() => toggle.getAttribute('aria-checked')).toBe('true');
    expect((await settings())['paused']).toBe(false);
  });

  it('builds the TradingView webhook URL and alert message for a strategy and a pasted key', async () => {
    await go(work, 'tradingview');
    expect(await work.getByTestId('webhook-url').textContent()).toBe(`${server.url}/v1/order`);
    await work.locator('select[name="tv-strategy"]').selectOption('ui_dry');
    await work.locator('input[name="tv-apikey"]').fill(tradingViewKey);
    const message = JSON.parse((await work.getByTestId('alert-message').textContent()) ?? '{}') as Record<string, string>;
    expect(message).toMatchObject({
      strategy: 'ui_dry',
      side: '{{strategy.order.action}}',
      qty: '{{strategy.order.contracts}}',
      symbol: '{{ticker}}',
      price: '{{close}}',
      memo: '{{strategy.order.id}}',
      apikey: tradingViewKey,
    });
    expect(await work.locator('.field-error').count()).toBe(0);
    await shot(work, '10-tradingview');
  });

  it('stores exchange credentials without ever showing the secret again, tests and removes them', async () => {
    await go(work, 'exchanges');
    await expect.poll(() => work.locator('.exchange-card').count()).toBe(4);
    if (await work.getByTestId('exchanges-unavailable').count()) {
      // An engine without /api/exchanges: the page says so instead of failing.
      expect(await work.getByTestId('exchanges-unavailable').textContent()).toContain('not available');
      await shot(work, '11-exchanges');
      return;
    }
    const card = work.getByTestId('exchange-bybit_testnet');
    await card.locator('input[name="apiKey"]').fill('TESTNETKEY1234567890');
    await card.locator('input[name="secret"]').fill('testnet-secret-never-shown');
    // Nothing listens there: the test must fail fast and say so in words.
    await card.locator('input[name="baseUrl"]').fill('http://127.0.0.1:9');
    await card.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => card.textContent()).toContain('Saved to the keychain');
    await expect.poll(() => card.locator('.exchange-head').textContent()).toContain('TESTNE');
    expect(await card.locator('input[name="secret"]').inputValue()).toBe('');
    expect(await work.content()).not.toContain('testnet-secret-never-shown');
    await card.getByTestId('exchange-test-bybit_testnet').click();
    await expect.poll(() => card.locator('.notice').textContent(), { timeout: 15_000 }).not.toContain('Saved');
    expect(await card.locator('.notice-error').count()).toBe(1);
    // The status bar says the account cannot be reached, pushed by the engine (no reload).
    await expect.poll(() => work.getByTestId('bar-exchange-bybit_testnet').textContent(), { timeout: STEP_MS }).toContain('bybit_testnet: failing');
    expect(await work.getByTestId('bar-exchange-bybit_testnet').getAttribute('title')).toMatch(/unreachable|did not answer/);
    await shot(work, '11-exchanges');
    work.once('dialog', (dialog) => void dialog.accept());
    await card.getByRole('button', { name: 'Remove' }).click();
    await expect.poll(() => card.locator('.exchange-head').textContent()).toContain('not set');
  });

  it('saves settings, saying what waits for a restart', async () => {
    await go(work, 'settings');
    const form = work.getByTestId('settings-form');
    // The caption and the unit the CLI uses: `apisify settings set orderWaitMs 3000`.
    await expect.poll(() => form.getByText('Order wait (ms)').count()).toBe(1);
    await form.locator('input[name="orderWaitMs"]').fill('3000');
    await work.getByTestId('settings-save').click();
    await expect.poll(() => work.getByTestId('settings-saved').textContent()).toBe('Saved; applies now.');
    expect((await settings())['orderWaitMs']).toBe(3000);
    await form.locator('input[name="signatureWindowMs"]').fill('100');
    await work.getByTestId('settings-save').click();
    await expect.poll(() => form.locator('.field-error').textContent()).toBe('signatureWindowMs: expected a whole number >= 1000 and <= 300000');
    await form.locator('input[name="signatureWindowMs"]').fill('30000');
    await form.locator('input[name="publicUrl"]').fill('http://example.com');
    await work.getByTestId('settings-save').click();
    await expect.poll(() => form.locator('.field-error').textContent()).toMatch(/^publicUrl: expected an https URL/);
    expect((await settings())['publicUrl']).toBeNull();
    await form.locator('input[name="publicUrl"]').fill('');
    await form.locator('input[name="host"]').fill('0.0.0.0');
    await expect.poll(() => work.getByTestId('host-warning').textContent()).toMatch(/reachable from every network this machine is on/);
    await form.locator('input[name="host"]').fill('127.0.0.1');
    await expect.poll(() => work.getByTestId('host-warning').count()).toBe(0);
    await shot(work, '12-settings');
  });

  it('refuses the pages and the API without the session, and the token works only once', async () => {
    const stranger = await browser.newContext();
    try {
      const page = await stranger.newPage();
      for (const path of ['/', '/strategies', '/keys']) {
        const response = await page.goto(`${server.url}${path}`);
        expect(response?.status()).toBe(401);
        expect(await page.content()).toContain('session_required');
        // A page for a person, saying where the link comes from, rather than a JSON error.
        expect(await page.getByRole('heading').textContent()).toBe('Open apisify from its link');
        expect(await page.locator('main').textContent()).toContain('apisify ui');
      }
      expect((await page.goto(server.ui))?.status()).toBe(401);
      expect((await stranger.request.get(`${server.url}/api/status`)).status()).toBe(401);
      expect((await stranger.request.get(`${server.url}/api/keys`)).status()).toBe(401);
      await shot(page, '13-no-session');
    } finally {
      await stranger.close();
    }
  });

  it('lets no page on another origin use the API, even in the browser that holds the session', async () => {
    const evil = await serveForeignPage(server.url);
    try {
      const labelsBefore = await keyLabels();
      const page = await context.newPage();
      await page.goto(evil.url);
      const results = (await page.waitForFunction(() => (window as unknown as { results?: Record<string, string> }).results, undefined, { timeout: STEP_MS }).then((handle) => handle.jsonValue())) as Record<string, string>;
      // Refused by the engine (403 for a foreign Origin) and unreadable by the page (no CORS).
      expect(results['status']).toMatch(/^failed/);
      expect(results['createKey']).toMatch(/^failed/);
      expect(results['pause']).toMatch(/^(failed|opaque)/);
      expect(results['simpleKey']).toMatch(/^(failed|opaque)/);
      expect(await keyLabels()).toEqual(labelsBefore);
      expect((await settings())['paused']).toBe(false);
      // What the engine answered to that Origin, asked directly.
      const direct = await fetch(`${server.url}/api/status`, { headers: { Origin: evil.url.replace(/\/$/, '') } });
      expect(direct.status).toBe(403);
      await page.close();
    } finally {
      await evil.close();
    }
  });

  it('gives a first-order hint that works as printed (curl + openssl, and Python)', async () => {
    // The hints as the empty state showed them at the start.
    const curlAnswer = JSON.parse(await runHint('bash', ['-c'], hints.curl, signedKey)) as { ok: boolean; order: { status: string; strategy: string } };
    expect(curlAnswer).toMatchObject({ ok: true, order: { status: 'filled', strategy: 'test_strategy' } });
    const pythonAnswer = JSON.parse(await runHint('python3', ['-c'], hints.python, signedKey)) as { ok: boolean };
    expect(pythonAnswer.ok).toBe(true);
  });

  it('ran without a script error or CSP violation on the app pages', () => {
    expect(pageProblems).toEqual([]);
  });
});

/** Runs a hint from the empty state as a user would paste it, with the placeholders filled in. */
async function runHint(command: string, args: string[], hint: string, key: { apikey: string; secret: string }): Promise<string> {
  const script = hint.replace('<your apisify API key>', key.apikey).replace('<its secret>', key.secret);
  const { stdout } = await promisify(execFile)(command, [...args, script], { timeout: 10_000 });
  return stdout;
}

/** A page on http://127.0.0.1:<another port> that tries to read and change the engine's state. */
async function serveForeignPage(engineUrl: string): Promise<{ url: string; close(): Promise<void> }> {
  const script = `
    const engine = ${JSON.stringify(engineUrl)};
    const results = {};
    async function attempt(name, run) {
      try { const response = await run(); results[name] = response.type === 'opaque' ? 'opaque' : String(response.status); }
      catch (error) { results[name] = 'failed: ' + error.message; }
    }
    (async () => {
      await attempt('status', () => fetch(engine + '/api/status', { credentials: 'include' }));
      await attempt('createKey', () => fetch(engine + '/api/keys', { method: 'POST', credentials: 'include', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ label: 'evil' }) }));
      await attempt('pause', () => fetch(engine + '/api/pause', { method: 'POST', mode: 'no-cors', credentials: 'include', headers: { 'Content-Type': 'text/plain' }, body: JSON.stringify({ paused: true }) }));
      await attempt('simpleKey', () => fetch(engine + '/api/keys', { method: 'POST', mode: 'no-cors', credentials: 'include', headers: { 'Content-Type': 'text/plain' }, body: JSON.stringify({ label: 'evil-simple' }) }));
      window.results = results;
    })();
  `;
  const foreign: Server = createServer((request, response) => {
    if (request.url === '/evil.js') {
      response.writeHead(200, { 'Content-Type': 'text/javascript' });
      response.end(script);
      return;
    }
    response.writeHead(200, { 'Content-Type': 'text/html' });
    response.end('<!doctype html><title>elsewhere</title><script src="/evil.js"></script>');
  });
  await new Promise<void>((resolve) => foreign.listen(0, '127.0.0.1', resolve));
  const { port } = foreign.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((resolve) => foreign.close(() => resolve())),
  };
}
