import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../support/engine.js';
import { openUiSession, type UiSessionCredentials } from '../support/ui-session.js';

/** The UI's strategy and settings routes, as the renderer calls them, behind a real session. */
let engine: TestEngine;
let session: UiSessionCredentials;

beforeAll(async () => {
  engine = await startTestEngine();
  session = await openUiSession(engine.createUiUrl());
});
afterAll(async () => {
  await engine?.stop();
});

async function ui(method: string, path: string, body?: unknown): Promise<{ status: number; json: { code?: string; message?: string; field?: string; error?: { code: string; message: string; field: string | null } } & Record<string, unknown> }> {
  const response = await fetch(`${engine.url}/api${path}`, { method, headers: { ...session.headers, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return { status: response.status, json: (await response.json()) as never };
}

function journalOrder(strategy: string, status: string): number {
  const now = new Date().toISOString();
  return Number(
    engine.services.db
      .prepare(`INSERT INTO orders (received_at, updated_at, source, strategy, exchange, symbol, side, intent, order_type, dry_run, status, request_json) VALUES (?, ?, 'manual', ?, 'bybit', 'BTCUSDT', 'Buy', 'buy', 'market', 1, ?, '{}')`)
      .run(now, now, strategy, status).lastInsertRowid,
  );
}

describe('strategies through the UI API', () => {
  it('refuses a name another strategy holds in another case (409, naming the field), and junk symbols (400)', async () => {
    const clash = await ui('POST', '/strategies', { name: 'TEST_STRATEGY', mode: 'dry-run' });
    expect(clash.status).toBe(409);
    expect(clash.json.error).toEqual({ code: 'already_exists', field: 'name', message: 'name: a strategy named test_strategy exists, which differs only in case' });
    const junk = await ui('POST', '/strategies', { name: 'junk', mode: 'dry-run', symbols: ['BTCUSDT', '??'] });
    expect(junk.status).toBe(400);
    expect(junk.json.error).toMatchObject({ field: 'symbols.1', message: expect.stringMatching(/^symbols\.1: expected a symbol such as BTCUSDT/) });
    const exchange = await ui('POST', '/strategies', { name: 'junk', mode: 'dry-run', exchanges: ['kraken'] });
    expect(exchange.json.error?.message).toBe('exchanges.0: expected one of bybit, bybit_testnet, binance, binance_testnet');
    expect(engine.services.strategies.find('junk')).toBeNull();
  });

  it('DELETE is refused while an order is under way, then removes the strategy and keeps its orders', async () => {
    expect((await ui('POST', '/strategies', { name: 'doomed', mode: 'dry-run' })).status).toBe(201);
    const open = journalOrder('doomed', 'open');
    const refused = await ui('DELETE', '/strategies/doomed', {});
    expect(refused.status).toBe(409);
    expect(refused.json.error).toMatchObject({ code: 'orders_under_way', message: expect.stringContaining(`#${open}`) });
    engine.services.db.prepare("UPDATE orders SET status = 'cancelled' WHERE id = ?").run(open);
    const removed = await ui('DELETE', '/strategies/doomed', {});
    expect(removed.status).toBe(200);
    expect(removed.json['name']).toBe('doomed');
    expect(engine.services.strategies.find('doomed')).toBeNull();
    expect(engine.services.journal.get(open)?.strategy).toBe('doomed');
    expect((await ui('DELETE', '/strategies/doomed', {})).status).toBe(404);
  });
});

describe('settings through the UI API', () => {
  it('names a field the body should not have as that field', async () => {
    const paused = await ui('PATCH', '/settings', { paused: true });
    expect(paused.status).toBe(400);
    expect(paused.json.error).toMatchObject({ field: 'paused', message: 'paused: not a field this takes' });
    expect(engine.services.settings.get().paused).toBe(false);
  });

  it('takes an https public URL and the time zone, and refuses plain http', async () => {
    expect((await ui('PATCH', '/settings', { publicUrl: 'http://example.com' })).json.error?.message).toMatch(/^publicUrl: expected an https URL/);
    const saved = await ui('PATCH', '/settings', { publicUrl: 'https://abc.trycloudflare.com', timeZone: 'utc' });
    expect(saved.status).toBe(200);
    expect(saved.json).toMatchObject({ publicUrl: 'https://abc.trycloudflare.com', timeZone: 'utc' });
  });
});
