import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { binanceLimits } from '../../main/engine/exchanges/scheduling/binance-limits.js';
import { bybitLimits } from '../../main/engine/exchanges/scheduling/bybit-limits.js';
import { ExchangeHoldError } from '../../main/engine/exchanges/scheduling/exchange-hold.js';
import type { HeardAnswer } from '../../main/engine/exchanges/scheduling/exchange-limits.js';
import { type Charge, type RequestClass, RequestScheduler, type WindowRule } from '../../main/engine/exchanges/scheduling/request-scheduler.js';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  vi.setSystemTime(1_000_000);
});

afterEach(() => {
  vi.useRealTimers();
});

function scheduler(): RequestScheduler {
  return new RequestScheduler({ now: () => Date.now() });
}

interface Admitted {
  at: number;
  requestClass: RequestClass;
  charges: Charge[];
}

/** Admits a request, notes when it went through (fake time), and answers it at once or after `answerAfterMs`. */
function track(s: RequestScheduler, charges: Charge[], requestClass: RequestClass, admitted: Admitted[], answerAfterMs = 0) {
  return s.admit(charges, requestClass).then((release) => {
    admitted.push({ at: Date.now(), requestClass, charges });
    if (answerAfterMs === 0) release();
    else setTimeout(release, answerAfterMs);
  });
}

/** Admits and answers at once. */
async function send(s: RequestScheduler, charges: Charge[], requestClass: RequestClass): Promise<void> {
  (await s.admit(charges, requestClass))();
}

const perSecond = (id: string, limit: number): WindowRule => ({ id, limit, windowMs: 1_000 });

