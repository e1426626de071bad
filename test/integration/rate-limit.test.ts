import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../main/engine/store/settings.js';
import { apisify } from '../support/apisify-process.js';
import { journalCount, startTestEngine, type TestEngine } from '../support/engine.js';
import { postOrder, postSignedOrder, SPEC_EXAMPLE } from '../support/signed-order.js';

let engine: TestEngine;

beforeAll(async () => {
  engine = await startTestEngine({ addressRatePerSecond: 0, keyRatePerSecond: 0 });
});
afterAll(() => engine.stop());

const rejectedCount = () => (engine.services.db.prepare("SELECT count(*) AS n FROM signals WHERE outcome = 'refused'").get() as { n: number }).n;

async function rawPost(headers: Record<string, string> = {}, base = engine.url): Promise<Response> {
  return fetch(`${base}/v1/order`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: '{"not":"an order"}' });
}

describe('the defaults', () => {
  it('are on: 40 at once from one address, then 20 a second', async () => {
    const fresh = await startTestEngine({ addressRatePerSecond: DEFAULT_SETTINGS.addressRatePerSecond, keyRatePerSecond: DEFAULT_SETTINGS.keyRatePerSecond });
    try {
      expect(DEFAULT_SETTINGS).toMatchObject({ keyRatePerSecond: 10, keyBurst: 20, addressRatePerSecond: 20, addressBurst: 40 });
      const started = performance.now();
      const statuses: number[] = [];
      for (let sent = 0; sent < 100; sent += 1) statuses.push((await fetch(`${fresh.url}/v1/order`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })).status);
      const seconds = (performance.now() - started) / 1_000;
      const allowed = statuses.filter((status) => status === 400).length;
      expect(statuses.slice(0, 40)).toEqual(Array(40).fill(400));
      expect(allowed).toBeLessThanOrEqual(40 + Math.ceil(20 * seconds));
      expect(statuses.filter((status) => status === 429).length).toBe(100 - allowed);
      expect(allowed).toBeLessThan(100);
    } finally {
      await fresh.stop();
    }
  });
});

describe('per API key', () => {
  it('lets the burst through, then answers 429 with Retry-After, journals nothing more and keeps other keys going', async () => {
    engine.services.settings.update({ keyRatePerSecond: 0.5, keyBurst: 3, addressRatePerSecond: 0 });
    const key = await engine.services.apiKeys.create({ label: 'eager bot', tradingview: false, strategies: [] });
    const other = await engine.services.apiKeys.create({ label: 'calm bot', tradingview: false, strategies: [] });
    const journaled = journalCount(engine);
    const audited = rejectedCount();

    const accepted = [];
    for (let sent = 0; sent < 3; sent += 1) accepted.push((await postSignedOrder(engine.url, key, SPEC_EXAMPLE)).status);
    expect(accepted).toEqual([200, 200, 200]);

    const limited = await postSignedOrder(engine.url, key, SPEC_EXAMPLE);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('2');
    expect(limited.body).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
    expect(limited.body.error?.message).toContain('eager bot');
    expect(limited.body.error?.message).not.toContain(key.apikey);

    expect(journalCount(engine)).toBe(journaled + 3);
    expect(rejectedCount()).toBe(audited); // a flood is counted, not written row by row
    // When the counting window ends, one entry says how many there were, and whose.
    engine.services.signals.writeCounts();
    expect(engine.services.signals.list({ outcome: 'refused', limit: 1 })[0]).toMatchObject({ code: 'rate_limited', status: 429, count: 1, keyLabel: 'eager bot', source: 'api' });
    expect((await postSignedOrder(engine.url, other, SPEC_EXAMPLE)).status).toBe(200);
  });

  it('does not let a stranger spend a key’s tokens with unsigned or badly signed requests', async () => {
    engine.services.settings.update({ keyRatePerSecond: 0.5, keyBurst: 1, addressRatePerSecond: 0 });
    const key = await engine.services.apiKeys.create({ label: 'victim', tradingview: false, strategies: [] });
    for (let sent = 0; sent < 5; sent += 1) {
      const forged = await postOrder(`${engine.url}/v1/order`, { ...SPEC_EXAMPLE, apikey: key.apikey, timestamp: Date.now(), sign: 'f'.repeat(64) });
      expect(forged.status).toBe(401);
    }
    expect((await postSignedOrder(engine.url, key, SPEC_EXAMPLE)).status).toBe(200);
  });
});

