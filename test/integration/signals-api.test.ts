import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SignalView } from '../../shared/signal-view.js';
import { openDatabase } from '../../main/engine/store/database.js';
import { SignalLog } from '../../main/engine/store/signal-log.js';
import { apisify, tempDataDir } from '../support/apisify-process.js';
import { startTestEngine, type TestEngine } from '../support/engine.js';
import { parseCsv as records } from '../support/csv.js';
import { postOrder, postSignedOrder, SPEC_EXAMPLE } from '../support/signed-order.js';
import { openUiSession } from '../support/ui-session.js';

/**
 * The signal log end to end: requests to /v1/order and the manual form, accepted and refused, as
 * GET /api/signals, its CSV and the CLI read them; retention in a running engine.
 */
let engine: TestEngine;
let session: Record<string, string>;
let key: { apikey: string; secret: string };
let tradingView: { apikey: string; secret: string };

beforeAll(async () => {
  engine = await startTestEngine();
  key = await engine.services.apiKeys.create({ label: 'signal bot', tradingview: false, strategies: [] });
  tradingView = await engine.services.apiKeys.create({ label: 'tv alerts', tradingview: true, strategies: [] });
  engine.services.strategies.add({ name: 'resting', mode: 'dry-run', marketType: 'swap', maxQty: null, symbols: [], exchanges: [], enabled: false });
  session = (await openUiSession(engine.createUiUrl())).headers;
});

afterAll(() => engine?.stop());

