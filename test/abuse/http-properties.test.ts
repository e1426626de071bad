import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postSignedOrder, signatureFor } from '../support/signed-order.js';
import { type AbuseRig, SPOT_STRATEGY, startAbuseRig, VALID_ORDER } from './abuse-rig.js';
import { absentInShaping, badValue, CREDENTIAL_FIELDS, ORDER_FIELDS, REQUIRED_FIELDS, SHAPING_FIELDS, saysNothing, unknownKey, withKey } from './order-arbitraries.js';
import { sendRaw } from './raw-http.js';
import { refusalProblems, secretPieces } from './refusal-checks.js';

/**
 * Generated bad bodies against one real `apisify serve` with a live strategy: a few hundred valid,
 * signed orders each broken in one way, and raw junk. Every one is a 4xx naming what is wrong, and
 * none reaches the exchange or the journal.
 */
let rig: AbuseRig;
let secrets: string[];
let lastTimestamp = 0;

beforeAll(async () => {
  rig = await startAbuseRig();
  secrets = secretPieces(rig.key.secret, rig.key.apikey, rig.tradingViewKey.apikey);
});
afterAll(() => rig?.stop());

/** The rig's valid order, signed afresh (the same signature twice would be a replay). */
function signedOrder(): Record<string, unknown> {
  lastTimestamp = Math.max(Date.now(), lastTimestamp + 1);
  return { ...VALID_ORDER, apikey: rig.key.apikey, timestamp: lastTimestamp, sign: signatureFor(rig.key.secret, lastTimestamp, rig.orderUrl) };
}

function asSentInJson(value: unknown, test: (sent: unknown) => boolean): boolean {
  return test((JSON.parse(JSON.stringify({ value })) as { value?: unknown }).value);
}

type Break = { field: string; code: string; apply: (order: Record<string, unknown>) => Record<string, unknown> };

const oneBreak: fc.Arbitrary<Break> = fc.oneof(
  badValue([...ORDER_FIELDS, ...SHAPING_FIELDS, ...CREDENTIAL_FIELDS])
    // The rig's order is a Market order, which uses no price: "nothing" there is no break, as sent in
    // JSON (NaN and Infinity become null, undefined drops the key). Nor is it in a shaping field.
    .filter(({ field, value }) => !(field === 'price' && asSentInJson(value, (sent) => sent === undefined || saysNothing(sent))))
    .filter(({ field, value }) => !asSentInJson(value, (sent) => sent === undefined || absentInShaping(field, sent)))
    // max_lag needs a signal_time: given one, its own value is what is judged.
    .map(({ field, value }): Break => ({ field, code: 'invalid_field', apply: (order) => withKey(field === 'max_lag' ? { ...order, signal_time: '2026-01-01T00:00:00Z' } : order, field, value) })),
  fc.constantFrom(...REQUIRED_FIELDS).map((field): Break => ({ field, code: 'missing_field', apply: (order) => Object.fromEntries(Object.entries(order).filter(([key]) => key !== field)) })),
  unknownKey.chain((key) => fc.jsonValue({ maxDepth: 2 }).map((value): Break => ({ field: key, code: 'unknown_field', apply: (order) => withKey(order, key, value) }))),
);

async function post(body: Buffer): Promise<Awaited<ReturnType<typeof sendRaw>>> {
  return sendRaw(rig.server.url, { method: 'POST', path: '/v1/order', headers: { 'Content-Type': 'application/json', 'Content-Length': String(body.length) }, body });
}

