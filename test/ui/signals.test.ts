import { mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Browser, type Page } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apisify, createKey, type IssuedKey, type RunningServer, startServer, tempDataDir } from '../support/apisify-process.js';
import { csvObjects } from '../support/csv.js';
import { postOrder, postSignedOrder, SPEC_EXAMPLE } from '../support/signed-order.js';

/**
 * The Signals page in Debian's Chromium against a real `apisify serve`: requests posted while it is
 * open appear at once with their reason, the filters narrow the list (and the address keeps them),
 * and the CSV downloads hold what the page shows.
 */
const SCREENSHOTS = fileURLToPath(new URL('../../test-output/screenshots/', import.meta.url));

let server: RunningServer;
let key: IssuedKey;
let browser: Browser;
let page: Page;
const pageProblems: string[] = [];

const rows = () => page.locator('[data-testid="signals-table"] tbody tr');

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const dataDir = tempDataDir();
  key = await createKey(dataDir);
  expect((await apisify(dataDir, ['strategy', 'add', 'swing'])).code).toBe(0);
  // The order detail's price chart reads public candles where the exchange's account points: here nowhere
  // (nothing listens on port 9), so the test never reaches the internet and the chart says it is offline.
  expect((await apisify(dataDir, ['exchange', 'set', 'bybit_testnet', '--api-key', 'nowhere-key-0123456789', '--secret', '-', '--base-url', 'http://127.0.0.1:9'], { input: 'nowhere-secret-0123456789\n' })).code).toBe(0);
  [server, browser] = await Promise.all([
    startServer(dataDir),
    launchChromium(),
  ]);
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
  context.setDefaultTimeout(5_000);
  page = await context.newPage();
  page.on('pageerror', (error) => pageProblems.push(error.message));
  expect((await page.goto(server.ui))?.status()).toBe(200);
  await page.locator('.conn-live').waitFor();
  await page.getByTestId('nav-signals').getByRole('link').click();
  await page.locator('main[data-page="signals"]').waitFor();
  await page.getByTestId('signals-empty').waitFor();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('the Signals page', () => {
  it('shows a refused request live, with its reason and field, and an accepted one with its order', async () => {
    const refused = await postSignedOrder(server.url, key, { ...SPEC_EXAMPLE, strategy: 'no_such_strategy' });
    expect(refused.status).toBe(403);
    await expect.poll(() => rows().count()).toBe(1);
    const row = rows().first();
    expect(await row.getAttribute('data-outcome')).toBe('refused');
    expect(await row.locator('[data-testid^="signal-answer-"]').textContent()).toBe('403 unknown_strategy');
    expect(await row.locator('[data-testid^="signal-reason-"]').textContent()).toBe(refused.body.error?.message);
    expect(await row.textContent()).toContain('no_such_strategy');

    const accepted = await postSignedOrder(server.url, key, { ...SPEC_EXAMPLE, strategy: 'swing', symbol: 'ETHUSDT', price: 3000 });
    expect(accepted.status).toBe(200);
    await expect.poll(() => rows().count()).toBe(2);
    expect(await rows().first().getAttribute('data-outcome')).toBe('accepted');
    expect(await rows().first().locator('[data-testid^="signal-answer-"]').textContent()).toBe('200 filled');
    expect(await rows().first().textContent()).toContain(`#${accepted.body.order?.id}`);

    // A malformed one from a stranger: the address is all that is known of it.
    expect((await postOrder(`${server.url}/v1/order`, { ...SPEC_EXAMPLE, qty: -1, apikey: 'ak_unknown', timestamp: Date.now(), sign: 'x' })).status).toBe(400);
    await expect.poll(() => rows().count()).toBe(3);
    expect(await rows().first().locator('[data-testid^="signal-reason-"]').textContent()).toMatch(/^qty: expected a number greater than 0/);
    await page.screenshot({ path: `${SCREENSHOTS}signals-live.png`, animations: 'disabled' });
  });

  it('filters by outcome and strategy, keeps the filters in the address, and takes entries that fit as they come', async () => {
    await page.getByTestId('signal-filter-outcome').selectOption('refused');
    await expect.poll(() => rows().count()).toBe(2);
    await expect.poll(() => page.url()).toContain('outcome=refused');
    // Accepted, so it stays out of a list of refusals; refused, so it joins.
    expect((await postSignedOrder(server.url, key, { ...SPEC_EXAMPLE, strategy: 'swing' })).status).toBe(200);
    expect((await postSignedOrder(server.url, key, { ...SPEC_EXAMPLE, strategy: 'swing', side: 'sideways' })).status).toBe(400);
    await expect.poll(() => rows().count()).toBe(3);
    expect(await rows().first().locator('[data-testid^="signal-answer-"]').textContent()).toBe('400 invalid_field');

    await page.getByTestId('signal-filter-strategy').fill('swing');
    await expect.poll(() => rows().count()).toBe(1);
    await page.reload();
    await page.locator('.conn-live').waitFor();
    expect(await page.getByTestId('signal-filter-outcome').inputValue()).toBe('refused');
    expect(await page.getByTestId('signal-filter-strategy').inputValue()).toBe('swing');
    await expect.poll(() => rows().count()).toBe(1);

    await page.getByTestId('signal-filter-outcome').selectOption('accepted');
    await expect.poll(() => rows().count()).toBe(2);
    expect(await rows().evaluateAll((list) => list.map((row) => row.getAttribute('data-outcome')))).toEqual(['accepted', 'accepted']);
  });

  it('downloads the list as filtered as CSV, with nothing secret in it', async () => {
    await page.getByTestId('signal-filter-outcome').selectOption('refused');
    await page.getByTestId('signal-filter-strategy').fill('');
    await expect.poll(() => rows().count()).toBe(3);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('signals-csv').click()]);
    expect(download.suggestedFilename()).toMatch(/^apisify-signals-.*\.csv$/);
    const text = readFileSync(await download.path(), 'utf8');
    expect(text).toMatch(/^\uFEFFid,at,outcome,source,/);
    const records = csvObjects(text);
    expect(records.map((record) => record['outcome'])).toEqual(['refused', 'refused', 'refused']);
    expect(records.map((record) => record['code'])).toEqual(['invalid_field', 'invalid_field', 'unknown_strategy']);
    expect(records[0]?.['message']).toMatch(/^side: /);
    expect(text).toContain('unknown_strategy');
    for (const secret of [key.apikey, key.secret]) expect(text).not.toContain(secret);
  });

  it('opens an accepted entry’s order on Live orders, where the orders download as CSV with their legs', async () => {
    await page.getByTestId('signal-filter-outcome').selectOption('accepted');
    await expect.poll(() => rows().count()).toBe(2);
    const orderButton = rows().last().getByRole('button');
    const id = Number(((await orderButton.textContent()) ?? '').replace('#', ''));
    await orderButton.click();
    await page.locator('main[data-page="orders"]').waitFor();
    await page.getByTestId('order-detail').waitFor();
    expect(page.url()).toContain(`order=${id}`);
    await page.keyboard.press('Escape');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('orders-csv').click()]);
    expect(download.suggestedFilename()).toMatch(/^apisify-orders-.*\.csv$/);
    const records = csvObjects(readFileSync(await download.path(), 'utf8'));
    expect(records.map((record) => Number(record['order_id']))).toEqual([id + 1, id]);
    const mine = records.find((record) => Number(record['order_id']) === id);
    expect([mine?.['strategy'], mine?.['symbol'], mine?.['leg'], mine?.['leg_status'], mine?.['filled'], mine?.['average_price']]).toEqual(['swing', 'ETHUSDT', '1', 'filled', '1', '3000']);
    expect(pageProblems).toEqual([]);
  });
});