describe('per client address, for requests refused before their key is authenticated', () => {
  it('answers a flood of refused requests 429 past the burst, and audits no more of them', async () => {
    engine.services.settings.update({ keyRatePerSecond: 0, addressRatePerSecond: 0.25, addressBurst: 2 });
    const audited = rejectedCount();
    expect((await rawPost()).status).toBe(400);
    expect((await rawPost()).status).toBe(400);
    const limited = await rawPost();
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(((await limited.json()) as { error: { message: string } }).error.message).toMatch(/too many refused requests from 127\.0\.0\.1/);
    // Refusals that never reach the route (wrong method, wrong Host) count, and past the burst write nothing either.
    for (let sent = 0; sent < 20; sent += 1) {
      expect((await fetch(`${engine.url}/v1/order`)).status).toBe(429);
      expect((await rawPost({ Host: 'evil.example' })).status).toBe(429);
    }
    expect(rejectedCount()).toBe(audited + 2);
    engine.services.signals.writeCounts();
    expect(rejectedCount()).toBe(audited + 3);
    expect(engine.services.signals.list({ outcome: 'refused', limit: 1 })[0]).toMatchObject({ code: 'rate_limited', count: 41, clientAddress: '127.0.0.1', source: null });
  });

  it('never keeps a signed order from going through, though junk from the same address used up its tokens', async () => {
    engine.services.settings.update({ keyRatePerSecond: 0, addressRatePerSecond: 0.25, addressBurst: 1 });
    const key = await engine.services.apiKeys.create({ label: 'shares 127.0.0.1', tradingview: false, strategies: [] });
    expect((await rawPost()).status).toBe(429); // still empty from the test before
    const journaled = journalCount(engine);
    for (let sent = 0; sent < 3; sent += 1) expect((await postSignedOrder(engine.url, key, SPEC_EXAMPLE)).status).toBe(200);
    expect(journalCount(engine)).toBe(journaled + 3);
    // A wrong method on the order path is refused as such while the address has tokens (here: none).
    expect((await fetch(`${engine.url}/v1/order`)).status).toBe(429);
  });

  it("is not escaped with a forged X-Forwarded-For, except on the tunnel's listener while proxy headers are trusted", async () => {
    engine.services.settings.update({ keyRatePerSecond: 0, addressRatePerSecond: 0.25, addressBurst: 1, trustProxyHeaders: false });
    // The loopback bucket is still empty from the test before: a forged header does not buy a new one.
    expect((await rawPost({ 'X-Forwarded-For': '203.0.113.7' })).status).toBe(429);
    expect((await rawPost({ 'X-Forwarded-For': '203.0.113.7' }, engine.tunnelUrl)).status).toBe(429);

    engine.services.settings.update({ trustProxyHeaders: true });
    // The main port believes no forwarded header, whatever the setting.
    expect((await rawPost({ 'X-Forwarded-For': '203.0.113.7' })).status).toBe(429);
    // Behind the tunnel each forwarded client has its own bucket: the proxy's entry is the last one.
    expect((await rawPost({ 'X-Forwarded-For': '198.51.100.1, 203.0.113.8' }, engine.tunnelUrl)).status).toBe(400);
    expect((await rawPost({ 'X-Forwarded-For': '198.51.100.2, 203.0.113.8' }, engine.tunnelUrl)).status).toBe(429);
    expect((await rawPost({ 'X-Forwarded-For': '203.0.113.9' }, engine.tunnelUrl)).status).toBe(400);
    engine.services.settings.update({ trustProxyHeaders: false, addressRatePerSecond: 0 });
  });
});

describe('apisify settings', () => {
  it('sets the limits a running server reads, and names a bad value', async () => {
    const set = await apisify(engine.dataDir, ['settings', 'set', 'keyRatePerSecond', '25', 'keyBurst', '50', '--json']);
    expect(set.code).toBe(0);
    expect(JSON.parse(set.stdout)).toMatchObject({ keyRatePerSecond: 25, keyBurst: 50 });
    expect(engine.services.settings.get()).toMatchObject({ keyRatePerSecond: 25, keyBurst: 50 });

    const bad = await apisify(engine.dataDir, ['settings', 'set', 'keyBurst', '0']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/keyBurst: .*>=\s*1/);
    const unknown = await apisify(engine.dataDir, ['settings', 'set', 'keyburst', '3']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/keyburst/);
    const odd = await apisify(engine.dataDir, ['settings', 'set', 'keyBurst']);
    expect(odd.code).toBe(2);
  });
});