describe('generated bad requests over HTTP', () => {
  it('refuses a signed order broken in any one way, naming the field', async () => {
    await fc.assert(
      fc.asyncProperty(oneBreak, async ({ field, code, apply }) => {
        const response = await post(Buffer.from(JSON.stringify(apply(signedOrder()))));
        // An empty key cannot be named by a field; the message still quotes it.
        const expected = { status: 400, code, field: field === '' ? null : field };
        expect(refusalProblems(response, expected, 'POST', secrets), response.text.slice(0, 300)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('answers junk with a 400 in the error shape, never a 5xx', async () => {
    const junk = fc.oneof(
      fc.string({ maxLength: 200, unit: 'binary' }).map((text) => Buffer.from(text)),
      fc.json({ maxDepth: 3 }).map((text) => Buffer.from(text)),
      fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
    );
    await fc.assert(
      fc.asyncProperty(junk, async (body) => {
        const response = await post(body);
        expect(response.status, response.text).toBe(400);
        const error = (response.json as { ok: boolean; error: { code: string; message: string } }).error;
        expect(['invalid_json', 'invalid_body', 'duplicate_field', 'missing_field', 'invalid_field', 'unknown_field']).toContain(error.code);
        expect(error.message).not.toBe('');
      }),
      { numRuns: 150 },
    );
  });

  it('refuses generated shaped orders the strategy or the market does not allow, before anything is journaled', async () => {
    /** The fake's BTCUSDT is at 60,000: a long's stop from there up, and a short's target, are on the wrong side. */
    const wrongSide = fc.integer({ min: 60_000, max: 10_000_000 });
    const refusal: fc.Arbitrary<{ changes: Record<string, unknown>; status: number; code: string; field: string }> = fc.oneof(
      fc.double({ min: 1, max: 1_000, noNaN: true }).map((leverage) => ({ changes: { leverage }, status: 403, code: 'leverage_above_limit', field: 'leverage' })),
      wrongSide.map((stop) => ({ changes: { side: 'Buy', stop_loss: stop }, status: 400, code: 'protection_wrong_side', field: 'stop_loss' })),
      wrongSide.map((target) => ({ changes: { side: 'Sarsell', take_profit: target }, status: 400, code: 'protection_wrong_side', field: 'take_profit' })),
      fc.integer({ min: 1, max: 59_999 }).map((target) => ({ changes: { side: 'Buy', take_profit: String(target) }, status: 400, code: 'protection_wrong_side', field: 'take_profit' })),
      fc.integer({ min: 10_000, max: 10 * 365 * 86_400_000 }).map((ahead) => ({ changes: { signal_time: Date.now() + ahead, max_lag: 60 }, status: 400, code: 'invalid_field', field: 'signal_time' })),
      fc.constantFrom(
        { changes: { leverage: 2 }, status: 400, code: 'leverage_not_supported', field: 'leverage' },
        { changes: { stop_loss_percent: 1 }, status: 400, code: 'protection_not_supported', field: 'stop_loss_percent' },
        { changes: { take_profit: 70_000 }, status: 400, code: 'protection_not_supported', field: 'take_profit' },
        { changes: { side: 'Sell', reduce_only: true }, status: 400, code: 'invalid_field', field: 'reduce_only' },
        { changes: { target_position: -1 }, status: 400, code: 'invalid_field', field: 'target_position' },
      ).map((spot) => ({ ...spot, changes: { ...spot.changes, strategy: SPOT_STRATEGY, exchange: 'binance' } })),
    );
    await fc.assert(
      fc.asyncProperty(refusal, async ({ changes, status, code, field }) => {
        const response = await post(Buffer.from(JSON.stringify({ ...signedOrder(), ...changes })));
        expect(refusalProblems(response, { status, code, field }, 'POST', secrets), response.text.slice(0, 300)).toEqual([]);
      }),
      { numRuns: 120 },
    );
  });

  it('sent nothing to the exchange, journaled nothing, and places the next valid order', async () => {
    expect(rig.exchangeRequests()).toBe(0);
    expect(rig.journalRows()).toBe(0);
    const call = await postSignedOrder(rig.server.url, rig.key, VALID_ORDER);
    expect(call.status, JSON.stringify(call.body)).toBe(200);
    expect(rig.fake.createdOrders()).toHaveLength(1);
    expect(rig.server.stderr()).toBe('');
  });
});
