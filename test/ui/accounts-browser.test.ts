import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StrategyOverview } from '../../shared/api-types.js';
import { UI_SESSION_HEADER, UI_SESSION_STORAGE_KEY } from '../../shared/ui-session.js';
import { type FakeExchange, startFakeExchange } from '../fake-exchange/index.js';
import { createKey, type IssuedKey, type RunningServer, startServer, tempDataDir } from '../support/apisify-process.js';
import { postSignedOrder } from '../support/signed-order.js';

/**
 * Named accounts and PnL per strategy in the browser (Debian's Chromium) against a real `apisify
 * serve` and two fake Bybit accounts with Bybit's published fees: a second account added on the
 * Exchanges page and tested, a live strategy bound to it on the Strategies page, and after a filled
 * round trip its PnL in the table and the detail, as computed by hand. The tests build on each other.
 */
const SCREENSHOTS = fileURLToPath(new URL('../../test-output/screenshots/', import.meta.url));
const KEYS = {
  default: { apiKey: 'accounts-ui-default-key-0123', secret: 'accounts-ui-default-secret-abcdefgh' },
  main: { apiKey: 'accounts-ui-main-key-0123', secret: 'accounts-ui-main-secret-abcdefgh' },
} as const;
/** What waits on the engine and the exchange: slower while the whole suite shares two cores. */
const ENGINE = { timeout: 15_000 };

let server: RunningServer;
let fakes: Record<'default' | 'main', FakeExchange>;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let key: IssuedKey;
const pageProblems: string[] = [];

async function go(nav: string): Promise<void> {
  await page.getByTestId(`nav-${nav}`).getByRole('link').click();
  await page.locator(`main[data-page="${nav}"]`).waitFor();
}

async function sessionHeader(): Promise<Record<string, string>> {
  return { [UI_SESSION_HEADER]: String(await page.evaluate((storageKey) => window.localStorage.getItem(storageKey), UI_SESSION_STORAGE_KEY)) };
}

async function strategyNamed(name: string): Promise<StrategyOverview | undefined> {
  const response = await page.request.get(`${server.url}/api/strategies`, { headers: await sessionHeader() });
  expect(response.status()).toBe(200);
  return ((await response.json()) as StrategyOverview[]).find((strategy) => strategy.name === name);
}

let lastTimestamp = 0;
async function filledOrder(fields: Record<string, unknown>): Promise<void> {
  lastTimestamp = Math.max(Date.now(), lastTimestamp + 1);
  const call = await postSignedOrder(server.url, key, { strategy: 'bound', exchange: 'bybit', order_type: 'Market', symbol: 'BTCUSDT', qty: 0.01, ...fields }, { timestamp: lastTimestamp });
  expect(call.status, JSON.stringify(call.body)).toBe(200);
  expect(call.body.order).toMatchObject({ status: 'filled', account: 'main' });
}

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const dataDir = tempDataDir();
  key = await createKey(dataDir);
  const [serverStarted, defaultFake, mainFake, chromiumStarted] = await Promise.all([
    startServer(dataDir, [], { APISIFY_EXCHANGE_RATE_LIMIT: 'off' }),
    startFakeExchange({ venue: 'bybit', ...KEYS.default, fees: 'standard' }),
    startFakeExchange({ venue: 'bybit', ...KEYS.main, fees: 'standard' }),
    launchChromium(),
  ]);
  [server, browser] = [serverStarted, chromiumStarted];
  fakes = { default: defaultFake, main: mainFake };
  for (const fake of Object.values(fakes)) {
    fake.setBalance('USDT', 10_000);
    fake.setPrice('BTCUSDT', 60_000, 'linear');
  }
  context = await browser.newContext({ viewport: { width: 1280, height: 800 }, timezoneId: 'Europe/Berlin' });
  context.setDefaultTimeout(10_000);
  page = await context.newPage();
  page.on('pageerror', (error) => pageProblems.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') pageProblems.push(`${message.text()} (${message.location().url})`);
  });
  expect((await page.goto(server.ui))?.status()).toBe(200);
  await page.locator('.conn-live').waitFor();
  const saved = await page.request.put(`${server.url}/api/exchanges/bybit`, { headers: await sessionHeader(), data: { ...KEYS.default, baseUrl: fakes.default.url } });
  expect(saved.status()).toBe(200);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  for (const fake of Object.values(fakes ?? {})) await fake.close();
});

