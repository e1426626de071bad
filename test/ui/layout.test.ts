import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeExchange, startFakeExchange } from '../fake-exchange/index.js';
import { apisify, createKey, type IssuedKey, type RunningServer, startServer, tempDataDir } from '../support/apisify-process.js';
import { UI_SESSION_HEADER, UI_SESSION_STORAGE_KEY } from '../../shared/ui-session.js';
import { postSignedOrder, SPEC_EXAMPLE } from '../support/signed-order.js';

/**
 * Every page at the two window sizes the app is made for (900 x 600, 1280 x 800), in Debian's Chromium
 * against a real `apisify serve`: nothing that matters is clipped or out of reach, and the newcomer's
 * stumbling blocks (captions that change values, raw floats, sides spelled three ways, stale screens
 * after the engine stopped) stay fixed.
 */
const SCREENSHOTS = fileURLToPath(new URL('../../test-output/screenshots/', import.meta.url));
const SIZES = [
  { width: 900, height: 600 },
  { width: 1280, height: 800 },
] as const;
const PAGES = ['orders', 'positions', 'signals', 'manual', 'strategies', 'keys', 'exchanges', 'tradingview', 'settings'] as const;
const ORDER_COLUMNS = ['Time', '#', 'Strategy', 'Symbol', 'Side', 'Qty', 'Filled', 'Avg', 'Status'];

let server: RunningServer;
/** Where the order detail's price chart reads its candles: public data comes from the account's base URL, never the internet. */
let fake: FakeExchange;
let key: IssuedKey;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const pageProblems: string[] = [];

/** The tables each page loads after it shows: wait for them, not for a guessed time. */
const LOADED: Partial<Record<string, string>> = { orders: '[data-testid="orders-table"] tbody tr', positions: '[data-testid="position-row"]', signals: '[data-testid="signals-table"] tbody tr', strategies: '[data-testid="strategies-table"] tbody tr', keys: '[data-testid="keys-table"] tbody tr', settings: '[data-testid="settings-form"]' };

async function go(nav: string): Promise<void> {
  await page.getByTestId(`nav-${nav}`).getByRole('link').click();
  await page.locator(`main[data-page="${nav}"]`).waitFor();
  const loaded = LOADED[nav];
  if (loaded) await page.locator(loaded).first().waitFor();
}

/** What of `selector` lies outside the window, or outside the box of its scrolling table. */
async function outOfReach(selector: string): Promise<string[]> {
  return page.locator(selector).evaluateAll((elements) =>
    elements
      .filter((element) => (element as HTMLElement).offsetParent !== null)
      .flatMap((element) => {
        const box = element.getBoundingClientRect();
        const wrap = element.closest('.table-wrap')?.getBoundingClientRect();
        const right = Math.min(window.innerWidth, wrap?.right ?? Number.POSITIVE_INFINITY);
        const inside = box.left >= 0 && box.right <= right + 0.5 && box.top >= 0 && box.bottom <= window.innerHeight + 0.5;
        return inside ? [] : [`${(element.textContent ?? '').trim().slice(0, 40)} at ${Math.round(box.left)}..${Math.round(box.right)} x ${Math.round(box.top)}..${Math.round(box.bottom)}`];
      }),
  );
}

/**
 * What of `selector` is cut off sideways: past the window's edges, or past the box of its scrolling
 * table. Forms may be taller than a 600 px window (the page scrolls); nothing may need a sideways scroll.
 */
