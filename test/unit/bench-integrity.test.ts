import { describe, expect, it } from 'vitest';
import { checkIntegrity } from '../../bench/integrity.js';
import type { JournalAudit } from '../../bench/journal-audit.js';
import type { OrderAnswer } from '../../bench/signed-orders.js';
import { summary } from '../../bench/latency.js';
import { percentile } from '../../bench/stats.js';

const ok = (clientOrderId: string): OrderAnswer => ({ status: 200, body: { ok: true, order: { orders: [{ client_order_id: clientOrderId }] } } as unknown as OrderAnswer['body'], writtenAt: 0 });
/** The exchange's view when every create request was accepted once. */
const at = (accepted: string[]) => ({ accepted, requested: accepted });
const journalOf = (clientOrderIds: string[], orders = clientOrderIds.length): JournalAudit => ({
  orders,
  byStatus: { filled: orders },
  legs: clientOrderIds.length,
  legsAnswered: clientOrderIds.length,
  duplicateClientIds: clientOrderIds.length - new Set(clientOrderIds).size,
  clientOrderIds,
});

describe("the bench's nothing-lost check", () => {
  it('passes when the 2xx answers, the journal and the exchange hold the same orders', () => {
    expect(checkIntegrity([ok('a'), ok('b')], journalOf(['a', 'b']), at(['a', 'b']))).toMatchObject({ sent: 2, successful: 2, lost: 0, duplicated: 0 });
  });

  it('counts an order the exchange has but the journal does not', () => {
    expect(checkIntegrity([ok('a')], journalOf(['a']), at(['a', 'b'])).lost).toBe(1);
  });

  it('counts a journal row that never got legs, and a 2xx with nothing behind it', () => {
    expect(checkIntegrity([ok('a')], journalOf(['a'], 2), at(['a'])).lost).toBe(1);
    expect(checkIntegrity([ok('a'), ok('b')], journalOf(['a']), at(['a'])).lost).toBe(1);
  });

  it('counts a client order id sent twice, though the exchange refused the second (as it does)', () => {
    expect(checkIntegrity([ok('a')], journalOf(['a']), { accepted: ['a'], requested: ['a', 'a'] }).duplicated).toBe(1);
    expect(checkIntegrity([ok('a')], journalOf(['a', 'a']), at(['a'])).duplicated).toBe(1);
  });

  it('counts a refusal apart, by status and code, without calling it lost', () => {
    const refused: OrderAnswer = { status: 401, body: { ok: false, error: { code: 'invalid_signature', message: 'no' } }, writtenAt: 0 };
    expect(checkIntegrity([ok('a'), refused, { status: 0, body: null, failure: 'ECONNRESET', writtenAt: 0 }], journalOf(['a']), at(['a']))).toMatchObject({
      sent: 3,
      successful: 1,
      unsuccessful: { '401 invalid_signature': 1, '0 ECONNRESET': 1 },
      lost: 0,
    });
  });
});

describe('percentile', () => {
  it('is a measured value, by nearest rank', () => {
    const values = Array.from({ length: 100 }, (_, index) => 100 - index);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile([3], 99)).toBe(3);
  });
});

describe("a latency path's figures", () => {
  const calls = (results: boolean[]) => results.map((result, index) => ({ latencyMs: index + 1, result }));

  it('are its percentiles when every order went through', () => {
    expect(summary(calls([true, true, true, true]), (ok) => ok)).toMatchObject({ orders: 4, ok: 4, p50Ms: 2, maxMs: 4 });
  });

  it('are not given (NaN, which no target passes) when any order failed', () => {
    const failed = summary(calls([true, false, true, true]), (ok) => ok);
    expect(failed).toMatchObject({ orders: 4, ok: 3 });
    expect(failed.p50Ms).toBeNaN();
    expect(failed.p99Ms).toBeNaN();
  });
});
