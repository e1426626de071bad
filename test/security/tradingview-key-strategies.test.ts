import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apisify, tempDataDir } from '../support/apisify-process.js';
import { startTestEngine, type TestEngine } from '../support/engine.js';
import { openUiSession, type UiSessionCredentials } from '../support/ui-session.js';

/**
 * A TradingView key places orders with the key alone. Made without a strategy list it could trade
 * every strategy, live ones included, by default. Its strategies are asked for when it is made, in the
 * CLI and the UI's API alike, and "every strategy" is allowed only when said.
 */
describe('apisify keys create --tradingview', () => {
  const dataDir = tempDataDir();
  // a data dir with its database, so that listing its keys can show there are none
  beforeAll(async () => {
    expect((await apisify(dataDir, ['settings', 'set', 'notifications', 'true'])).code).toBe(0);
  });
  const listed = async () => JSON.parse((await apisify(dataDir, ['keys', 'list', '--json'])).stdout) as { label: string; strategies: string[] }[];

  it('without --strategy or --all-strategies: exit 2, naming both, and no key', async () => {
    const result = await apisify(dataDir, ['keys', 'create', '--label', 'tv', '--tradingview']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--strategy: a TradingView key trades with the key alone: name the strategies it may trade, or allow every strategy with --all-strategies/);
    expect(await listed()).toEqual([]);
  });

  it('with both: exit 2', async () => {
    const result = await apisify(dataDir, ['keys', 'create', '--label', 'tv', '--tradingview', '--strategy', 'test_strategy', '--all-strategies']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/not both/);
  });

  it('with its strategies, or every strategy said explicitly: made', async () => {
    expect((await apisify(dataDir, ['keys', 'create', '--label', 'tv one', '--tradingview', '--strategy', 'test_strategy'])).code).toBe(0);
    expect((await apisify(dataDir, ['keys', 'create', '--label', 'tv all', '--tradingview', '--all-strategies'])).code).toBe(0);
    // A signing key still defaults to every strategy, as before.
    expect((await apisify(dataDir, ['keys', 'create', '--label', 'bot'])).code).toBe(0);
    expect((await listed()).map((key) => [key.label, key.strategies])).toEqual([
      ['tv one', ['test_strategy']],
      ['tv all', []],
      ['bot', []],
    ]);
  });
});

describe('POST /api/keys for a TradingView key', () => {
  let engine: TestEngine;
  let session: UiSessionCredentials;
  beforeAll(async () => {
    engine = await startTestEngine();
    session = await openUiSession(engine.createUiUrl());
  });
  afterAll(() => engine?.stop());

  const create = (body: unknown) => fetch(`${engine.url}/api/keys`, { method: 'POST', headers: { ...session.headers, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

  it('asks for its strategies: 400 naming the field, and no key', async () => {
    const refused = await create({ label: 'tv', tradingview: true });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ ok: false, error: { field: 'strategies' } });
    expect(engine.services.apiKeys.list()).toEqual([]);
  });

  it('makes it with every strategy only when asked to', async () => {
    const made = await create({ label: 'tv', tradingview: true, allStrategies: true });
    expect(made.status).toBe(201);
    expect(engine.services.apiKeys.list().map((key) => [key.label, key.tradingview, key.strategies])).toEqual([['tv', true, []]]);
  });
});