async function ui(path: string, init: { method?: string; body?: unknown } = {}): Promise<Response> {
  return fetch(`${engine.url}${path}`, {
    method: init.method ?? 'GET',
    headers: { ...session, ...(init.body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
}

async function signals(query = ''): Promise<SignalView[]> {
  // Accepted entries wait up to 100 ms for their batch.
  engine.services.signals.flush();
  const response = await ui(`/api/signals${query}`);
  expect(response.status).toBe(200);
  return (await response.json()) as SignalView[];
}


describe('GET /api/signals', () => {
  it('lists a refused request and an accepted one, newest first, with who sent them and how they were answered', async () => {
    const refused = await postSignedOrder(engine.url, key, { ...SPEC_EXAMPLE, strategy: 'resting', memo: 'keep me out' });
    expect(refused.status).toBe(403);
    const accepted = await postSignedOrder(engine.url, key, SPEC_EXAMPLE);
    expect(accepted.status).toBe(200);

    const [newest, before] = await signals('?limit=2');
    expect(newest).toMatchObject({
      outcome: 'accepted',
      source: 'api',
      keyLabel: 'signal bot',
      strategy: 'test_strategy',
      exchange: 'bybit_testnet',
      symbol: 'BTCUSD',
      side: 'Buy',
      status: 200,
      code: 'filled',
      field: null,
      orderId: accepted.body.order?.id,
      count: 1,
    });
    expect(engine.services.journal.get(newest?.orderId as number)?.status).toBe('filled');
    expect(before).toMatchObject({
      outcome: 'refused',
      source: 'api',
      keyLabel: 'signal bot',
      strategy: 'resting',
      symbol: 'BTCUSD',
      side: 'Buy',
      status: 403,
      code: 'strategy_disabled',
      field: 'strategy',
      message: refused.body.error?.message,
      orderId: null,
    });
    for (const entry of [newest, before]) {
      expect(entry?.apikeyMasked).toMatch(/^ak_.{3}….{4}$/);
      const text = JSON.stringify(entry);
      for (const secret of [key.apikey, key.secret, 'keep me out']) expect(text).not.toContain(secret);
    }
  });

  it('names what it can of a request refused before its key was known, and never keeps a credential pasted in a field', async () => {
    const unknownKey = await postOrder(`${engine.url}/v1/order`, { ...SPEC_EXAMPLE, apikey: 'ak_nobody_knows_this_one', timestamp: Date.now(), sign: 'f'.repeat(64) });
    expect(unknownKey.status).toBe(401);
    const badSignature = await postSignedOrder(engine.url, { ...key, secret: 'not-the-secret' }, { ...SPEC_EXAMPLE, symbol: key.apikey });
    expect(badSignature.status).toBe(401);
    const [signature, stranger] = await signals('?limit=2');
    expect(stranger).toMatchObject({ outcome: 'refused', source: null, keyLabel: null, apikeyMasked: 'ak_nob…_one', code: 'invalid_apikey', field: 'apikey', clientAddress: '127.0.0.1' });
    expect(signature).toMatchObject({ outcome: 'refused', source: 'api', keyLabel: 'signal bot', code: 'invalid_signature', symbol: null, strategy: 'test_strategy' });
    expect(JSON.stringify(signature)).not.toContain(key.apikey);
  });

  it('keeps a TradingView resend as a duplicate of the first order, and a manual order as manual', async () => {
    const body = { ...SPEC_EXAMPLE, memo: `tv ${Date.now()}`, apikey: tradingView.apikey };
    const first = await postOrder(`${engine.url}/v1/order`, body);
    const again = await postOrder(`${engine.url}/v1/order`, body);
    expect([first.status, again.status, again.body.duplicate]).toEqual([200, 200, true]);
    const manual = await ui('/api/orders?dry_run=true&market_type=swap&account=default', { method: 'POST', body: { strategy: 'test_strategy', exchange: 'bybit', order_type: 'Market', qty: 2, side: 'Sell', symbol: 'ETHUSDT', price: 3000 } });
    expect(manual.status).toBe(200);
    const refusedManual = await ui('/api/orders?dry_run=true&market_type=swap&account=default', { method: 'POST', body: { strategy: 'test_strategy', exchange: 'bybit', order_type: 'Limit', qty: 2, side: 'Sell', symbol: 'ETHUSDT' } });
    expect(refusedManual.status).toBe(400);
    const preview = await ui('/api/orders/preview', { method: 'POST', body: { strategy: 'test_strategy', exchange: 'bybit', order_type: 'Market', qty: 2, side: 'Sell', symbol: 'ETHUSDT', price: 3000 } });
    expect(preview.status).toBe(200);

    const [manualRefusal, manualOrder, duplicate, original] = await signals('?limit=4');
    expect(original).toMatchObject({ outcome: 'accepted', source: 'tradingview', keyLabel: 'tv alerts', code: 'filled', orderId: first.body.order?.id });
    expect(duplicate).toMatchObject({ outcome: 'accepted', source: 'tradingview', code: 'duplicate', status: 200, orderId: first.body.order?.id });
    expect(manualOrder).toMatchObject({ outcome: 'accepted', source: 'manual', keyLabel: null, apikeyMasked: null, symbol: 'ETHUSDT', side: 'Sell', code: 'filled' });
    expect(manualRefusal).toMatchObject({ outcome: 'refused', source: 'manual', code: 'missing_field', field: 'price', status: 400, orderType: 'Limit' });
  });

  it('filters by outcome and strategy, pages by id, and names a bad filter', async () => {
    const refused = await signals('?outcome=refused');
    expect(refused.length).toBeGreaterThanOrEqual(4);
    expect(refused.every((entry) => entry.outcome === 'refused' && entry.orderId === null)).toBe(true);
    expect((await signals('?strategy=resting')).map((entry) => entry.code)).toEqual(['strategy_disabled']);
    const all = await signals();
    const page = await signals(`?limit=2&before=${all[1]?.id}`);
    expect(page.map((entry) => entry.id)).toEqual(all.slice(2, 4).map((entry) => entry.id));
    const bad = await ui('/api/signals?outcome=maybe');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: 'invalid_field', field: 'outcome', message: 'outcome: expected one of accepted, refused' } });
  });

  it('takes the UI session only', async () => {
    expect((await fetch(`${engine.url}/api/signals`)).status).toBe(401);
    expect((await fetch(`${engine.url}/api/signals.csv`)).status).toBe(401);
    expect((await fetch(`${engine.url}/api/orders.csv`)).status).toBe(401);
  });
});

describe('CSV downloads', () => {
  it('GET /api/signals.csv: the filtered log as a file, every entry', async () => {
    const response = await ui('/api/signals.csv?outcome=refused');
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="apisify-signals-[\d-TZ]+\.csv"$/);
    const bytes = Buffer.from(await response.arrayBuffer());
    // UTF-8's byte order mark first, so that a spreadsheet reads the masked keys' "…" right.
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8');
    expect(text.startsWith('\uFEFFid,at,outcome,')).toBe(true);
    const [header, ...rows] = records(text);
    const outcome = header?.indexOf('outcome') ?? -1;
    expect(rows.length).toBe((await signals('?outcome=refused')).length);
    expect(rows.every((row) => row[outcome] === 'refused')).toBe(true);
    for (const secret of [key.apikey, key.secret, tradingView.apikey]) expect(text).not.toContain(secret);
  });

  it('GET /api/orders.csv: the filtered orders, one record per fill of each leg, with what each filled', async () => {
    const response = await ui('/api/orders.csv?strategy=test_strategy&status=filled');
    expect(response.status).toBe(200);
    const [header, ...rows] = records(await response.text());
    const column = (name: string) => header?.indexOf(name) ?? -1;
    const orders = engine.services.journal.list({ strategy: 'test_strategy', status: 'filled', limit: 1000 });
    const fillsOf = (orderId: number, leg: number) => engine.services.journal.fills.ofLeg(orderId, leg);
    expect(rows.map((row) => Number(row[column('order_id')]))).toEqual(orders.flatMap((order) => order.legs.flatMap((leg) => fillsOf(order.id, leg.leg).map(() => order.id))));
    const first = orders[0]?.legs[0];
    const firstFill = first ? fillsOf(orders[0]?.id as number, first.leg)[0] : undefined;
    expect(firstFill).toBeDefined();
    expect(rows[0]?.[column('filled')]).toBe(first?.filled);
    expect(rows[0]?.[column('average_price')]).toBe(first?.averagePrice);
    expect(rows[0]?.[column('client_order_id')]).toBe(first?.clientOrderId);
    expect([rows[0]?.[column('fill_amount')], rows[0]?.[column('fill_price')], rows[0]?.[column('fill_fee')] ?? '']).toEqual([firstFill?.amount, firstFill?.price, firstFill?.fee ?? '']);
    expect((await ui('/api/orders.csv?status=nonsense')).status).toBe(400);
  });
});

