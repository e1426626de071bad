import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StrategyOverview } from '../../shared/api-types.js';
import { UI_SESSION_HEADER, UI_SESSION_STORAGE_KEY } from '../../shared/ui-session.js';
import { type FakeExchange, startFakeExchange } from '../fake-exchange/index.js';
import { type RunningServer, startServer } from '../support/apisify-process.js';

/**
 * Order shaping in the browser (Debian's Chromium) against a real `apisify serve`: a live strategy on
 * Bybit pointed at the local fake exchange, set up on the Strategies page, then the manual form's qty
 * unit, leverage and protection, with the engine's preview naming the computed amount and the
 * protective prices, and what the confirm sent. The tests build on each other, in order.
 */
const SCREENSHOTS = fileURLToPath(new URL('../../test-output/screenshots/', import.meta.url));
const EXCHANGE_KEY = { apiKey: 'fake-bybit-key-shaping-0123', secret: 'fake-bybit-secret-shaping-abcdefghij' };

let server: RunningServer;
let exchange: FakeExchange;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const pageProblems: string[] = [];
/** Previews the test makes the engine refuse on purpose: Chromium logs each refused request as a console error. */
let expectedRefusals = 0;
/** The live Buy sized from equity, with its protection, for the Live orders detail. */
let sizedBuyId = 0;
/** For what waits on the engine and the exchange (markets, previews, fills): slower while the whole suite shares two cores. */
const ENGINE = { timeout: 15_000 };

async function go(nav: string): Promise<void> {
  await page.getByTestId(`nav-${nav}`).getByRole('link').click();
  await page.locator(`main[data-page="${nav}"]`).waitFor();
}

async function strategyNamed(name: string): Promise<StrategyOverview | undefined> {
  const token = await page.evaluate((key) => window.localStorage.getItem(key), UI_SESSION_STORAGE_KEY);
  const response = await page.request.get(`${server.url}/api/strategies`, { headers: { [UI_SESSION_HEADER]: token ?? '' } });
  expect(response.status()).toBe(200);
  return ((await response.json()) as StrategyOverview[]).find((strategy) => strategy.name === name);
}

function createRequests(): Record<string, unknown>[] {
  return exchange.requests('/v5/order/create').map((request) => request.params);
}

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  [server, exchange, browser] = await Promise.all([
    startServer(),
    startFakeExchange({ venue: 'bybit', ...EXCHANGE_KEY }),
    launchChromium(),
  ]);
  exchange.setBalance('USDT', 10_000);
  exchange.setPrice('BTCUSDT', 60_000, 'linear');
  context = await browser.newContext({ viewport: { width: 1280, height: 800 }, timezoneId: 'Europe/Berlin' });
  context.setDefaultTimeout(10_000);
  page = await context.newPage();
  page.on('pageerror', (error) => pageProblems.push(error.message));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    if (expectedRefusals > 0 && message.location().url.endsWith('/api/orders/preview') && /status of 4\d\d/.test(message.text())) {
      expectedRefusals--;
      return;
    }
    pageProblems.push(`${message.text()} (${message.location().url})`);
  });
  expect((await page.goto(server.ui))?.status()).toBe(200);
  await page.locator('.conn-live').waitFor();
  const token = await page.evaluate((key) => window.localStorage.getItem(key), UI_SESSION_STORAGE_KEY);
  const saved = await page.request.put(`${server.url}/api/exchanges/bybit`, { headers: { [UI_SESSION_HEADER]: token ?? '' }, data: { ...EXCHANGE_KEY, baseUrl: exchange.url } });
  expect(saved.status()).toBe(200);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await exchange?.close();
});

