import { describe, expect, it } from 'vitest';
import { TokenBuckets } from '../../main/engine/http/token-buckets.js';

function clock() {
  let ms = 0;
  return { now: () => ms, advance: (by: number) => (ms += by) };
}

describe('TokenBuckets', () => {
  it('lets a burst through, then refuses with the wait until the next token', () => {
    const time = clock();
    const buckets = new TokenBuckets(time.now);
    const limit = { perSecond: 2, burst: 3 };
    expect([1, 2, 3].map(() => buckets.take('a', limit))).toEqual([0, 0, 0]);
    expect(buckets.take('a', limit)).toBeCloseTo(0.5);
    time.advance(500);
    expect(buckets.take('a', limit)).toBe(0);
    expect(buckets.take('a', limit)).toBeCloseTo(0.5);
  });

  it('never refuses a sender that keeps to the rate', () => {
    const time = clock();
    const buckets = new TokenBuckets(time.now);
    const limit = { perSecond: 10, burst: 1 };
    for (let sent = 0; sent < 100; sent += 1) {
      expect(buckets.take('steady', limit)).toBe(0);
      time.advance(100);
    }
  });

  it('keeps each key to its own bucket', () => {
    const buckets = new TokenBuckets(clock().now);
    const limit = { perSecond: 1, burst: 1 };
    expect(buckets.take('a', limit)).toBe(0);
    expect(buckets.take('a', limit)).toBeGreaterThan(0);
    expect(buckets.take('b', limit)).toBe(0);
  });

  it('refills no further than the burst', () => {
    const time = clock();
    const buckets = new TokenBuckets(time.now);
    const limit = { perSecond: 100, burst: 2 };
    buckets.take('a', limit);
    time.advance(60_000);
    expect([1, 2].map(() => buckets.take('a', limit))).toEqual([0, 0]);
    expect(buckets.take('a', limit)).toBeGreaterThan(0);
  });

  it('is off at a rate of 0', () => {
    const buckets = new TokenBuckets(clock().now);
    for (let sent = 0; sent < 1_000; sent += 1) expect(buckets.take('a', { perSecond: 0, burst: 1 })).toBe(0);
    expect(buckets.size).toBe(0);
  });

  it('forgets full buckets when a flood of addresses arrives, so memory stays bounded', () => {
    const time = clock();
    const buckets = new TokenBuckets(time.now);
    const limit = { perSecond: 1, burst: 1 };
    for (let address = 0; address < 10_000; address += 1) buckets.take(`10.0.${address}`, limit);
    time.advance(2_000);
    buckets.take('late', limit);
    expect(buckets.size).toBe(1);
  });
});