describe('RequestScheduler', () => {
  it('lets a burst up to the limit through at once, then the next one window after the first answer', async () => {
    const s = scheduler();
    const rule = perSecond('create', 10);
    const admitted: Admitted[] = [];
    // each answer takes 30 ms (a round trip): the exchange saw each request before its answer left
    const all = Array.from({ length: 11 }, () => track(s, [{ rule, weight: 1 }], 'order', admitted, 30));
    await vi.advanceTimersByTimeAsync(0);
    expect(admitted).toHaveLength(10);
    expect(admitted.every((entry) => entry.at === 1_000_000)).toBe(true);
    await vi.advanceTimersByTimeAsync(1_030 - 1);
    expect(admitted).toHaveLength(10);
    await vi.advanceTimersByTimeAsync(1);
    await Promise.all(all);
    expect(admitted[10]?.at).toBe(1_000_000 + 30 + 1_000);
  });

  it('counts a window from when the answer arrived, when the transport saw it, not from when it was released; never from later than now', async () => {
    const s = scheduler();
    const rule = perSecond('create', 2);
    const releases = [await s.admit([{ rule, weight: 1 }], 'order'), await s.admit([{ rule, weight: 1 }], 'order')];
    // both answers arrived 30 ms in; the second was released (parsed) 200 ms later, the first 250 ms later
    await vi.advanceTimersByTimeAsync(30);
    const arrived = Date.now();
    await vi.advanceTimersByTimeAsync(200);
    releases[1]?.(arrived + 5);
    await vi.advanceTimersByTimeAsync(50);
    releases[0]?.(arrived);
    const admitted: Admitted[] = [];
    void track(s, [{ rule, weight: 1 }], 'order', admitted);
    void track(s, [{ rule, weight: 1 }], 'order', admitted);
    await vi.advanceTimersByTimeAsync(arrived + 1_000 - Date.now() - 1);
    expect(admitted).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(admitted.map((entry) => entry.at)).toEqual([arrived + 1_000]);
    await vi.advanceTimersByTimeAsync(5);
    expect(admitted.map((entry) => entry.at)).toEqual([arrived + 1_000, arrived + 1_005]);
    // a time in the future counts as now
    await vi.advanceTimersByTimeAsync(1_100);
    const later = await s.admit([{ rule, weight: 2 }], 'order');
    const releasedAt = Date.now();
    later(releasedAt + 60_000);
    const next: Admitted[] = [];
    void track(s, [{ rule, weight: 1 }], 'order', next);
    await vi.advanceTimersByTimeAsync(999);
    expect(next).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(next.map((entry) => entry.at)).toEqual([releasedAt + 1_000]);
  });

  it('counts a request without an answer yet whatever its age: a stalled one never lets a second window in on top of it', async () => {
    const s = scheduler();
    const rule = perSecond('create', 2);
    const releases = [await s.admit([{ rule, weight: 1 }], 'order'), await s.admit([{ rule, weight: 1 }], 'order')];
    const admitted: Admitted[] = [];
    void track(s, [{ rule, weight: 1 }], 'order', admitted);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(admitted).toHaveLength(0);
    for (const release of releases) release();
    await vi.advanceTimersByTimeAsync(999);
    expect(admitted).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(admitted).toHaveLength(1);
  });

  it('gives the whole budget back after idle time: a request after a pause pays nothing for the last one', async () => {
    const s = scheduler();
    const rule = perSecond('position', 5);
    for (let i = 0; i < 5; i++) await send(s, [{ rule, weight: 1 }], 'order');
    await vi.advanceTimersByTimeAsync(5_000);
    const before = Date.now();
    for (let i = 0; i < 5; i++) await send(s, [{ rule, weight: 1 }], 'order');
    expect(Date.now()).toBe(before);
    expect(s.used(rule)).toBe(5);
  });

  it('never lets background work fill more than half a rule, so an order always finds room', async () => {
    const s = scheduler();
    const rule = perSecond('shared', 10);
    const admitted: Admitted[] = [];
    for (let i = 0; i < 20; i++) void track(s, [{ rule, weight: 1 }], 'background', admitted);
    await vi.advanceTimersByTimeAsync(0);
    expect(admitted).toHaveLength(5);
    // an order arriving while 15 background requests wait goes through at once
    const orderAt = Date.now();
    await send(s, [{ rule, weight: 1 }], 'order');
    expect(Date.now()).toBe(orderAt);
  });

  it('admits waiting orders before waiting reads, and reads before background work, where they share a rule', async () => {
    const s = scheduler();
    const rule = perSecond('weight', 4);
    const admitted: Admitted[] = [];
    for (let i = 0; i < 4; i++) await send(s, [{ rule, weight: 1 }], 'order');
    void track(s, [{ rule, weight: 1 }], 'background', admitted);
    void track(s, [{ rule, weight: 1 }], 'read', admitted);
    void track(s, [{ rule, weight: 1 }], 'order', admitted);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(admitted.map((entry) => entry.requestClass)).toEqual(['order', 'read', 'background']);
  });

  it('does not make a request wait for rules it does not use', async () => {
    const s = scheduler();
    const create = perSecond('create', 1);
    const read = perSecond('read', 1);
    await send(s, [{ rule: create, weight: 1 }], 'order');
    const waiting = s.admit([{ rule: create, weight: 1 }], 'order');
    const at = Date.now();
    await send(s, [{ rule: read, weight: 1 }], 'read');
    expect(Date.now()).toBe(at);
    await vi.advanceTimersByTimeAsync(2_000);
    (await waiting)();
  });

  it('does not starve a heavy request behind a stream of light ones', async () => {
    const s = scheduler();
    const rule: WindowRule = { id: 'weight', limit: 40, windowMs: 1_000 };
    const admitted: Admitted[] = [];
    for (let i = 0; i < 30; i++) await send(s, [{ rule, weight: 1 }], 'read');
    void track(s, [{ rule, weight: 30 }], 'read', admitted);
    for (let i = 0; i < 5; i++) void track(s, [{ rule, weight: 1 }], 'read', admitted);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(admitted[0]?.charges[0]?.weight).toBe(30);
  });

  it('never exceeds any rule in any window, whatever the mix of a flood and however late each request arrives', async () => {
    const s = scheduler();
    const rules = [perSecond('uid', 10), { id: 'ip', limit: 60, windowMs: 5_000 }, { id: 'weight', limit: 100, windowMs: 3_000 }];
    const classes: RequestClass[] = ['order', 'read', 'background'];
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    /** When each request reached the exchange: somewhere between leaving and its answer. */
    const arrivals: { at: number; charges: Charge[] }[] = [];
    const flood: Promise<unknown>[] = [];
    for (let i = 0; i < 400; i++) {
      const charges: Charge[] = [{ rule: rules[1] as WindowRule, weight: 1 }];
      if (random() < 0.5) charges.push({ rule: rules[0] as WindowRule, weight: 1 });
      if (random() < 0.5) charges.push({ rule: rules[2] as WindowRule, weight: 1 + Math.floor(random() * 20) });
      const roundTrip = Math.floor(random() * 400);
      const arrivesAfter = Math.floor(random() * roundTrip);
      flood.push(
        s.admit(charges, classes[Math.floor(random() * 3)] as RequestClass).then((release) => {
          const left = Date.now();
          setTimeout(() => arrivals.push({ at: left + arrivesAfter, charges }), arrivesAfter);
          setTimeout(release, roundTrip);
        }),
      );
      if (random() < 0.3) await vi.advanceTimersByTimeAsync(Math.floor(random() * 200));
    }
    await vi.advanceTimersByTimeAsync(300_000);
    await Promise.all(flood);
    expect(arrivals).toHaveLength(400);
    for (const rule of rules) {
      for (const entry of arrivals) {
        const inWindow = arrivals.filter((other) => other.at >= entry.at && other.at < entry.at + rule.windowMs);
        const weight = inWindow.reduce((sum, other) => sum + other.charges.filter((charge) => charge.rule.id === rule.id).reduce((a, charge) => a + charge.weight, 0), 0);
        expect(weight, `${rule.id} at ${entry.at}`).toBeLessThanOrEqual(rule.limit);
      }
    }
  });
});

