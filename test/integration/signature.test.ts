import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postOrder, postSignedOrder, signatureFor, SPEC_EXAMPLE } from '../support/signed-order.js';
import { journalCount, startTestEngine, type TestEngine } from '../support/engine.js';

let engine: TestEngine;
let key: { apikey: string; secret: string };
let tvKey: { apikey: string; secret: string };

beforeAll(async () => {
  engine = await startTestEngine();
  key = await engine.services.apiKeys.create({ label: 'bot', tradingview: false, strategies: [] });
  tvKey = await engine.services.apiKeys.create({ label: 'tv', tradingview: true, strategies: [] });
});
afterAll(() => engine.stop());

function port(): string {
  return new URL(engine.url).port;
}

describe('signed requests', () => {
  it('accepts a valid signature and journals the order', async () => {
    const before = journalCount(engine);
    const call = await postSignedOrder(engine.url, key, SPEC_EXAMPLE);
    expect(call.status).toBe(200);
    expect(call.body.ok).toBe(true);
    expect(call.body.order?.status).toBe('filled');
    expect(journalCount(engine)).toBe(before + 1);
  });

  it('refuses a signature made with the wrong secret', async () => {
    const before = journalCount(engine);
    const call = await postSignedOrder(engine.url, { apikey: key.apikey, secret: 'sk_wrong' }, SPEC_EXAMPLE);
    expect(call.status).toBe(401);
    expect(call.body.error).toMatchObject({ code: 'invalid_signature', field: 'sign' });
    expect(call.body.error?.message).toContain(`${engine.url}/v1/order`);
    expect(journalCount(engine)).toBe(before);
  });

  it('refuses a timestamp changed after signing', async () => {
    const timestamp = Date.now();
    const url = `${engine.url}/v1/order`;
    const call = await postOrder(url, { ...SPEC_EXAMPLE, apikey: key.apikey, timestamp: timestamp + 1, sign: signatureFor(key.secret, timestamp, url) });
    expect(call.status).toBe(401);
    expect(call.body.error?.code).toBe('invalid_signature');
  });

  it('accepts localhost and 127.0.0.1 alike, each signed over the URL it was posted to', async () => {
    const local = `http://localhost:${port()}`;
    expect((await postSignedOrder(local, key, SPEC_EXAMPLE)).status).toBe(200);
    // Signed for 127.0.0.1 but posted to localhost: the URL is part of what is signed.
    const crossed = await postSignedOrder(local, key, SPEC_EXAMPLE, { signUrl: `${engine.url}/v1/order` });
    expect(crossed.status).toBe(401);
  });

  it("accepts the tunnel URL through forwarded headers only on the tunnel's listener, while proxy headers are trusted", async () => {
    const publicUrl = 'https://orders.example.trycloudflare.com';
    const headers = { 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': 'orders.example.trycloudflare.com' };
    engine.services.settings.update({ trustProxyHeaders: false, publicUrl: null });
    const untrusted = await postSignedOrder(engine.tunnelUrl, key, SPEC_EXAMPLE, { signUrl: `${publicUrl}/v1/order`, headers });
    // Forwarded headers are anyone's to forge: untrusted, they count for nothing.
    expect(untrusted.status).toBe(401);
    expect(untrusted.body.error?.code).toBe('invalid_signature');
    // Trusted, but naming a host that is not ours (no public URL set): the Host guard refuses it.
    engine.services.settings.update({ trustProxyHeaders: true, publicUrl: null });
    expect((await postSignedOrder(engine.tunnelUrl, key, SPEC_EXAMPLE, { signUrl: `${publicUrl}/v1/order`, headers })).status).toBe(403);
    // The main port never believes them, whatever the setting: any local program reaches it directly.
    const onMain = await postSignedOrder(engine.url, key, SPEC_EXAMPLE, { signUrl: `${publicUrl}/v1/order`, headers });
    expect(onMain.status).toBe(401);
    expect(onMain.body.error?.code).toBe('invalid_signature');
    engine.services.settings.update({ trustProxyHeaders: true, publicUrl });
    try {
      const trusted = await postSignedOrder(engine.tunnelUrl, key, SPEC_EXAMPLE, { signUrl: `${publicUrl}/v1/order`, headers });
      expect(trusted.status).toBe(200);
    } finally {
      engine.services.settings.update({ trustProxyHeaders: false, publicUrl: null });
    }
  });

  it('accepts the configured public URL without forwarded headers', async () => {
    engine.services.settings.update({ publicUrl: 'https://bots.example.net' });
    try {
      const call = await postSignedOrder(engine.url, key, SPEC_EXAMPLE, { signUrl: 'https://bots.example.net/v1/order' });
      expect(call.status).toBe(200);
    } finally {
      engine.services.settings.update({ publicUrl: null });
    }
  });

  it.each([
    ['stale', -31_000],
    ['future', +31_000],
  ])('refuses a %s timestamp outside the ±30 s window', async (_name, offset) => {
    const call = await postSignedOrder(engine.url, key, SPEC_EXAMPLE, { timestamp: Date.now() + offset });
    expect(call.status).toBe(401);
    expect(call.body.error).toMatchObject({ code: 'timestamp_out_of_window', field: 'timestamp' });
  });

  it('follows a changed signature window at once', async () => {
    engine.services.settings.update({ signatureWindowMs: 120_000 });
    try {
      expect((await postSignedOrder(engine.url, key, SPEC_EXAMPLE, { timestamp: Date.now() - 60_000 })).status).toBe(200);
    } finally {
      engine.services.settings.update({ signatureWindowMs: 30_000 });
    }
  });

  it('refuses the same signature twice (replay) and journals it once', async () => {
    const url = `${engine.url}/v1/order`;
    const timestamp = Date.now();
    const body = { ...SPEC_EXAMPLE, apikey: key.apikey, timestamp, sign: signatureFor(key.secret, timestamp, url) };
    const before = journalCount(engine);
    expect((await postOrder(url, body)).status).toBe(200);
    const replay = await postOrder(url, body);
    expect(replay.status).toBe(409);
    expect(replay.body.error?.code).toBe('replayed_request');
    expect(journalCount(engine)).toBe(before + 1);
  });

  it('refuses a normal key without sign', async () => {
    const call = await postOrder(`${engine.url}/v1/order`, { ...SPEC_EXAMPLE, apikey: key.apikey });
    expect(call.status).toBe(401);
    expect(call.body.error).toMatchObject({ code: 'signature_required', field: 'sign' });
  });

  it('lets a TradingView key go without timestamp and sign', async () => {
    const call = await postOrder(`${engine.url}/v1/order`, { ...SPEC_EXAMPLE, apikey: tvKey.apikey, memo: 'tv unsigned' });
    expect(call.status).toBe(200);
    expect(call.body.order?.status).toBe('filled');
  });

  it('still checks a TradingView key that does sign', async () => {
    expect((await postSignedOrder(engine.url, tvKey, { ...SPEC_EXAMPLE, memo: 'tv signed' })).status).toBe(200);
    const wrong = await postSignedOrder(engine.url, { apikey: tvKey.apikey, secret: 'sk_wrong' }, SPEC_EXAMPLE);
    expect(wrong.status).toBe(401);
  });

  it('refuses an unknown API key', async () => {
    const call = await postSignedOrder(engine.url, { apikey: 'ak_nobody', secret: 'x' }, SPEC_EXAMPLE);
    expect(call.status).toBe(401);
    expect(call.body.error).toMatchObject({ code: 'invalid_apikey', field: 'apikey' });
  });
});
