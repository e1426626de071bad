// After a full run (CLI, named accounts, signed and TradingView orders, exchange failures, positions,
// balances, PnL and flatten from the CLI and the API, the UI on every page, a position closed and
// flattened from the Positions page), no
// secret used anywhere shows up in the data dir (SQLite, WAL, logs, caches), the server's output, the
// API's answers, the event stream or the renderer's pages. The one place a secret may appear is where
// it is issued, once; the scan is checked against that place, so a scanner that finds nothing fails.

import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type APIResponse, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeExchange, type FakeExchange } from '../fake-exchange/index.js';
import { apisify, createKey, type IssuedKey, type RunningServer, startServer, tempDataDir } from '../support/apisify-process.js';
import { postOrder, postSignedOrder } from '../support/signed-order.js';

const EXCHANGE_KEY = `exk${randomBytes(12).toString('hex')}`;
const EXCHANGE_SECRET = `exs${randomBytes(16).toString('hex')}`;
const TESTNET_KEY = `tnk${randomBytes(12).toString('hex')}`;
const TESTNET_SECRET = `tns${randomBytes(16).toString('hex')}`;
/** A named account's (bybit/main), saved with the CLI, on a fake of its own. */
const MAIN_KEY = `mak${randomBytes(12).toString('hex')}`;
const MAIN_SECRET = `mas${randomBytes(16).toString('hex')}`;
/** A named account's (bybit/sub2) typed in the UI's Add an account. */
const SUB_KEY = `sbk${randomBytes(12).toString('hex')}`;
const SUB_SECRET = `sbs${randomBytes(16).toString('hex')}`;
const PAGES = ['/', '/positions', '/signals', '/manual', '/strategies', '/keys', '/exchanges', '/tradingview', '/settings'];

let fake: FakeExchange;
let fakeMain: FakeExchange;
let dataDir: string;
let server: RunningServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let signing: IssuedKey;
let tradingView: IssuedKey;
const uiKey = { apikey: '', secret: '' };
let sessionCookie = '';
/** The session's second credential, as the app page keeps it. */
let pageToken = '';
let serverOutput = '';

/** Where secrets are issued, once, by design: kept apart so the scan can be checked against them. */
const issuedOnce: string[] = [];
/** Everything else the run produced that a user, a log reader or a page could see. */
const seen: { where: string; text: string }[] = [];

function saw(where: string, text: string): void {
  seen.push({ where, text });
}

async function cli(...args: string[]): Promise<string> {
  return cliTyping(EXCHANGE_SECRET, ...args);
}

/** A command that fails for what it met (an account that cannot be read): its output is scanned all the same. */
async function cliFailing(...args: string[]): Promise<string> {
  const result = await apisify(dataDir, args);
  expect(result.code, result.stdout).toBe(1);
  saw(`apisify ${args.slice(0, 2).join(' ')}`, result.stdout + result.stderr);
  return result.stderr;
}

/** `secret`: what a `--secret -` reads from standard input. */
async function cliTyping(secret: string, ...args: string[]): Promise<string> {
  const result = await apisify(dataDir, args, args.includes('-') ? { input: `${secret}\n` } : {});
  if (result.code !== 0) throw new Error(`apisify ${args.join(' ')}: ${result.stderr}`);
  saw(`apisify ${args.slice(0, 2).join(' ')}`, result.stdout + result.stderr);
  return result.stdout;
}

async function api(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, data?: unknown): Promise<APIResponse> {
  // State changes carry a JSON body, as the renderer sends them.
  return context.request.fetch(`${server.url}${path}`, { method, headers: { 'X-Apisify-Session': pageToken }, ...(method === 'GET' ? {} : { data: data ?? {} }) });
}

/** The forms a secret could leak in: as is, base64 (headers, blobs), hex (buffers dumped). */
function formsOf(secret: string): string[] {
  return [secret, Buffer.from(secret).toString('base64').replace(/=+$/, ''), Buffer.from(secret).toString('hex')];
}