describe('RequestScheduler: holds the exchange asked for', () => {
  it('holds the rules named until the hold ends, and no other rule', async () => {
    const s = scheduler();
    const held = perSecond('held', 10);
    const free = perSecond('free', 10);
    s.hold([held], 800, 'says the window is used up');
    const admitted: Admitted[] = [];
    const both = Promise.all([track(s, [{ rule: held, weight: 1 }], 'order', admitted), track(s, [{ rule: free, weight: 1 }], 'order', admitted)]);
    await vi.advanceTimersByTimeAsync(0);
    expect(admitted.map((entry) => entry.charges[0]?.rule.id)).toEqual(['free']);
    await vi.advanceTimersByTimeAsync(799);
    expect(admitted).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    await both;
    expect(admitted[1]).toMatchObject({ at: 1_000_000 + 800, charges: [{ rule: held }] });
  });

  it('refuses an order or a read that a hold would keep longer than it may wait, unsent; background work waits it out', async () => {
    const s = scheduler();
    const rule = perSecond('ip', 600);
    s.hold('all', 120_000, 'banned this IP');
    for (const requestClass of ['order', 'read'] as const) {
      const refusal = await s.admit([{ rule, weight: 1 }], requestClass).then(
        () => null,
        (error: unknown) => error,
      );
      expect(refusal).toBeInstanceOf(ExchangeHoldError);
      expect(refusal).toMatchObject({ remainingMs: 120_000, why: 'banned this IP' });
    }
    // a hold of every request holds one that no rule charges, too
    await expect(s.admit([], 'order')).rejects.toBeInstanceOf(ExchangeHoldError);
    const admitted: Admitted[] = [];
    const background = track(s, [{ rule, weight: 1 }], 'background', admitted);
    await vi.advanceTimersByTimeAsync(119_999);
    expect(admitted).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    await background;
    expect(admitted[0]?.at).toBe(1_000_000 + 120_000);
    // the background request alone: the refused ones spent nothing
    expect(s.used(rule)).toBe(1);
  });

  it('refuses the orders already waiting that a new hold keeps too long, and keeps those a short one holds', async () => {
    const s = scheduler();
    const rule = perSecond('create', 1);
    (await s.admit([{ rule, weight: 1 }], 'order'))();
    const waiting = s.admit([{ rule, weight: 1 }], 'order');
    await vi.advanceTimersByTimeAsync(0);
    s.hold([rule], 500, 'a short hold');
    await vi.advanceTimersByTimeAsync(0);
    expect(s.waiting).toBe(1);
    s.hold([rule], 30_000, 'refused an order (HTTP 429)');
    await expect(waiting).rejects.toMatchObject({ name: 'ExchangeHoldError', why: 'refused an order (HTTP 429)' });
    expect(s.waiting).toBe(0);
  });

  it('keeps the longer of two holds, and forgets a hold once it ended', async () => {
    const s = scheduler();
    const rule = perSecond('create', 10);
    s.hold([rule], 5_000, 'the long one');
    s.hold([rule], 2_000, 'the short one');
    await expect(s.admit([{ rule, weight: 1 }], 'order')).rejects.toMatchObject({ why: 'the long one', remainingMs: 5_000 });
    await vi.advanceTimersByTimeAsync(5_000);
    const release = await s.admit([{ rule, weight: 1 }], 'order');
    release();
    expect(s.used(rule)).toBe(1);
  });
});