describe('named accounts and PnL in the browser', () => {
  it('adds a named account on the Exchanges page (its name checked first), lists it after the default, and tests it', async () => {
    await go('exchanges');
    await page.getByTestId('add-account-open').click();
    const form = page.getByTestId('add-account');
    await form.locator('select[name="newAccountExchange"]').selectOption('bybit');
    await form.locator('input[name="newAccountName"]').fill('default');
    await page.getByTestId('add-account-next').click();
    expect(await form.locator('.field-error').textContent()).toBe("Name: default is bybit's own account, whose card is on this page; pick another name");
    await form.locator('input[name="newAccountName"]').fill('my main');
    await page.getByTestId('add-account-next').click();
    expect(await form.locator('.field-error').textContent()).toMatch(/^Name: expected an account name: up to 32 letters/);
    await form.locator('input[name="newAccountName"]').fill('main');
    await page.getByTestId('add-account-next').click();

    // then the credentials, on a card of its own
    const card = form.getByTestId('exchange-bybit-main');
    expect(await card.locator('h2').textContent()).toBe('bybit · main');
    await card.locator('input[name="apiKey"]').fill(KEYS.main.apiKey);
    await card.locator('input[name="secret"]').fill(KEYS.main.secret);
    await card.locator('input[name="baseUrl"]').fill(fakes.main.url);
    await card.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.getByTestId('add-account-done').textContent(), ENGINE).toMatch(/^Saved bybit · main to the keychain/);
    expect(await page.getByTestId('add-account').count()).toBe(0);

    // listed after bybit's default, set, with its key masked and never the secret
    const cards = await page.locator('.exchange-card').evaluateAll((elements) => elements.map((element) => element.getAttribute('data-testid')));
    expect(cards.slice(0, 3)).toEqual(['exchange-bybit', 'exchange-bybit-main', 'exchange-bybit_testnet']);
    const listed = page.getByTestId('exchange-bybit-main');
    await expect.poll(() => listed.locator('.exchange-head').textContent()).toMatch(/set · key /);
    expect(await page.content()).not.toContain(KEYS.main.secret);
    expect(await page.content()).not.toContain(KEYS.main.apiKey);

    const before = fakes.main.requestCount();
    await page.getByTestId('exchange-test-bybit-main').click();
    await expect.poll(() => listed.locator('.notice-success').textContent(), ENGINE).toMatch(/Connected|accepted/);
    expect(fakes.main.requestCount()).toBeGreaterThan(before);
    // the status bar shows its connectivity
    await expect.poll(() => page.getByTestId('status-bar').textContent(), ENGINE).toContain('bybit/main: connected');
    await page.screenshot({ path: `${SCREENSHOTS}accounts-exchanges.png`, animations: 'disabled', fullPage: true });

    // adding the same name again is refused on its field
    await page.getByTestId('add-account-open').click();
    await form.locator('select[name="newAccountExchange"]').selectOption('bybit');
    await form.locator('input[name="newAccountName"]').fill('main');
    await page.getByTestId('add-account-next').click();
    expect(await form.locator('.field-error').textContent()).toBe('Name: bybit already has an account named main; replace its credentials on its card');
    await form.getByRole('button', { name: 'Cancel' }).click();
  });

  it('binds a live strategy to accounts in order on the Strategies page, the first its default, and shows them in the table', async () => {
    await go('strategies');
    await page.getByTestId('strategy-new').click();
    const form = page.getByTestId('strategy-form');
    await form.locator('input[name="name"]').fill('bound');
    await form.locator('fieldset:has(legend:text-is("Mode"))').getByText('LIVE', { exact: true }).click();
    await form.getByLabel('bybit', { exact: true }).check();
    const row = form.getByTestId('strategy-accounts-bybit');
    expect(await row.textContent()).toContain('default (none named)');
    await row.locator('select[name="accounts-bybit"]').selectOption('default');
    await row.locator('select[name="accounts-bybit"]').selectOption('main');
    expect(await row.locator('.account-chip-name').allTextContents()).toEqual(['default', 'main']);
    await row.getByRole('button', { name: 'Make main the default on bybit' }).click();
    expect(await row.locator('.account-chip-name').allTextContents()).toEqual(['main', 'default']);
    expect(await form.getByTestId('strategy-account-bybit-main').textContent()).toContain('default');
    await page.screenshot({ path: `${SCREENSHOTS}accounts-strategy-form.png`, animations: 'disabled', fullPage: true });
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByTestId('strategy-save').click();
    await page.getByTestId('strategy-row-bound').waitFor(ENGINE);
    expect((await strategyNamed('bound'))?.accounts).toEqual({ bybit: ['main', 'default'] });
    expect(await page.getByTestId('strategy-accounts-cell-bound').textContent()).toBe('bybit: main, default');

    // edit: the form shows them as saved; removing one saves the rest
    await page.getByTestId('strategy-edit-bound').click();
    expect(await form.getByTestId('strategy-accounts-bybit').locator('.account-chip-name').allTextContents()).toEqual(['main', 'default']);
    await form.getByRole('button', { name: 'Remove default from bybit' }).click();
    await page.getByTestId('strategy-save').click();
    await expect.poll(() => page.getByTestId('strategies-message').textContent(), ENGINE).toBe('Saved bound (live).');
    expect((await strategyNamed('bound'))?.accounts).toEqual({ bybit: ['main'] });
  });

  it("after a filled round trip on main, shows the strategy's PnL net of fees in the table and the detail, as computed by hand", async () => {
    expect(await page.getByTestId('strategy-pnl-bound').textContent()).toBe('—');
    await filledOrder({ side: 'Buy' });
    fakes.main.setPrice('BTCUSDT', 61_000, 'linear');
    await filledOrder({ side: 'Close' });
    // the default account was never asked to trade
    expect(fakes.default.createdOrders()).toEqual([]);
    expect(fakes.main.createdOrders().map((order) => `${order.side} ${order.qty} ${order.status}`)).toEqual(['buy 0.01 filled', 'sell 0.01 filled']);

    // 0.01 × (61 000 − 60 000) = 10 USDT realized; taker fees 0.055 % of 600 and of 610: 0.33 + 0.3355 = 0.6655; net 9.3345
    await expect.poll(() => page.getByTestId('strategy-pnl-bound').textContent(), ENGINE).toBe('+9.3345 USDTtoday +9.3345');
    await page.getByTestId('strategy-open-bound').click();
    const detail = page.getByTestId('strategy-detail');
    await expect.poll(() => detail.getByTestId('strategy-trades').textContent(), ENGINE).toBe('1 trade closed');
    expect(await detail.getByTestId('strategy-win-rate').textContent()).toBe('win rate 100 % (1 of 1)');
    const periods = await detail.getByTestId('strategy-pnl-periods-USDT').locator('tbody tr').evaluateAll((rows) => rows.map((row) => [...row.querySelectorAll('td')].map((cell) => cell.textContent)));
    expect(periods).toEqual([
      ['Today', '+10', '0.6655', '+9.3345'],
      ['7 d', '+10', '0.6655', '+9.3345'],
      ['30 d', '+10', '0.6655', '+9.3345'],
      ['All', '+10', '0.6655', '+9.3345'],
    ]);
    expect(await detail.getByTestId('strategy-open-lots-none').count()).toBe(1);
    // the equity curve: its chart drawn, its points the cumulative net PnL (the Buy's fee, then the Close), ending at the net
    const chart = detail.getByTestId('strategy-equity-USDT');
    await expect.poll(() => chart.locator('canvas').count(), ENGINE).toBeGreaterThan(0);
    // the chart writes its points once its series holds them, a moment after the canvas
    const plotted = async () => JSON.parse((await chart.getAttribute('data-points')) ?? '[]') as { time: number; value: number }[];
    await expect.poll(async () => (await plotted()).at(-1)?.value, ENGINE).toBe(9.3345);
    const points = await plotted();
    if (points.length > 1) expect(points[0]?.value).toBe(-0.33);
    expect(JSON.parse((await chart.getAttribute('data-price-lines')) ?? '[]')).toEqual([0]);
    expect(await detail.getByTestId('strategy-equity-caption-USDT').textContent()).toBe('USDT, net of fees: now +9.3345');
    await page.screenshot({ path: `${SCREENSHOTS}accounts-strategy-pnl.png`, animations: 'disabled', fullPage: true });

    // what is open shows in the detail, live as the orders fill
    await filledOrder({ side: 'Sell', qty: 0.02 });
    await expect.poll(() => detail.getByTestId('strategy-open-lots').locator('tbody tr').first().textContent(), ENGINE).toBe('bybit · mainBTC/USDT:USDTshort0.0261,000——');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('strategy-detail').count()).toBe(0);
    expect(pageProblems).toEqual([]);
  });
});