async function clippedSideways(selector: string): Promise<string[]> {
  return page.locator(selector).evaluateAll((elements) =>
    elements
      .filter((element) => (element as HTMLElement).offsetParent !== null)
      .flatMap((element) => {
        const box = element.getBoundingClientRect();
        const wrap = element.closest('.table-wrap')?.getBoundingClientRect();
        const right = Math.min(window.innerWidth, wrap?.right ?? Number.POSITIVE_INFINITY);
        const name = element.getAttribute('name') ?? (element.textContent ?? '').trim().slice(0, 40);
        return box.left >= 0 && box.right <= right + 0.5 && box.width > 0 ? [] : [`${name} at ${Math.round(box.left)}..${Math.round(box.right)}`];
      }),
  );
}

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const dataDir = tempDataDir();
  key = await createKey(dataDir);
  fake = await startFakeExchange({ venue: 'bybit', apiKey: 'fake-layout-key-0123456789', secret: 'fake-layout-secret-abcdefghijkl' });
  fake.setBalance('USDT', 25_000); // the Positions page's live account shows a balance row
  expect((await apisify(dataDir, ['exchange', 'set', 'bybit', '--api-key', 'fake-layout-key-0123456789', '--secret', '-', '--base-url', fake.url], { input: 'fake-layout-secret-abcdefghijkl\n' })).code).toBe(0);
  // The dry run's simulated account starts with 10 000 USDT: enough for three BTC at 1x.
  expect((await apisify(dataDir, ['strategy', 'edit', 'test_strategy', '--dry-run-balance', '1000000'])).code).toBe(0);
  expect((await apisify(dataDir, ['strategy', 'add', 'swing_with_a_longer_name', '--symbols', 'BTCUSDT,ETHUSDT,SOLUSDT', '--max-qty', '5', '--exchanges', 'bybit,binance'])).code).toBe(0);
  // a second bybit account (never asked: no strategy trades on it), so the strategy form has accounts to choose from
  const named = await apisify(dataDir, ['exchange', 'set', 'bybit', '--account', 'sub_account_2', '--api-key', 'layout-key-0123456789', '--secret', '-', '--base-url', 'http://127.0.0.1:9'], { input: 'layout-secret-0123456789\n' });
  expect(named.code, named.stderr).toBe(0);
  [server, browser] = await Promise.all([
    startServer(dataDir),
    launchChromium(),
  ]);
  // BTCUSDT ends at +3 @ 61333.333…: a simulated entry to print as a price; ETHUSDT goes through every side and ends flat.
  const orders = [
    { side: 'long', qty: 1, price: 60000, symbol: 'BTCUSDT' },
    { side: 'buy', qty: 2, price: 62000, symbol: 'BTCUSDT' },
    { side: 'Buy', qty: 1, price: 3000, symbol: 'ETHUSDT' },
    { side: 'Sell', qty: 1, price: 3010, symbol: 'ETHUSDT' },
    { side: '-2', qty: 1, price: 3020, symbol: 'ETHUSDT' },
    { side: 'Close', qty: 0, price: 3030, symbol: 'ETHUSDT' },
  ];
  for (const [index, order] of orders.entries()) {
    // The dry run fills a Market order at the exchange's price: the fake's, as the order says. A price
    // read less than a second ago stands for the price now, so a new one waits that long.
    if (fake.getPrice(order.symbol) !== order.price) {
      fake.setPrice(order.symbol, order.price);
      await new Promise((resolve) => setTimeout(resolve, 1_100));
    }
    const placed = await postSignedOrder(server.url, key, { ...SPEC_EXAMPLE, exchange: 'bybit', ...order, memo: `layout ${index}` });
    expect(placed.status, JSON.stringify(placed.body)).toBe(200);
  }
  context = await browser.newContext({ viewport: SIZES[1], timezoneId: 'Europe/Berlin' });
  context.setDefaultTimeout(5_000);
  page = await context.newPage();
  page.on('pageerror', (error) => pageProblems.push(error.message));
  expect((await page.goto(server.ui))?.status()).toBe(200);
  await page.locator('.conn-live').waitFor();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await fake?.close();
});

