import { execFile } from 'node:child_process';
import { createHash, createHmac } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IssuedApiKey } from '../../shared/api-types.js';
import { journalCount, startTestEngine, type TestEngine } from '../support/engine.js';
import { postOrder, signatureFor, SPEC_EXAMPLE } from '../support/signed-order.js';

/**
 * Beyond the spec, opt-in per key: the signature also covers the body, so a captured signature
 * cannot carry another order. Keys without the flag keep the spec's signature exactly.
 */
let engine: TestEngine;
let bodyKey: IssuedApiKey;
let specKey: IssuedApiKey;
let orderUrl = '';

beforeAll(async () => {
  engine = await startTestEngine();
  orderUrl = `${engine.url}/v1/order`;
  bodyKey = await engine.services.apiKeys.create({ label: 'signs bodies', tradingview: false, strategies: [], signBody: true });
  specKey = await engine.services.apiKeys.create({ label: 'spec', tradingview: false, strategies: [] });
});
afterAll(() => engine?.stop());

/** The README's TypeScript sample: serialize all but sign, hash it, sign, append sign last. */
function bodySigned(key: { apikey: string; secret: string }, fields: Record<string, unknown>, timestamp = Date.now()): { body: string; sign: string } {
  const payload = JSON.stringify({ ...fields, apikey: key.apikey, timestamp });
  const bodyDigest = createHash('sha256').update(payload).digest('hex');
  const sign = createHmac('sha256', key.secret).update(`${timestamp}POST${orderUrl}${bodyDigest}`).digest('hex');
  return { body: `${payload.slice(0, -1)},"sign":"${sign}"}`, sign };
}

describe('a key whose signatures cover the body', () => {
  it('takes an order signed over its body', async () => {
    const call = await postOrder(orderUrl, bodySigned(bodyKey, SPEC_EXAMPLE).body);
    expect(call.status, JSON.stringify(call.body)).toBe(200);
    expect(call.body.order?.status).toBe('filled');
  });

  it('refuses its signature on another body, before the original arrives: nothing journaled', async () => {
    const timestamp = Date.now();
    const { sign } = bodySigned(bodyKey, SPEC_EXAMPLE, timestamp);
    const before = journalCount(engine);
    const forged = await postOrder(orderUrl, { ...SPEC_EXAMPLE, qty: 100, apikey: bodyKey.apikey, timestamp, sign });
    expect(forged.status).toBe(401);
    expect(forged.body.error).toMatchObject({ code: 'invalid_signature', field: 'sign' });
    expect(journalCount(engine)).toBe(before);
  });

  it("refuses the spec's signature (timestamp and URL only)", async () => {
    const timestamp = Date.now();
    const call = await postOrder(orderUrl, { ...SPEC_EXAMPLE, apikey: bodyKey.apikey, timestamp, sign: signatureFor(bodyKey.secret, timestamp, orderUrl) });
    expect(call.status).toBe(401);
    expect(call.body.error?.message).toContain('sha256(body without sign)');
  });

  it('says so when sign is not the last field', async () => {
    const { body } = bodySigned(bodyKey, SPEC_EXAMPLE);
    const parsed = JSON.parse(body) as Record<string, unknown>;
    const { sign, ...rest } = parsed;
    const call = await postOrder(orderUrl, JSON.stringify({ sign, ...rest }));
    expect(call.status).toBe(401);
    expect(call.body.error?.message).toMatch(/sign must be the last field/);
  });

  it('works with the README Python sample (standard library only)', async () => {
    const script = fileURLToPath(new URL('../fixtures/place_order_signed_body.py', import.meta.url));
    const { stdout } = await promisify(execFile)('python3', [script], { env: { ...process.env, APISIFY_APIKEY: bodyKey.apikey, APISIFY_SECRETKEY: bodyKey.secret, APISIFY_URL: engine.url } });
    const answer = JSON.parse(stdout) as { status: number; body: { order?: { status: string } } };
    expect(answer.status, stdout).toBe(200);
    expect(answer.body.order?.status).toBe('filled');
  });
});

describe('a key without the flag', () => {
  it("keeps the spec's signature, which does not cover the body: a captured one carries any order sent first", async () => {
    const timestamp = Date.now();
    const sign = signatureFor(specKey.secret, timestamp, orderUrl);
    const other = await postOrder(orderUrl, { ...SPEC_EXAMPLE, qty: 2, apikey: specKey.apikey, timestamp, sign });
    expect(other.status).toBe(200);
    const original = await postOrder(orderUrl, { ...SPEC_EXAMPLE, apikey: specKey.apikey, timestamp, sign });
    expect(original.status).toBe(409);
  });
});