describe('RequestScheduler: what the exchange counted', () => {
  it("counts what the exchange counted beyond apisify's own until the exchange's window ends, the latest report replacing the last", async () => {
    const s = scheduler();
    const rule: WindowRule = { id: 'ip-weight', limit: 100, windowMs: 60_000 };
    await send(s, [{ rule, weight: 10 }], 'order');
    // the exchange counted 70: 60 of them another program's, for the 20 s its minute has left
    s.counted(rule, 70, 20_000);
    expect(s.used(rule)).toBe(70);
    const admitted: Admitted[] = [];
    const heavy = track(s, [{ rule, weight: 40 }], 'order', admitted);
    await vi.advanceTimersByTimeAsync(0);
    expect(admitted).toHaveLength(0);
    // a later report replaces it: the other program's share is now 70
    s.counted(rule, 80, 15_000);
    expect(s.used(rule)).toBe(80);
    await vi.advanceTimersByTimeAsync(14_999);
    expect(admitted).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    await heavy;
    expect(admitted[0]?.at).toBe(1_000_000 + 15_000);
    // a count at or below apisify's own adds nothing
    s.counted(rule, 5, 30_000);
    expect(s.used(rule)).toBe(50);
  });
});

const answer = (status: number, headers: Record<string, string>, exchangeNow = 1_700_000_000_000): HeardAnswer => ({ status, headers, exchangeNow });

describe('what the exchanges say of their own count', () => {
  const bybitCreate = { method: 'POST', path: '/v5/order/create', params: { category: 'linear' } };
  const binanceCreate = { method: 'POST', path: '/fapi/v1/order', params: { symbol: 'BTCUSDT' } };
  const binanceRead = { method: 'GET', path: '/fapi/v2/positionRisk', params: {} };

  it("Bybit: an answer that leaves none of the account's window holds that endpoint until Bybit's reset time", () => {
    const limits = bybitLimits();
    const uidRule = limits.charges(bybitCreate, 'main')[1]?.rule;
    const now = 1_700_000_000_000;
    expect(limits.heard(bybitCreate, 'main', answer(200, { 'x-bapi-limit': '10', 'x-bapi-limit-status': '0', 'x-bapi-limit-reset-timestamp': String(now + 420) }, now)).holds).toEqual([
      { rules: [uidRule], forMs: 420, why: "says this account's limit of 10 a second for POST /v5/order/create is used up" },
    ]);
    // some left, or a reset already past: nothing to hold
    expect(limits.heard(bybitCreate, 'main', answer(200, { 'x-bapi-limit-status': '3', 'x-bapi-limit-reset-timestamp': String(now + 420) }, now))).toEqual({ holds: [], counts: [] });
    expect(limits.heard(bybitCreate, 'main', answer(200, { 'x-bapi-limit-status': '0', 'x-bapi-limit-reset-timestamp': String(now) }, now)).holds).toEqual([]);
  });

  it("Bybit: a 403 is the IP's ban, ten minutes at least", () => {
    expect(bybitLimits().heard(bybitCreate, 'main', answer(403, {})).holds).toEqual([{ rules: 'all', forMs: 600_000, why: expect.stringContaining('HTTP 403') }]);
  });

  it('Binance: a 418 holds everything for its Retry-After; a 429 what it refused', () => {
    const limits = binanceLimits();
    const [tenSeconds, minute] = limits.charges(binanceCreate, 'main').map((charge) => charge.rule);
    const weightRule = limits.charges(binanceRead, 'main')[0]?.rule;
    expect(limits.heard(binanceRead, 'main', answer(418, { 'retry-after': '300' })).holds).toEqual([{ rules: 'all', forMs: 300_000, why: expect.stringContaining('HTTP 418') }]);
    // the weight: the answer's count is past the limit
    expect(limits.heard(binanceRead, 'main', answer(429, { 'retry-after': '37', 'x-mbx-used-weight-1m': '2405' })).holds).toEqual([{ rules: [weightRule], forMs: 37_000, why: expect.stringContaining('request weight') }]);
    // the orders: a create refused while the weight has room
    expect(limits.heard(binanceCreate, 'main', answer(429, { 'retry-after': '6', 'x-mbx-used-weight-1m': '12' })).holds).toEqual([{ rules: [tenSeconds, minute], forMs: 6_000, why: expect.stringContaining('order count') }]);
  });

  it("Binance: a window its answer says is full is held until the window's end on Binance's clock", () => {
    const limits = binanceLimits();
    const [tenSeconds, minute] = limits.charges(binanceCreate, 'main').map((charge) => charge.rule);
    const weightRule = limits.charges(binanceRead, 'main')[0]?.rule;
    // 12.5 s into a minute of Binance's clock, 2.5 s into its 10 s window
    const exchangeNow = 1_700_000_040_000 + 12_500;
    expect(limits.heard(binanceRead, 'main', answer(200, { 'x-mbx-used-weight-1m': '2400' }, exchangeNow)).holds).toEqual([{ rules: [weightRule], forMs: 47_500, why: expect.stringContaining('2400 of 2400') }]);
    expect(limits.heard(binanceCreate, 'main', answer(200, { 'x-mbx-used-weight-1m': '3', 'x-mbx-order-count-10s': '300', 'x-mbx-order-count-1m': '1200' }, exchangeNow)).holds).toEqual([
      { rules: [tenSeconds], forMs: 7_500, why: expect.stringContaining('300 of 300') },
      { rules: [minute], forMs: 47_500, why: expect.stringContaining('1200 of 1200') },
    ]);
    // below the limits: counts for the scheduler, nothing held
    expect(limits.heard(binanceCreate, 'main', answer(200, { 'x-mbx-used-weight-1m': '2399', 'x-mbx-order-count-10s': '299' }, exchangeNow))).toEqual({
      holds: [],
      counts: [
        { rule: weightRule, used: 2_399, forMs: 47_500 },
        { rule: tenSeconds, used: 299, forMs: 7_500 },
      ],
    });
  });
});