describe.each(SIZES)('at $width x $height', (size) => {
  beforeAll(async () => {
    await page.setViewportSize(size);
  });

  it.each(PAGES)('%s: no sideways scrolling, the status bar whole, screenshot', async (name) => {
    await go(name);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    expect(await outOfReach('[data-testid="status-bar"] .bar-item, [data-testid="status-bar"] .pause')).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOTS}layout-${name}-${size.width}x${size.height}.png`, animations: 'disabled' });
  });

  it('orders: what an order is and how it stands stays in view, with the detail open too', async () => {
    await go('orders');
    const header = (text: string) => `[data-testid="orders-table"] thead th:text-is("${text}")`;
    for (const column of ORDER_COLUMNS) expect(await outOfReach(header(column)), column).toEqual([]);
    await page.locator('[data-testid^="order-row-"]').first().click();
    await page.getByTestId('order-detail').waitFor();
    for (const column of ORDER_COLUMNS) expect(await outOfReach(header(column)), `${column} with the detail open`).toEqual([]);
    expect(await outOfReach('[data-testid="order-detail"] .detail-header')).toEqual([]);
    // the price chart: whole in the window and inside the detail, its canvas as wide as its box
    const chart = page.getByTestId('order-detail').getByTestId('price-chart');
    await chart.locator('canvas').first().waitFor();
    expect(await outOfReach('[data-testid="order-detail"] [data-testid="price-chart"]')).toEqual([]);
    const [box, detail] = await Promise.all([chart.boundingBox(), page.getByTestId('order-detail').boundingBox()]);
    expect(box && detail && box.x >= detail.x && box.x + box.width <= detail.x + detail.width).toBe(true);
    const drawn = await chart.locator('canvas').evaluateAll((canvases) => Math.max(...canvases.map((canvas) => canvas.getBoundingClientRect().right)) - Math.min(...canvases.map((canvas) => canvas.getBoundingClientRect().left)));
    expect(Math.abs(drawn - (box?.width ?? 0))).toBeLessThanOrEqual(4); // its border, and sub-pixel rounding
    await page.screenshot({ path: `${SCREENSHOTS}layout-order-detail-${size.width}x${size.height}.png`, animations: 'disabled' });
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('order-detail').count()).toBe(0);
  });

  it('positions: what is open and its Close stay in view, Flatten in reach, and the confirm dialogs whole', async () => {
    await go('positions');
    // the dry run's BTCUSDT, and the live account's balance from the fake
    await page.locator('[data-testid="account-section"][data-account="bybit/default"] [data-testid="balance-row"]').first().waitFor();
    const header = (text: string) => `[data-testid="positions-table"] thead th:text-is("${text}")`;
    // Every account has its section (the named one the walk added too): the table may start below the
    // fold, and once scrolled to, its columns and each row's Close must be in view together.
    await page.locator('[data-testid="positions-table"]').first().scrollIntoViewIfNeeded();
    for (const column of ['Symbol', 'Side', 'Size', 'Unrealized PnL']) expect(await outOfReach(header(column)), column).toEqual([]);
    expect(await outOfReach('[data-testid="position-row"] [data-testid="position-close"], [data-testid="position-row"] [data-testid="position-size"]')).toEqual([]);
    await page.getByTestId('flatten-all').scrollIntoViewIfNeeded();
    expect(await outOfReach('[data-testid="flatten-all"]')).toEqual([]);
    expect(await clippedSideways('[data-testid="flatten-account"], [data-testid="balances-table"] th, [data-testid="balance-row"] td')).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOTS}layout-positions-full-${size.width}x${size.height}.png`, animations: 'disabled', fullPage: true });

    await page.getByTestId('flatten-all').click();
    const flatten = page.getByTestId('flatten-dialog');
    await expect.poll(() => flatten.getByTestId('flatten-confirm').isEnabled()).toBe(true);
    expect(await outOfReach('[data-testid="flatten-dialog"]')).toEqual([]);
    await flatten.getByTestId('flatten-confirm').scrollIntoViewIfNeeded();
    expect(await outOfReach('[data-testid="flatten-dialog"] [data-testid="flatten-confirm"], [data-testid="flatten-dialog"] [data-testid="flatten-pause"]')).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOTS}layout-positions-flatten-${size.width}x${size.height}.png`, animations: 'disabled' });
    await page.keyboard.press('Escape');
    await expect.poll(() => flatten.count()).toBe(0);

    await page.locator('[data-testid="position-row"] [data-testid="position-close"]').first().click();
    const close = page.getByTestId('close-dialog');
    await expect.poll(() => close.getByTestId('close-confirm').isEnabled(), { timeout: 15_000 }).toBe(true);
    expect(await outOfReach('[data-testid="close-dialog"]')).toEqual([]);
    await close.getByTestId('close-confirm').scrollIntoViewIfNeeded();
    expect(await outOfReach('[data-testid="close-dialog"] [data-testid="close-confirm"]')).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOTS}layout-positions-close-${size.width}x${size.height}.png`, animations: 'disabled' });
    await page.keyboard.press('Escape');
    await expect.poll(() => close.count()).toBe(0);
    // nothing was flattened or closed by looking
    expect(await page.locator('[data-testid="position-row"]').count()).toBe(1);
  });

  it('signals: when, from whom, what and how it was answered stay in view, and the download in reach', async () => {
    await go('signals');
    const header = (text: string) => `[data-testid="signals-table"] thead th:text-is("${text}")`;
    for (const column of ['Time', 'Source', 'Strategy', 'Symbol', 'Side', 'Answer', 'Reason / plan']) expect(await outOfReach(header(column)), column).toEqual([]);
    expect(await outOfReach('[data-testid="signals-csv"], [data-testid="signal-filter-outcome"], [data-testid="signal-filter-strategy"]')).toEqual([]);
  });

  it('manual order: every sizing, leverage and protection field in reach, the advanced ones open too', async () => {
    await go('manual');
    await page.getByTestId('manual-advanced').locator('summary').click();
    const fields = '[data-testid="manual-form"] input, [data-testid="manual-form"] select, [data-testid="manual-form"] button';
    for (const name of ['qty_unit', 'leverage', 'stop_loss', 'stop_loss_input', 'take_profit', 'take_profit_input', 'target_position', 'signal_time', 'max_lag', 'reduce_only']) {
      expect(await page.locator(`[data-testid="manual-form"] [name="${name}"]`).isVisible(), name).toBe(true);
    }
    expect(await clippedSideways(fields)).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await page.screenshot({ path: `${SCREENSHOTS}layout-manual-shaping-${size.width}x${size.height}.png`, animations: 'disabled', fullPage: true });
    await page.getByTestId('manual-advanced').locator('summary').click();
  });

  it("strategies: the form's shaping settings in reach, and Save after a scroll", async () => {
    await go('strategies');
    await page.getByTestId('strategy-new').click();
    const form = page.getByTestId('strategy-form');
    await form.getByTestId('strategy-accounts-bybit').locator('select[name="accounts-bybit"]').selectOption('sub_account_2');
    for (const name of ['accounts-bybit', 'qtyUnit', 'maxNotional', 'leverage', 'maxLeverage', 'marginMode', 'stopLossPercent', 'takeProfitPercent', 'maxLag', 'onProtectionFailure', 'dryRunBalance']) {
      expect(await form.locator(`[name="${name}"]`).isVisible(), name).toBe(true);
    }
    expect(await clippedSideways('[data-testid="strategy-form"] input, [data-testid="strategy-form"] select, [data-testid="strategy-form"] button')).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await page.getByTestId('strategy-save').scrollIntoViewIfNeeded();
    expect(await outOfReach('[data-testid="strategy-save"]')).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOTS}layout-strategy-form-${size.width}x${size.height}.png`, animations: 'disabled', fullPage: true });
    await form.getByRole('button', { name: 'Cancel' }).click();
  });

  it("strategies: a strategy's PnL detail and the table's PnL column in reach", async () => {
    await go('strategies');
    await page.getByTestId('strategy-open-test_strategy').click();
    const detail = page.getByTestId('strategy-detail');
    await detail.getByTestId('strategy-pnl-periods-USDT').waitFor();
    // (the chart lays its canvases out in a table of its own: its cells are not the page's)
    await detail.getByTestId('strategy-equity-USDT').locator('canvas').first().waitFor();
    expect(await clippedSideways('[data-testid="strategy-detail"] h2, .pnl-periods th, .pnl-periods td, [data-testid="strategy-detail"] figcaption, [data-testid="strategy-detail"] .chart, [data-testid="strategy-detail-close"]')).toEqual([]);
    expect(await outOfReach('[data-testid="strategy-detail-close"]')).toEqual([]);
    // what it earned is in view beside its name, no sideways scroll of the table needed
    expect(await clippedSideways('[data-testid="strategies-table"] thead th:text-is("PnL (net)"), [data-testid="strategy-pnl-test_strategy"]')).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await page.screenshot({ path: `${SCREENSHOTS}layout-strategy-pnl-${size.width}x${size.height}.png`, animations: 'disabled', fullPage: true });
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('strategy-detail').count()).toBe(0);
  });

  it('exchanges: the named account listed, and the add-account form in reach', async () => {
    await go('exchanges');
    await page.getByTestId('exchange-bybit-sub_account_2').waitFor();
    expect(await clippedSideways('[data-testid="exchange-bybit-sub_account_2"] h2, [data-testid="exchange-bybit-sub_account_2"] button')).toEqual([]);
    await page.getByTestId('add-account-open').click();
    expect(await clippedSideways('[data-testid="add-account"] input, [data-testid="add-account"] select, [data-testid="add-account"] button')).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await page.screenshot({ path: `${SCREENSHOTS}layout-exchanges-add-account-${size.width}x${size.height}.png`, animations: 'disabled' });
    await page.getByTestId('add-account').getByRole('button', { name: 'Cancel' }).click();
  });

  it("tradingview: a fixed signal's sizing, protection, leverage and late-signal options in reach, and the explanations", async () => {
    await go('tradingview');
    await page.locator('select[name="tv-sizing"]').selectOption('fixed');
    await page.locator('select[name="tv-stop-loss-kind"]').selectOption('plot');
    await page.locator('select[name="tv-take-profit-kind"]').selectOption('percent');
    for (const name of ['tv-sizing', 'tv-side', 'tv-qty', 'tv-qty-unit', 'tv-stop-loss-kind', 'tv-stop-loss', 'tv-take-profit', 'tv-leverage', 'tv-max-lag']) {
      expect(await page.locator(`[name="${name}"]`).isVisible(), name).toBe(true);
    }
    expect(await clippedSideways('main input, main select, [data-testid="alert-explained"] dd')).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await page.screenshot({ path: `${SCREENSHOTS}layout-tradingview-shaping-${size.width}x${size.height}.png`, animations: 'disabled', fullPage: true });
    await page.locator('select[name="tv-sizing"]').selectOption('orders');
  });

  it("strategies: every row's Edit and Remove stay in reach", async () => {
    await go('strategies');
    await expect.poll(() => page.locator('[data-testid^="strategy-edit-"]').count()).toBe(2);
    expect(await outOfReach('[data-testid^="strategy-edit-"], [data-testid^="strategy-remove-"]')).toEqual([]);
  });
});

describe('what a newcomer stumbled on', () => {
  beforeAll(async () => {
    await page.setViewportSize(SIZES[1]);
  });

  it('shows sides by their meaning, the spelling sent in the detail, and computed prices rounded', async () => {
    await go('orders');
    await expect.poll(() => page.locator('[data-testid="orders-table"] tbody tr').count()).toBe(6);
    const sides = await page.locator('[data-testid="orders-table"] tbody .side').allTextContents();
    expect(new Set(sides)).toEqual(new Set(['Buy', 'Sell', 'SAR sell', 'Close']));
    const longRow = page.locator('[data-testid^="order-row-"]').last();
    await longRow.click();
    await expect.poll(() => page.getByTestId('detail-side').textContent()).toBe('Buy · sent as “long”');
    await page.keyboard.press('Escape');
    await go('strategies');
    await expect.poll(async () => (await page.getByTestId('strategy-row-test_strategy').textContent()) ?? '').toMatch(/@ 61\d{3}\.\d{1,2}(?!\d)/);
    const position = (await page.getByTestId('strategy-row-test_strategy').textContent()) ?? '';
    expect(position).not.toMatch(/\d{6,}\.\d{6,}|\.\d{5,}/);
  });

  it('clicking a caption changes nothing: radio groups are fieldsets with a legend', async () => {
    await go('manual');
    const side = page.locator('fieldset:has(legend:text-is("Side"))');
    await side.getByText('Sell', { exact: true }).click();
    await page.locator('legend:text-is("Side")').click();
    await page.locator('legend:text-is("Order type")').click();
    expect(await side.locator('input[value="Sell"]').isChecked()).toBe(true);
    expect(await page.locator('fieldset:has(legend:text-is("Order type")) input[value="Market"]').isChecked()).toBe(true);
    await page.locator('fieldset:has(legend:text-is("Order type"))').getByText('Limit', { exact: true }).click();
    await page.locator('legend:text-is("Order type")').click();
    expect(await page.locator('fieldset:has(legend:text-is("Order type")) input[value="Limit"]').isChecked()).toBe(true);
    await go('strategies');
    await page.getByTestId('strategy-edit-swing_with_a_longer_name').click();
    const form = page.getByTestId('strategy-form');
    await form.locator('fieldset:has(legend:text-is("Mode"))').getByText('LIVE', { exact: true }).click();
    await form.locator('legend:text-is("Mode")').click();
    expect(await form.locator('input[name="mode"][value="live"]').isChecked()).toBe(true);
    await form.locator('legend:text-is("Exchanges")').click();
    expect(await form.locator('input[type="checkbox"]:checked').count()).toBe(3); // bybit, binance, and Enabled
    await form.getByRole('button', { name: 'Cancel' }).click();
  });

  it('counts strategies in words, refuses a junk symbol list, and removes a strategy', async () => {
    await go('strategies');
    await expect.poll(() => page.getByTestId('strategies-count').textContent()).toBe('2 strategies · none live');
    await page.getByTestId('strategy-new').click();
    const form = page.getByTestId('strategy-form');
    await form.locator('input[name="name"]').fill('junk');
    await form.locator('input[name="symbols"]').fill('BTC USDT, , ??,');
    await page.getByTestId('strategy-save').click();
    await expect.poll(() => form.locator('.field-error').textContent()).toMatch(/^symbols: "BTC USDT" holds a space/);
    await form.locator('input[name="name"]').fill('TEST_STRATEGY');
    await form.locator('input[name="symbols"]').fill('BTCUSDT');
    await page.getByTestId('strategy-save').click();
    await expect.poll(() => form.locator('.notice-error').textContent()).toMatch(/test_strategy exists, which differs only in case/);
    await form.getByRole('button', { name: 'Cancel' }).click();

    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByTestId('strategy-remove-swing_with_a_longer_name').click();
    await expect.poll(() => page.getByTestId('strategies-message').textContent()).toMatch(/^Removed swing_with_a_longer_name; its orders stay in the journal/);
    await expect.poll(() => page.getByTestId('strategies-count').textContent()).toBe('1 strategy · none live');
    // The next action's message replaces the last one.
    await page.getByTestId('strategy-toggle-test_strategy').click();
    await expect.poll(() => page.getByTestId('strategies-message').textContent()).toBe('test_strategy is disabled.');
    // the switch flips once the list is read again, which may come after the message: a click before it would ask for "disabled" again
    await expect.poll(() => page.getByTestId('strategy-toggle-test_strategy').getAttribute('aria-checked')).toBe('false');
    await page.getByTestId('strategy-toggle-test_strategy').click();
    await expect.poll(() => page.getByTestId('strategies-message').textContent()).toBe('test_strategy is enabled.');
  });

  it('keeps the filters over a reload', async () => {
    await go('orders');
    await page.getByTestId('filter-status').selectOption('filled');
    await page.getByTestId('filter-text').fill('layout 1');
    await expect.poll(() => page.url()).toContain('text=layout+1');
    await page.reload();
    await page.locator('.conn-live').waitFor();
    expect(await page.getByTestId('filter-status').inputValue()).toBe('filled');
    expect(await page.getByTestId('filter-text').inputValue()).toBe('layout 1');
    await expect.poll(() => page.locator('[data-testid^="order-row-"]').count()).toBe(1);
    await page.getByTestId('filter-status').selectOption('');
    await page.getByTestId('filter-text').fill('');
  });

  it('shows times in UTC when the setting says so', async () => {
    await go('orders');
    await expect.poll(() => page.locator('.page-header').textContent()).toContain('times in Europe/Berlin');
    // as the page itself sends it: the session cookie and the page's token
    const token = await page.evaluate((key) => window.localStorage.getItem(key), UI_SESSION_STORAGE_KEY);
    const response = await page.request.patch(`${server.url}/api/settings`, { data: { timeZone: 'utc' }, headers: { Origin: server.url, [UI_SESSION_HEADER]: token ?? '' } });
    expect(response.status()).toBe(200);
    await expect.poll(() => page.locator('.page-header').textContent()).toContain('times in UTC');
  });

  it('says plainly when the engine is gone, and how to get back in after it restarted', async () => {
    await go('orders');
    const port = new URL(server.url).port;
    await server.stop();
    await page.getByTestId('connection-lost').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('connection-lost').textContent()).toMatch(/Not connected to apisify.*may be out of date/);
    await page.screenshot({ path: `${SCREENSHOTS}layout-disconnected.png`, animations: 'disabled' });
    server = await startServer(server.dataDir, ['--port', port]);
    await expect.poll(() => page.getByTestId('connection-lost').textContent(), { timeout: 20_000 }).toMatch(/session has ended.*apisify ui/);
    await page.screenshot({ path: `${SCREENSHOTS}layout-session-ended.png`, animations: 'disabled' });
    expect(pageProblems).toEqual([]);
  });
});