function leaksOf(secrets: Record<string, string>, places: { where: string; text: string }[]): string[] {
  const leaks: string[] = [];
  for (const [name, secret] of Object.entries(secrets)) {
    for (const form of formsOf(secret)) {
      for (const place of places) if (place.text.includes(form)) leaks.push(`${name} in ${place.where}`);
    }
  }
  return leaks;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

beforeAll(async () => {
  fake = await startFakeExchange({ venue: 'bybit', apiKey: EXCHANGE_KEY, secret: EXCHANGE_SECRET });
  fake.setBalance('USDT', 1_000_000);
  fake.setPrice('BTCUSDT', 60_000);
  fakeMain = await startFakeExchange({ venue: 'bybit', apiKey: MAIN_KEY, secret: MAIN_SECRET, fees: 'standard' });
  fakeMain.setBalance('USDT', 1_000_000);
  fakeMain.setPrice('BTCUSDT', 60_000);
  dataDir = tempDataDir();
  await cli('exchange', 'set', 'bybit', '--api-key', EXCHANGE_KEY, '--secret', '-', '--base-url', fake.url);
  await cli('exchange', 'test', 'bybit');
  await cliTyping(MAIN_SECRET, 'exchange', 'set', 'bybit', '--account', 'main', '--api-key', MAIN_KEY, '--secret', '-', '--base-url', fakeMain.url);
  await cli('exchange', 'test', 'bybit', '--account', 'main');
  await cli('exchange', 'list', '--json');
  await cli('strategy', 'add', 'perp', '--mode', 'live', '--market-type', 'swap');
  await cli('strategy', 'add', 'perp_main', '--mode', 'live', '--market-type', 'swap', '--exchanges', 'bybit', '--account', 'bybit=main');
  await cli('strategy', 'list');
  // with no engine running, these run the engine's services for themselves
  await cli('positions', '--json');
  await cli('balance');
  signing = await createKey(dataDir);
  tradingView = await createKey(dataDir, '--tradingview', '--all-strategies');
  issuedOnce.push(JSON.stringify(signing), JSON.stringify(tradingView));
  await cli('keys', 'list', '--json');

  server = await startServer(dataDir, [], { APISIFY_EXCHANGE_RATE_LIMIT: 'off' });
  server.process.stdout?.on('data', (chunk: Buffer) => (serverOutput += chunk.toString()));
  browser = await launchChromium();
  context = await browser.newContext({ acceptDownloads: true });
  context.setDefaultTimeout(10_000);
  // Every event the pages' EventSource delivers is kept for the scan.
  await context.addInitScript(`(() => {
    const Native = window.EventSource;
    window.__streamed = [];
    window.EventSource = class extends Native {
      constructor(url, init) { super(url, init); this.addEventListener('message', (m) => window.__streamed.push(m.data)); }
    };
  })()`);
  context.on('response', (response) => {
    const url = response.url();
    if (url.endsWith('/api/events')) return; // a stream that never ends; its messages are kept by the page
    void response
      .text()
      .then((text) => {
        const where = `${response.request().method()} ${new URL(url).pathname}`;
        if (where === 'POST /api/keys') issuedOnce.push(text);
        else saw(`answer to ${where}`, `${JSON.stringify(response.headers())}\n${text}`);
      })
      .catch(() => undefined);
  });
  page = await context.newPage();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await fake?.close();
  await fakeMain?.close();
});

describe('a full run', () => {
  it('trades through the API, TradingView and the UI, and meets exchange failures', async () => {
    const order = (fields: Record<string, unknown>) =>
      postSignedOrder(server.url, signing, { strategy: 'perp', exchange: 'bybit', order_type: 'Market', symbol: 'BTCUSDT', qty: 0.01, side: 'Buy', ...fields });
    const answers = [
      await order({}),
      await order({ order_type: 'Limit', price: 55_000 }),
      await order({ side: 'Close' }),
      await postSignedOrder(server.url, { ...signing, secret: 'not-the-secret' }, { strategy: 'perp', exchange: 'bybit', order_type: 'Market', symbol: 'BTCUSDT', qty: 0.01, side: 'Buy' }),
      await postOrder(`${server.url}/v1/order`, JSON.stringify({ strategy: 'perp', exchange: 'bybit', order_type: 'Market', symbol: 'BTCUSDT.P', qty: '0.01', side: 'sell', apikey: tradingView.apikey }), { 'Content-Type': 'text/plain' }),
      await postOrder(`${server.url}/v1/order`, { strategy: 'perp', apikey: signing.apikey, sign: 'x', timestamp: Date.now(), secret: signing.secret }),
    ];
    fake.failNext('auth');
    answers.push(await order({ side: 'Sell' }));
    fake.failNext('insufficient_funds');
    answers.push(await order({ side: 'Sell' }));
    answers.push(await postSignedOrder(server.url, signing, { strategy: 'perp_main', exchange: 'bybit', order_type: 'Market', symbol: 'BTCUSDT', qty: 0.01, side: 'Buy', account: 'main' }));
    fakeMain.setPrice('BTCUSDT', 61_000);
    answers.push(await postSignedOrder(server.url, signing, { strategy: 'perp_main', exchange: 'bybit', order_type: 'Market', symbol: 'BTCUSDT', qty: 0.02, side: 'Sell' }));
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 401, 200, 400, 422, 422, 200, 200]);
    expect(answers.slice(8).map((answer) => `${answer.body.order?.account as string} ${answer.body.order?.status as string}`)).toEqual(['main filled', 'main filled']);
    expect(answers.slice(6, 8).map((answer) => answer.body.error?.code)).toEqual(['exchange_auth_failed', 'insufficient_funds']);
    answers.forEach((answer, index) => saw(`answer to order ${index + 1}`, `${JSON.stringify(Object.fromEntries(answer.headers))}\n${JSON.stringify(answer.body)}`));

    // The UI: open the link, use the pages that handle secrets, then the rest.
    await page.goto(server.ui);
    sessionCookie = (await context.cookies()).find((cookie) => cookie.name.startsWith('apisify_session'))?.value ?? '';
    expect(sessionCookie.length).toBeGreaterThan(16);
    pageToken = String(await page.evaluate("localStorage.getItem('apisify.session')"));

    await page.goto(`${server.url}/keys`);
    await page.locator('input[name="label"]').fill('ui bot');
    await page.getByTestId('key-create').click();
    await page.getByTestId('issued-key').waitFor();
    uiKey.apikey = (await page.getByTestId('issued-apikey').textContent()) ?? '';
    uiKey.secret = (await page.getByTestId('issued-secret').textContent()) ?? '';
    expect(uiKey.secret.length).toBeGreaterThan(16);
    await page.getByTestId('issued-done').click();
    await expect.poll(() => page.getByTestId('issued-key').count()).toBe(0);

    await page.goto(`${server.url}/exchanges`);
    const card = page.getByTestId('exchange-bybit_testnet');
    await card.locator('input[name="apiKey"]').fill(TESTNET_KEY);
    await card.locator('input[name="secret"]').fill(TESTNET_SECRET);
    await card.locator('input[name="baseUrl"]').fill(fake.url); // the fake does not know this key: a refusal
    await card.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => card.textContent()).toContain('Saved to the keychain');
    await card.getByTestId('exchange-test-bybit_testnet').click();
    await expect.poll(() => card.locator('.notice-error').count(), { timeout: 15_000 }).toBe(1);
    // a named account typed in Add an account (the fake does not know it either)
    await page.getByTestId('add-account-open').click();
    await page.locator('select[name="newAccountExchange"]').selectOption('bybit');
    await page.locator('input[name="newAccountName"]').fill('sub2');
    await page.getByTestId('add-account-next').click();
    const subCard = page.getByTestId('add-account').getByTestId('exchange-bybit-sub2');
    await subCard.locator('input[name="apiKey"]').fill(SUB_KEY);
    await subCard.locator('input[name="secret"]').fill(SUB_SECRET);
    await subCard.locator('input[name="baseUrl"]').fill(fake.url);
    await subCard.getByRole('button', { name: 'Save' }).click();
    await page.getByTestId('add-account-done').waitFor();
    await page.getByTestId('exchange-test-bybit-sub2').click();
    await expect.poll(() => page.getByTestId('exchange-bybit-sub2').locator('.notice-error').count(), { timeout: 15_000 }).toBe(1);
    saw('page /exchanges with named accounts', await page.content());

    const open = answers[1]?.body.order?.id as number;
    expect((await api('POST', `/api/orders/${open}/cancel`)).status()).toBe(200);
    expect((await api('POST', '/api/orders?dry_run=false&market_type=swap&account=default', { strategy: 'perp', exchange: 'bybit', order_type: 'Market', symbol: 'BTCUSDT', qty: 0.01, side: 'Buy' })).status()).toBe(200);
    expect((await api('POST', '/api/exchanges/bybit/test')).status()).toBe(200);
    for (const path of ['/api/status', '/api/orders', `/api/orders/${open}`, '/api/keys', '/api/strategies', '/api/settings', '/api/exchanges']) {
      expect((await api('GET', path)).status()).toBe(200);
    }
    for (const path of ['/api/signals', '/api/signals?outcome=refused', '/api/signals.csv', '/api/orders.csv', '/api/candles?exchange=bybit&symbol=BTCUSDT&marketType=swap&timeframe=1m', '/api/candles?exchange=bybit&symbol=NOPEUSDT&marketType=swap&timeframe=1m', '/api/positions', '/api/balances', '/api/pnl', '/api/pnl/curve?strategy=perp_main', '/api/pnl/curve?exchange=bybit&account=main']) {
      const answer = await api('GET', path);
      expect(answer.status()).toBe(path.includes('NOPE') ? 400 : 200);
      saw(`answer to GET ${new URL(path, server.url).pathname}`, `${JSON.stringify(answer.headers())}\n${await answer.text()}`);
    }
    // The Positions page's reads with a live position open (the orders above left the account flat), then a row's Close previewed and the account flattened from the page.
    expect((await api('POST', '/api/orders?dry_run=false&market_type=swap&account=default', { strategy: 'perp', exchange: 'bybit', order_type: 'Market', symbol: 'BTCUSDT', qty: 0.02, side: 'Buy' })).status()).toBe(200);
    for (const path of ['/api/positions', '/api/balances', '/api/positions?dry_run=only', '/api/balances?dry_run=only']) {
      const answer = await api('GET', path);
      expect(answer.status()).toBe(200);
      saw(`answer to GET ${path}`, `${JSON.stringify(answer.headers())}\n${await answer.text()}`);
    }
    await page.goto(`${server.url}/positions`);
    const account = page.locator('[data-testid="account-section"][data-account="bybit/default"]');
    await account.getByTestId('position-row').first().getByTestId('position-close').click();
    await expect.poll(() => page.getByTestId('close-dialog').getByTestId('close-confirm').isEnabled(), { timeout: 15_000 }).toBe(true);
    saw('page /positions with a Close previewed', await page.content());
    await page.keyboard.press('Escape');
    await account.getByTestId('flatten-account').click();
    await expect.poll(() => page.getByTestId('flatten-confirm').isEnabled()).toBe(true);
    await page.getByTestId('flatten-confirm').click();
    await page.getByTestId('flatten-result').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('flatten-result').textContent()).toMatch(/^Flattened: 1 close done/);
    saw('page /positions after a flatten', await page.content());

    // The signal log and the exports as the command prints them.
    await cli('signals', '--json', '--limit', '1000');
    await cli('signals', '--refused');
    await cli('signals', '--csv');
    await cli('orders', '--csv');
    // positions, balances and PnL as the commands print them, through the running server; then flatten
    // (the accounts whose keys the fake refused are named, with the exchange's words, and fail the command)
    expect(await cliFailing('positions')).toMatch(/could not read bybit\/sub2 .*bybit_testnet\/default/);
    expect(await cliFailing('balance', '--json')).toMatch(/could not read bybit\/sub2 .*bybit_testnet\/default/);
    await cli('pnl');
    await cli('pnl', '--json');

    for (const path of PAGES) {
      await page.goto(`${server.url}${path}`);
      await page.locator('main[data-page]').waitFor();
      await page.waitForTimeout(300); // the page's own requests and the first events
      saw(`page ${path}`, await page.content());
      saw(`storage of ${path}`, String(await page.evaluate('JSON.stringify({ local: { ...localStorage }, session: { ...sessionStorage }, cookie: document.cookie })')));
      saw(`events seen by ${path}`, String(await page.evaluate('JSON.stringify(window.__streamed)')));
    }
    // An order's detail with its price chart, which reads the exchange's public candles through the engine.
    await page.goto(`${server.url}/?order=${answers[0]?.body.order?.id as number}`);
    await page.locator('[data-testid="order-chart"]:not([data-source="loading"])').waitFor();
    saw('page of an order with its chart', await page.content());
    // A strategy's PnL detail with its equity curve.
    await page.goto(`${server.url}/strategies`);
    await page.getByTestId('strategy-open-perp_main').click();
    await page.getByTestId('strategy-equity-USDT').locator('canvas').first().waitFor();
    saw("page of a strategy's PnL", await page.content());
    // The CSV files as the pages' download buttons save them.
    for (const [path, button] of [['/', 'orders-csv'], ['/signals', 'signals-csv']] as const) {
      await page.goto(`${server.url}${path}`);
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(button).click()]);
      saw(`downloaded ${download.suggestedFilename()}`, readFileSync(await download.path()).toString('latin1'));
    }
    expect(JSON.parse(await cli('flatten', '--account', 'bybit/main', '--yes', '--json'))).toMatchObject({ closes: [expect.objectContaining({ account: 'main', status: 'filled' })] });
    await page.close(); // flushes the last answers
    // one long walk through every surface: 23 s alone on a slow two-core machine, more beside other tests
  }, 90_000);

  it('leaves no secret anywhere', async () => {
    await new Promise((resolve) => setTimeout(resolve, 300));
    await server.stop(); // the log is complete and the WAL is as a crash would leave it or checkpointed
    saw('server output', serverOutput + server.stderr());
    for (const file of filesUnder(dataDir)) saw(file.slice(dataDir.length + 1), readFileSync(file).toString('latin1'));

    const secrets = {
      'exchange API secret': EXCHANGE_SECRET,
      'exchange API key': EXCHANGE_KEY,
      'testnet secret typed in the UI': TESTNET_SECRET,
      'testnet key typed in the UI': TESTNET_KEY,
      'signing key secret': signing.secret,
      'signing API key': signing.apikey,
      'TradingView key secret': tradingView.secret,
      'TradingView API key': tradingView.apikey,
      'secret of the key created in the UI': uiKey.secret,
      'API key created in the UI': uiKey.apikey,
      'UI session cookie': sessionCookie,
      'named account secret (CLI)': MAIN_SECRET,
      'named account key (CLI)': MAIN_KEY,
      'named account secret typed in the UI': SUB_SECRET,
      'named account key typed in the UI': SUB_KEY,
    };
    // The places scanned are the ones that matter: the SQLite file, the log, pages, answers.
    const where = new Set(seen.map((place) => place.where));
    for (const expected of ['apisify.sqlite', 'page /keys', 'page /exchanges', 'page /signals', 'answer to GET /api/orders', 'answer to GET /api/signals', 'answer to GET /api/signals.csv', 'answer to GET /api/orders.csv', 'apisify signals --json', 'apisify signals --csv', 'apisify orders --csv', 'answer to order 1', 'server output', 'answer to GET /api/candles', 'page of an order with its chart', 'page /exchanges with named accounts', "page of a strategy's PnL", 'apisify positions --json', 'apisify positions', 'apisify balance', 'apisify balance --json', 'apisify pnl', 'apisify pnl --json', 'apisify flatten --account', 'answer to GET /api/positions', 'answer to GET /api/balances', 'answer to GET /api/pnl', 'answer to GET /api/pnl/curve', 'page /positions', 'answer to POST /api/flatten', 'answer to POST /api/orders/preview', 'page /positions after a flatten']) expect(where).toContain(expected);
    expect([...where].filter((name) => /^downloaded apisify-(orders|signals)-.*\.csv$/.test(name))).toHaveLength(2);
    expect([...where].some((name) => name.startsWith('logs/'))).toBe(true);

    expect(leaksOf(secrets, seen)).toEqual([]);
    // The session's page token lives in the app page's own storage, by design, and nowhere else: not in
    // the data dir, the log, the server's output, an answer or a page.
    expect(pageToken.length).toBeGreaterThan(16);
    expect(leaksOf({ 'UI page token': pageToken }, seen.filter((place) => !place.where.startsWith('storage of ')))).toEqual([]);

    // The scan sees a secret where one is: at the moment it is issued, once.
    expect(leaksOf({ 'signing key secret': signing.secret }, [{ where: 'keys create', text: issuedOnce.join('\n') }])).toEqual(['signing key secret in keys create']);
    expect(leaksOf({ 'UI key secret': uiKey.secret }, [{ where: 'POST /api/keys', text: issuedOnce.join('\n') }])).toEqual(['UI key secret in POST /api/keys']);
  });
});