describe('the published limits', () => {
  it("Bybit: an order create is charged to the IP's 600 per 5 s and the UID's create limit per product", () => {
    const limits = bybitLimits();
    const linear = limits.charges({ method: 'POST', path: '/v5/order/create', params: { category: 'linear' } }, 'main');
    expect(linear.map((charge) => [charge.rule.limit, charge.rule.windowMs])).toEqual([
      [600, 5_000],
      [10, 1_000],
    ]);
    const spot = limits.charges({ method: 'POST', path: '/v5/order/create', params: { category: 'spot' } }, 'main');
    expect(spot[1]?.rule.limit).toBe(20);
    expect(spot[1]?.rule.id).not.toBe(linear[1]?.rule.id);
    expect(limits.isOrder({ method: 'POST', path: '/v5/order/create', params: {} })).toBe(true);
    expect(limits.isOrder({ method: 'GET', path: '/v5/position/list', params: {} })).toBe(false);
    // public data counts against the IP only
    expect(limits.charges({ method: 'GET', path: '/v5/market/time', params: {} }, 'main')).toHaveLength(1);
    // two accounts have a UID limit each, one IP limit between them
    const other = limits.charges({ method: 'POST', path: '/v5/order/create', params: { category: 'linear' } }, 'sub');
    expect(other[0]?.rule.id).toBe(linear[0]?.rule.id);
    expect(other[1]?.rule.id).not.toBe(linear[1]?.rule.id);
  });

  it('Binance USDⓈ-M: a create weighs nothing on the IP but counts on the order limits; the position mode weighs 30', () => {
    const limits = binanceLimits();
    const create = limits.charges({ method: 'POST', path: '/fapi/v1/order', params: { symbol: 'BTCUSDT' } }, 'main');
    expect(create.map((charge) => [charge.rule.limit, charge.rule.windowMs, charge.weight])).toEqual([
      [300, 10_000, 1],
      [1_200, 60_000, 1],
    ]);
    expect(limits.charges({ method: 'GET', path: '/fapi/v1/positionSide/dual', params: {} }, 'main')).toEqual([{ rule: expect.objectContaining({ limit: 2_400, windowMs: 60_000 }), weight: 30 }]);
    expect(limits.charges({ method: 'GET', path: '/fapi/v1/openOrders', params: {} }, 'main')[0]?.weight).toBe(40);
    expect(limits.charges({ method: 'GET', path: '/fapi/v1/openOrders', params: { symbol: 'BTCUSDT' } }, 'main')[0]?.weight).toBe(1);
    expect(limits.isOrder({ method: 'DELETE', path: '/fapi/v1/order', params: {} })).toBe(true);
  });

  it("Binance spot: a create weighs 1 on the IP's 6,000 per minute and counts on 100 orders per 10 s", () => {
    const limits = binanceLimits();
    const create = limits.charges({ method: 'POST', path: '/api/v3/order', params: { symbol: 'BTCUSDT' } }, 'main');
    expect(create.map((charge) => [charge.rule.limit, charge.rule.windowMs, charge.weight])).toEqual([
      [6_000, 60_000, 1],
      [61_000, 300_000, 1],
      [100, 10_000, 1],
      [200_000, 86_400_000, 1],
    ]);
  });
});