describe('the CLI', () => {
  it('apisify signals --json, --refused, --strategy, --csv', async () => {
    engine.services.signals.flush();
    const json = await apisify(engine.dataDir, ['signals', '--json', '--limit', '3']);
    expect(json.code).toBe(0);
    expect((JSON.parse(json.stdout) as SignalView[]).map((entry) => entry.id)).toEqual((await signals('?limit=3')).map((entry) => entry.id));
    const refused = JSON.parse((await apisify(engine.dataDir, ['signals', '--json', '--refused', '--strategy', 'resting'])).stdout) as SignalView[];
    expect(refused.map((entry) => [entry.outcome, entry.code])).toEqual([['refused', 'strategy_disabled']]);
    const table = await apisify(engine.dataDir, ['signals', '--refused']);
    expect(table.stdout).toMatch(/403 strategy_disabled/);
    const csv = await apisify(engine.dataDir, ['signals', '--csv']);
    expect(csv.code).toBe(0);
    const [header, ...rows] = records(csv.stdout);
    expect(header?.slice(0, 3)).toEqual(['id', 'at', 'outcome']);
    expect(rows.length).toBe((await signals('?limit=1000')).length);
    expect(csv.stdout.startsWith('\uFEFF')).toBe(false);
    for (const output of [json.stdout, table.stdout, csv.stdout]) for (const secret of [key.apikey, key.secret, tradingView.apikey]) expect(output).not.toContain(secret);
    const both = await apisify(engine.dataDir, ['signals', '--csv', '--json']);
    expect([both.code, both.stderr.trim()]).toEqual([2, 'apisify: signals: --csv and --json: choose one']);
  });

  it('apisify orders --csv: every order with its legs; --limit bounds it', async () => {
    const csv = await apisify(engine.dataDir, ['orders', '--csv']);
    expect(csv.code).toBe(0);
    const [header, ...rows] = records(csv.stdout);
    expect(header?.[0]).toBe('order_id');
    const orders = engine.services.journal.list({ limit: 1000 });
    expect(rows.length).toBe(orders.reduce((sum, order) => sum + Math.max(order.legs.length, 1), 0));
    const limited = records((await apisify(engine.dataDir, ['orders', '--csv', '--limit', '1'])).stdout);
    expect(limited.slice(1).map((row) => Number(row[0]))).toEqual(Array(Math.max(orders[0]?.legs.length ?? 1, 1)).fill(orders[0]?.id));
  });
});

describe('retention', () => {
  it('a running engine prunes what is older than signalRetentionDays, in the background', async () => {
    const dataDir = tempDataDir();
    const db = openDatabase(dataDir);
    const log = new SignalLog(db);
    const daysAgo = (days: number) => new Date(Date.now() - days * 24 * 60 * 60 * 1000).toISOString();
    const old = { source: null, keyLabel: null, apikeyMasked: null, clientAddress: '127.0.0.1', strategy: null, exchange: null, symbol: null, side: null, orderType: null, qty: null, price: null, status: 400, code: 'invalid_json', field: null, message: 'x' } as const;
    log.recordRefusal({ ...old, at: daysAgo(45), code: 'forty_five_days' });
    log.recordRefusal({ ...old, at: daysAgo(20), code: 'twenty_days' });
    log.recordRefusal({ ...old, at: daysAgo(1), code: 'yesterday' });
    db.prepare("INSERT INTO settings (key, value) VALUES ('signalRetentionDays', '10')").run();
    db.close();

    const pruning = await startTestEngine({}, dataDir);
    try {
      await expect.poll(() => pruning.services.signals.list().map((entry) => entry.code), { timeout: 10_000 }).toEqual(['yesterday']);
    } finally {
      await pruning.stop();
    }
  });
});