describe('order shaping in the browser', () => {
  it('saves every shaping setting of a new strategy, shows them in the table, and edits them', async () => {
    await go('strategies');
    await page.getByTestId('strategy-new').click();
    const form = page.getByTestId('strategy-form');
    await form.locator('input[name="name"]').fill('shaped');
    await form.locator('fieldset:has(legend:text-is("Mode"))').getByText('LIVE', { exact: true }).click();
    await form.getByLabel('bybit', { exact: true }).check();
    await form.locator('select[name="qtyUnit"]').selectOption('equity_percent');
    await form.locator('input[name="maxNotional"]').fill('5000');
    await form.locator('input[name="leverage"]').fill('3');
    await form.locator('input[name="maxLeverage"]').fill('10');
    await form.locator('select[name="marginMode"]').selectOption('cross');
    await form.locator('input[name="stopLossPercent"]').fill('2');
    await form.locator('input[name="takeProfitPercent"]').fill('5');
    await form.locator('input[name="maxLag"]').fill('1.5');
    await form.locator('select[name="onProtectionFailure"]').selectOption('close');
    await form.locator('input[name="dryRunBalance"]').fill('2500');
    // Refused as the server would, on its field, and nothing saved.
    await page.getByTestId('strategy-save').click();
    await expect.poll(() => form.locator('.field-invalid .field-error').textContent(), ENGINE).toBe('maxLag: expected whole seconds from 1 to 86400');
    expect(await strategyNamed('shaped')).toBeUndefined();
    await form.locator('input[name="maxLag"]').fill('60');
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByTestId('strategy-save').click();
    await page.getByTestId('strategy-row-shaped').waitFor();
    expect(await strategyNamed('shaped')).toMatchObject({
      mode: 'live',
      exchanges: ['bybit'],
      qtyUnit: 'equity_percent',
      maxNotional: 5000,
      leverage: 3,
      maxLeverage: 10,
      marginMode: 'cross',
      stopLossPercent: 2,
      takeProfitPercent: 5,
      maxLag: 60,
      onProtectionFailure: 'close',
      dryRunBalance: 2500,
    });
    expect(await page.getByTestId('strategy-shaping-shaped').textContent()).toBe('qty in % of equity · value ≤ 5,000 · 3x · request leverage ≤ 10x · cross · SL 2 % · TP 5 % · max lag 60 s · closes if protection fails');
    expect(await page.getByTestId('strategy-shaping-test_strategy').textContent()).toBe('balance 10,000');

    // Edit: the form shows what was saved; clearing a field sets it to none, the rest stays.
    await page.getByTestId('strategy-edit-shaped').click();
    expect(await form.locator('select[name="qtyUnit"]').inputValue()).toBe('equity_percent');
    expect(await form.locator('input[name="maxLeverage"]').inputValue()).toBe('10');
    expect(await form.locator('select[name="marginMode"]').inputValue()).toBe('cross');
    expect(await form.locator('input[name="maxLag"]').inputValue()).toBe('60');
    expect(await form.locator('select[name="onProtectionFailure"]').inputValue()).toBe('close');
    await form.locator('input[name="leverage"]').fill('');
    await form.locator('input[name="stopLossPercent"]').fill('1.5');
    await form.locator('input[name="maxNotional"]').fill('');
    await page.screenshot({ path: `${SCREENSHOTS}shaping-strategy-form.png`, animations: 'disabled' });
    await page.getByTestId('strategy-save').click();
    await expect.poll(() => page.getByTestId('strategies-message').textContent(), ENGINE).toBe('Saved shaped (live).');
    expect(await strategyNamed('shaped')).toMatchObject({ leverage: null, stopLossPercent: 1.5, maxNotional: null, takeProfitPercent: 5, maxLeverage: 10, maxLag: 60, qtyUnit: 'equity_percent' });
  });

  it('previews a Buy sized at 10 % of equity with leverage and protection, naming the amount and the prices, then sends exactly that', async () => {
    await go('manual');
    const form = page.getByTestId('manual-form');
    await form.locator('select[name="strategy"]').selectOption('shaped');
    await expect.poll(() => page.getByTestId('symbol-source').textContent(), ENGINE).toMatch(/perpetual markets on your bybit account/);
    await form.locator('input[name="symbol"]').fill('BTCUSDT');
    await page.getByTestId('side-Buy').click();
    await form.locator('input[name="qty"]').fill('10');
    // The strategy counts qty in percent of equity: the form says so.
    expect(await form.locator('.field', { has: page.locator('select[name="qty_unit"]') }).locator('.field-hint').textContent()).toBe("The strategy's: % of equity");
    expect(await form.locator('.field', { has: page.locator('input[name="qty"]') }).locator('.field-hint').textContent()).toBe("Percent of the account's equity in the settle currency: 10 is 10 %");
    expect(await form.locator('.field', { has: page.locator('input[name="stop_loss"]') }).locator('.field-hint').textContent()).toMatch(/empty: the strategy's 1\.5 %$/);
    await form.locator('input[name="leverage"]').fill('5');
    await form.locator('input[name="take_profit"]').fill('63000');
    await page.getByTestId('manual-preview').click();
    await expect.poll(() => page.getByTestId('preview-headline').textContent(), ENGINE).toBe('buy 0.016');
    expect(await page.getByTestId('preview-sizing').textContent()).toBe('10 % of equity 10,000 USDT at 60,000 = 0.016 BTC (worth 960 USDT)');
    // The strategy's stop-loss (1.5 % below 60,000) and the order's own take-profit, on the tick.
    expect(await page.getByTestId('preview-protection').textContent()).toBe('stop-loss 59,100 · take-profit 63,000 (from 60,000), sent with the order; bybit holds them on the position');
    expect(await page.getByTestId('preview-leverage').textContent()).toBe("5x, set on bybit before the order where the account's differs");
    expect(await page.getByTestId('preview-margin-mode').textContent()).toMatch(/^cross: checked before the order/);
    expect(await page.getByTestId('preview-legs').locator('tbody tr').allInnerTexts()).toEqual(['1\tbuy\tmarket\t0.016\tmarket\tno']);
    expect(await page.getByTestId('manual-confirm').textContent()).toBe('Confirm: send LIVE order');
    await page.screenshot({ path: `${SCREENSHOTS}shaping-manual-preview.png`, animations: 'disabled' });
    expect(createRequests()).toEqual([]);

    await page.getByTestId('manual-confirm').click();
    await expect.poll(() => page.getByTestId('result-status').textContent(), ENGINE).toBe('filled');
    sizedBuyId = Number(await page.getByTestId('result-id').getAttribute('data-order-id'));
    const [create] = createRequests();
    expect(create).toMatchObject({ category: 'linear', symbol: 'BTCUSDT', side: 'Buy', orderType: 'Market', qty: '0.016', stopLoss: '59100', takeProfit: '63000' });
    expect(exchange.requests('/v5/position/set-leverage').map((request) => request.params)).toMatchObject([{ symbol: 'BTCUSDT', buyLeverage: '5', sellLeverage: '5' }]);
    expect(exchange.positions().find((position) => position.symbol === 'BTCUSDT')).toMatchObject({ qty: 0.016 });
  });

  it('refuses a stop on the wrong side and leverage above the strategy’s limit, each on its field, sending nothing', async () => {
    const form = page.getByTestId('manual-form');
    const sent = createRequests().length;
    await form.locator('input[name="stop_loss"]').fill('61000');
    expectedRefusals = 1;
    await page.getByTestId('manual-preview').click();
    await expect.poll(() => page.getByTestId('preview-refused').textContent(), ENGINE).toContain('protection_wrong_side');
    expect(await form.locator('.field', { has: page.locator('input[name="stop_loss"]') }).locator('.field-error').textContent()).toMatch(/^stop_loss: a long's stop-loss must be below the reference price 60000, got 61000/);
    expect(await page.getByTestId('manual-confirm').isDisabled()).toBe(true);

    await form.locator('select[name="stop_loss_input"]').selectOption('percent');
    await form.locator('input[name="stop_loss"]').fill('1');
    await form.locator('input[name="leverage"]').fill('20');
    expectedRefusals = 1;
    await page.getByTestId('manual-preview').click();
    await expect.poll(() => page.getByTestId('preview-refused').textContent(), ENGINE).toContain('leverage_above_limit');
    expect(await form.locator('.field', { has: page.locator('input[name="leverage"]') }).locator('.field-error').textContent()).toBe('leverage: strategy shaped allows at most 10x, got 20x');
    await expect.poll(() => expectedRefusals, ENGINE).toBe(0);
    expect(createRequests().length).toBe(sent);
  });

  it('sizes a quote amount with a percent stop in dry run, and closes half of a live position by percent', async () => {
    const form = page.getByTestId('manual-form');
    await form.locator('input[name="leverage"]').fill('');
    await form.locator('select[name="strategy"]').selectOption('test_strategy');
    await form.locator('input[name="symbol"]').fill('BTCUSDT');
    await page.getByTestId('type-Limit').click();
    await form.locator('input[name="price"]').fill('65000');
    await form.locator('input[name="qty"]').fill('650');
    await form.locator('select[name="qty_unit"]').selectOption('quote');
    await form.locator('input[name="take_profit"]').fill('');
    await form.locator('input[name="stop_loss"]').fill('2');
    await page.getByTestId('manual-preview').click();
    await expect.poll(() => page.getByTestId('preview-headline').textContent(), ENGINE).toBe('buy 0.01');
    expect(await page.getByTestId('preview-sizing').textContent()).toBe('650 USDT at 65,000 = 0.01 BTC');
    expect(await page.getByTestId('preview-protection').textContent()).toBe('stop-loss 63,700 (from 65,000), simulated by the dry run');
    expect(await page.getByTestId('preview-leverage').count()).toBe(0);
    expect(await page.getByTestId('order-preview').textContent()).toContain('DRY-RUN');

    // Back to the live strategy: close 50 % of the 0.016 BTC the first test bought.
    await form.locator('select[name="strategy"]').selectOption('shaped');
    await page.getByTestId('type-Market').click();
    await form.locator('input[name="price"]').fill('');
    await form.locator('input[name="stop_loss"]').fill('');
    await page.getByTestId('side-Close').click();
    expect(await form.locator('input[name="qty"]').isDisabled()).toBe(true);
    await form.locator('select[name="qty_unit"]').selectOption('position_percent');
    expect(await form.locator('input[name="qty"]').isDisabled()).toBe(false);
    await form.locator('input[name="qty"]').fill('50');
    await page.getByTestId('manual-preview').click();
    await expect.poll(() => page.getByTestId('preview-headline').textContent(), ENGINE).toBe('Close: sell 0.008 to go from +0.016 to +0.008');
    expect(await page.getByTestId('preview-sizing').textContent()).toBe('50 % of the position 0.016 BTC = 0.008 BTC');
    // A reducing order sets no leverage and carries no protection, whatever the strategy's defaults.
    expect(await page.getByTestId('preview-protection').count()).toBe(0);
    expect(await page.getByTestId('preview-leverage').count()).toBe(0);
    expect(await page.getByTestId('preview-legs').locator('tbody tr').allInnerTexts()).toEqual(['1\tsell\tmarket\t0.008\tmarket\tyes']);
  });

  it('opens the advanced fields for a target position and a late signal; a stale signal is previewed as not sent', async () => {
    const form = page.getByTestId('manual-form');
    await form.locator('select[name="qty_unit"]').selectOption('base');
    await page.getByTestId('side-Sell').click();
    await form.locator('input[name="qty"]').fill('');
    await page.getByTestId('manual-advanced').locator('summary').click();
    await form.locator('input[name="target_position"]').fill('-0.01');
    expect(await form.locator('.field', { has: page.locator('input[name="qty"]') }).locator('.field-hint').textContent()).toBe('Optional with a target position: journaled, not used');
    await page.getByTestId('manual-preview').click();
    await expect.poll(() => page.getByTestId('preview-headline').textContent(), ENGINE).toMatch(/sell 0\.026 to go from \+0\.016 to -0\.01/);
    expect(await page.getByTestId('preview-legs').locator('tbody tr').allInnerTexts()).toEqual(['1\tsell\tmarket\t0.026\tmarket\tno']);

    await form.locator('input[name="signal_time"]').fill(new Date(Date.now() - 120_000).toISOString());
    await form.locator('input[name="max_lag"]').fill('30');
    await page.getByTestId('manual-preview').click();
    await expect.poll(() => page.getByTestId('preview-headline').textContent(), ENGINE).toMatch(/^Not sent: the signal is 12\d s old, max_lag 30 s: not sent$/);
    expect(await page.getByTestId('preview-nothing').count()).toBe(1);
    await page.screenshot({ path: `${SCREENSHOTS}shaping-manual-advanced.png`, animations: 'disabled' });
    await form.locator('input[name="max_lag"]').fill('');
    await form.locator('input[name="signal_time"]').fill('');
    await form.locator('input[name="target_position"]').fill('');
  });

  it("builds TradingView messages from the templates, explaining each field and warning of what the strategy refuses", async () => {
    await go('tradingview');
    await page.locator('select[name="tv-strategy"]').selectOption('shaped');
    const message = async () => (await page.getByTestId('alert-message').textContent()) ?? '';
    // The strategy counts in percent of equity; Pine's contracts are amounts, and the message says so.
    expect(JSON.parse(await message())).toMatchObject({ side: '{{strategy.order.action}}', qty: '{{strategy.order.contracts}}', qty_unit: 'base', signal_time: '{{timenow}}' });
    expect(await page.getByTestId('alert-warning').first().textContent()).toMatch(/counts qty in equity_percent/);
    // A strategy's alerts fire for exits too: no stop in the message.
    expect(await page.locator('select[name="tv-stop-loss-kind"]').isDisabled()).toBe(true);

    await page.locator('select[name="tv-sizing"]').selectOption('position');
    expect(JSON.parse(await message())).toMatchObject({ target_position: '{{strategy.position_size}}', qty_unit: 'base' });
    expect(await page.getByTestId('alert-explained').textContent()).toContain("{{strategy.position_size}}: the Pine strategy's position after the order");

    await page.locator('select[name="tv-sizing"]').selectOption('fixed');
    await page.locator('select[name="tv-side"]').selectOption('Sarbuy');
    await page.locator('input[name="tv-qty"]').fill('10');
    await page.locator('select[name="tv-qty-unit"]').selectOption('equity_percent');
    await page.locator('select[name="tv-stop-loss-kind"]').selectOption('percent');
    await page.locator('input[name="tv-stop-loss"]').fill('1.5');
    await page.locator('select[name="tv-take-profit-kind"]').selectOption('plot');
    await page.locator('input[name="tv-take-profit"]').fill('Target');
    await page.locator('input[name="tv-leverage"]').fill('20');
    await page.locator('input[name="tv-max-lag"]').fill('30');
    await expect.poll(() => page.getByTestId('alert-warning').textContent()).toBe('Strategy shaped allows at most 10x from an order: 20x is refused (403 leverage_above_limit).');
    await page.locator('input[name="tv-leverage"]').fill('5');
    await expect.poll(() => page.getByTestId('alert-warning').count()).toBe(0);
    expect(await page.getByTestId('alert-problem').count()).toBe(0);
    const text = await message();
    expect(text).toContain('"take_profit": "{{plot("Target")}}"');
    expect(JSON.parse(text.replace('{{plot("Target")}}', '70000'))).toMatchObject({ side: 'Sarbuy', qty: '10', qty_unit: 'equity_percent', stop_loss_percent: '1.5', take_profit: '70000', leverage: '5', signal_time: '{{timenow}}', max_lag: '30', memo: '{{timenow}}' });
    const explained = page.getByTestId('alert-explained');
    for (const field of ['side', 'qty', 'qty_unit', 'leverage', 'stop_loss_percent', 'take_profit', 'signal_time', 'max_lag', 'memo']) {
      expect(await explained.locator('dt').allTextContents()).toContain(field);
    }
    await page.screenshot({ path: `${SCREENSHOTS}shaping-tradingview.png`, animations: 'disabled', fullPage: true });
    // A message the engine would refuse once filled in says why, before it is pasted into TradingView.
    await page.locator('input[name="tv-qty"]').fill('');
    await expect.poll(() => page.getByTestId('alert-problem').textContent()).toBe('Once TradingView fills it in, the engine would refuse this message: qty is required for side Sarbuy');
  });

  it("shows in the Live orders detail how the order was sized and who holds its protection", async () => {
    await go('orders');
    await page.getByTestId(`order-row-${sizedBuyId}`).click();
    const detail = page.getByTestId('order-detail');
    await expect.poll(() => detail.getByTestId('detail-sizing').textContent(), ENGINE).toBe('10 % of equity 10,000 USDT at 60,000 = 0.016 BTC (worth 960 USDT)');
    expect(await detail.getByTestId('detail-protection').textContent()).toBe('stop-loss 59,100 · take-profit 63,000 (from 60,000), sent with the order; bybit holds them on the position');
    await page.keyboard.press('Escape');
  });

  it('ran without a script error or CSP violation', () => {
    expect(pageProblems).toEqual([]);
  });
});
