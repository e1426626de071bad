import { describe, expect, it } from 'vitest';
import { DesktopNotifications, notificationFor, notificationsEnabled, notificationText, OrderStatusMemory, RefusalThrottle, refusalNotificationText, SURPRISING_REFUSALS } from '../../main/electron/notifications.js';
import type { EngineEvent } from '../../shared/engine-events.js';
import type { ExchangeOrderView, OrderStatus, OrderView } from '../../shared/order-view.js';
import { ORDER_STATUSES } from '../../shared/order-view.js';
import type { SignalView } from '../../shared/signal-view.js';
import { engineStatus } from './engine-status-fixture.js';

function leg(overrides: Partial<ExchangeOrderView> = {}): ExchangeOrderView {
  return {
    leg: 1,
    role: 'entry',
    triggerPrice: null,
    clientOrderId: 'apx-1-1',
    exchangeOrderId: '1234',
    side: 'buy',
    type: 'market',
    amount: '0.01',
    price: null,
    reduceOnly: false,
    status: 'filled',
    filled: '0.01',
    averagePrice: '64210.5',
    fee: null,
    feeCurrency: null,
    sentAt: '2025-03-04T14:02:00.100Z',
    answeredAt: '2025-03-04T14:02:00.300Z',
    error: null,
    ...overrides,
  };
}

function order(overrides: Partial<OrderView> = {}): OrderView {
  return {
    id: 42,
    receivedAt: '2025-03-04T14:02:00.000Z',
    updatedAt: '2025-03-04T14:02:00.300Z',
    source: 'tradingview',
    apiKeyLabel: 'tv',
    strategy: 'trend',
    exchange: 'bybit',
    account: 'default',
    symbol: 'BTCUSDT',
    side: 'buy',
    orderType: 'market',
    sizing: null,
    protection: null,
    qty: '0.01',
    price: null,
    memo: null,
    dryRun: false,
    market: null,
    status: 'filled',
    plan: null,
    legs: [leg()],
    error: null,
    request: {},
    ...overrides,
  };
}

const orderEvent = (view: OrderView): EngineEvent => ({ type: 'order', order: view });

describe('notificationFor', () => {
  it.each(['filled', 'rejected', 'error', 'not_sent', 'cancelled'] as const)('notifies when an order becomes %s', (status) => {
    expect(notificationFor(orderEvent(order({ status })), true, 'submitted')).not.toBeNull();
  });

  it('stays quiet for every other status', () => {
    // skipped notifies only for a late signal (below)
    const quiet = ORDER_STATUSES.filter((status) => !['filled', 'rejected', 'error', 'not_sent', 'cancelled'].includes(status));
    expect(quiet.length).toBeGreaterThan(0);
    for (const status of quiet) expect(notificationFor(orderEvent(order({ status })), true, 'received')).toBeNull();
  });

  it('notifies an order seen for the first time already filled', () => {
    expect(notificationFor(orderEvent(order({ status: 'filled' })), true, undefined)).not.toBeNull();
  });

  it('does not repeat itself when the same final status comes again', () => {
    expect(notificationFor(orderEvent(order({ status: 'filled' })), true, 'filled')).toBeNull();
  });

  it('shows nothing when switched off', () => {
    for (const status of ['filled', 'rejected', 'error'] satisfies OrderStatus[]) {
      expect(notificationFor(orderEvent(order({ status })), false, 'submitted')).toBeNull();
    }
  });

  it('ignores status and config events', () => {
    expect(notificationFor({ type: 'status', status: engineStatus() }, true, undefined)).toBeNull();
    expect(notificationFor({ type: 'config', what: 'keys' }, true, undefined)).toBeNull();
  });

  it('says a filled entry is left without its protection', () => {
    const event = { type: 'protection_failed', orderId: 42, message: 'binance refused the stop-loss: -2021 Order would immediately trigger' } as const;
    expect(notificationFor(event, true, undefined)).toEqual({ orderId: 42, title: 'Unprotected position: order 42', body: event.message });
    expect(notificationFor(event, false, undefined)).toBeNull();
  });

  it('says a late signal was skipped, and no other skip', () => {
    const late = order({ status: 'skipped', error: { code: 'stale_signal', message: 'signal_time is 95 s old; max_lag is 30 s' } });
    expect(notificationFor(orderEvent(late), true, 'received')).toMatchObject({ title: expect.stringMatching(/^Skipped, signal too late/), body: expect.stringContaining('95 s old') });
    expect(notificationFor(orderEvent(order({ status: 'skipped', plan: 'Close: nothing open' })), true, 'received')).toBeNull();
  });
});

describe('notificationText', () => {
  it('says what filled, where, and at what price', () => {
    expect(notificationText(order())).toEqual({ orderId: 42, title: 'Filled: Buy 0.01 BTCUSDT', body: 'trend on bybit · at 64210.5' });
  });

  it('marks a dry run, and uses the plan when two legs make one price meaningless', () => {
    const view = order({
      side: 'sarbuy',
      qty: '2',
      dryRun: true,
      plan: 'SAR: buy 3 to go from -1 to +2',
      legs: [leg({ leg: 1, averagePrice: '100' }), leg({ leg: 2, averagePrice: '101' })],
    });
    expect(notificationText(view)).toEqual({ orderId: 42, title: 'Filled: Sarbuy 2 BTCUSDT', body: 'trend on bybit (dry run) · SAR: buy 3 to go from -1 to +2' });
  });

  it('gives the exchange’s reason for a rejection', () => {
    const view = order({ status: 'rejected', error: { code: 'exchange_rejected', message: 'Insufficient margin' } });
    expect(notificationText(view)).toEqual({ orderId: 42, title: 'Rejected: Buy 0.01 BTCUSDT', body: 'Insufficient margin (trend on bybit)' });
  });

  it('gives the reason for an error, and a Close without a quantity reads well', () => {
    const view = order({ status: 'error', side: 'Close', qty: null, error: { code: 'exchange_unreachable', message: 'bybit did not answer within 10 s' } });
    expect(notificationText(view)).toEqual({ orderId: 42, title: 'Order failed: Close BTCUSDT', body: 'bybit did not answer within 10 s (trend on bybit)' });
  });

  it('tells of an order that was not sent, with the reason, and of a cancelled one', () => {
    const notSent = order({ status: 'not_sent', error: { code: 'trading_paused', message: 'trading was paused in apisify before this order was sent; it was not sent (nor will it be)' } });
    expect(notificationText(notSent)).toEqual({ orderId: 42, title: 'Not sent: Buy 0.01 BTCUSDT', body: 'trading was paused in apisify before this order was sent; it was not sent (nor will it be) (trend on bybit)' });
    expect(notificationText(order({ status: 'cancelled' }))).toEqual({ orderId: 42, title: 'Cancelled: Buy 0.01 BTCUSDT', body: 'trend on bybit' });
  });

  it('still says something when the error has no message', () => {
    expect(notificationText(order({ status: 'rejected', error: null }))?.body).toBe('The exchange refused the order. (trend on bybit)');
  });
});

describe('OrderStatusMemory', () => {
  it('returns each order’s previous status, so only changes notify', () => {
    const memory = new OrderStatusMemory();
    const shown: string[] = [];
    for (const status of ['received', 'submitted', 'filled', 'filled'] satisfies OrderStatus[]) {
      const event = orderEvent(order({ status }));
      const note = notificationFor(event, true, memory.remember(event));
      if (note) shown.push(note.title);
    }
    expect(shown).toEqual(['Filled: Buy 0.01 BTCUSDT']);
  });

  it('keeps orders apart', () => {
    const memory = new OrderStatusMemory();
    memory.remember(orderEvent(order({ id: 1, status: 'filled' })));
    expect(memory.remember(orderEvent(order({ id: 2, status: 'filled' })))).toBeUndefined();
    expect(memory.remember(orderEvent(order({ id: 1, status: 'filled' })))).toBe('filled');
  });

  it('forgets the oldest orders beyond its capacity', () => {
    const memory = new OrderStatusMemory(2);
    memory.remember(orderEvent(order({ id: 1, status: 'submitted' })));
    memory.remember(orderEvent(order({ id: 2, status: 'submitted' })));
    memory.remember(orderEvent(order({ id: 3, status: 'submitted' })));
    expect(memory.remember(orderEvent(order({ id: 1, status: 'filled' })))).toBeUndefined();
    expect(memory.remember(orderEvent(order({ id: 3, status: 'filled' })))).toBe('submitted');
  });
});

describe('notificationsEnabled', () => {
  it('follows the setting the status carries', () => {
    expect(notificationsEnabled({ ...engineStatus(), notifications: false })).toBe(false);
    expect(notificationsEnabled({ ...engineStatus(), notifications: true })).toBe(true);
  });
});

function refused(overrides: Partial<SignalView> = {}): SignalView {
  return {
    id: 1,
    at: '2025-03-04T14:02:00.000Z',
    outcome: 'refused',
    source: 'tradingview',
    keyLabel: 'tv',
    apikeyMasked: 'ak_12ab…cdef',
    clientAddress: '52.89.214.238',
    strategy: 'trend',
    exchange: 'bybit',
    symbol: 'BTCUSDT.P',
    side: 'buy',
    orderType: 'Market',
    qty: '1',
    price: null,
    status: 403,
    code: 'strategy_disabled',
    field: 'strategy',
    message: 'strategy: trend is disabled',
    orderId: null,
    count: 1,
    ...overrides,
  };
}

const signalsEvent = (...signals: SignalView[]): EngineEvent => ({ type: 'signals', signals });

describe('refusal notifications', () => {
  it('tells of a refusal the user would not expect, naming the strategy, the key and the reason', () => {
    expect(refusalNotificationText(refused())).toEqual({ title: 'Refused: strategy disabled', body: 'trend · buy BTCUSDT.P, from key "tv": strategy: trend is disabled' });
    expect(refusalNotificationText(refused({ code: 'invalid_signature', keyLabel: null, source: null, strategy: null, side: null, symbol: null, message: 'sign: does not match' }))).toEqual({
      title: 'Refused: bad signature',
      body: 'from ak_12ab…cdef: sign: does not match',
    });
  });

  it.each(Object.keys(SURPRISING_REFUSALS))('notifies %s', (code) => {
    expect(refusalNotificationText(refused({ code }))).not.toBeNull();
  });

  it('stays quiet for malformed requests, strangers, rate limits and accepted orders', () => {
    for (const code of ['invalid_field', 'missing_field', 'invalid_apikey', 'rate_limited', 'host_not_allowed', 'body_too_large']) expect(refusalNotificationText(refused({ code })), code).toBeNull();
    expect(refusalNotificationText(refused({ outcome: 'accepted', code: 'trading_paused', orderId: 3 }))).toBeNull();
  });

  it('shows at most one a minute per reason', () => {
    let now = 1_000_000;
    const notifications = new DesktopNotifications(() => now);
    const titles = (event: EngineEvent) => notifications.decide(event, true).map((shown) => shown.title);
    expect(titles(signalsEvent(refused(), refused({ id: 2 }), refused({ id: 3, code: 'unknown_strategy' })))).toEqual(['Refused: strategy disabled', 'Refused: unknown strategy']);
    now += 59_999;
    expect(titles(signalsEvent(refused({ id: 4 }), refused({ id: 5, code: 'trading_paused' })))).toEqual(['Refused: trading is paused']);
    now += 1;
    expect(titles(signalsEvent(refused({ id: 6 })))).toEqual(['Refused: strategy disabled']);
  });

  it('neither shows nor counts a refusal while notifications are off', () => {
    const notifications = new DesktopNotifications(() => 0);
    expect(notifications.decide(signalsEvent(refused()), false)).toEqual([]);
    expect(notifications.decide(signalsEvent(refused({ id: 2 })), true)).toHaveLength(1);
  });

  it('still notifies orders as notificationFor does, once per status', () => {
    const notifications = new DesktopNotifications();
    expect(notifications.decide(orderEvent(order({ status: 'submitted' })), true)).toEqual([]);
    expect(notifications.decide(orderEvent(order({ status: 'filled' })), true).map((shown) => shown.title)).toEqual(['Filled: Buy 0.01 BTCUSDT']);
    expect(notifications.decide(orderEvent(order({ status: 'filled' })), true)).toEqual([]);
  });

  it('RefusalThrottle keeps reasons apart', () => {
    const throttle = new RefusalThrottle(60_000);
    expect([throttle.admit('a', 0), throttle.admit('b', 1), throttle.admit('a', 2), throttle.admit('a', 60_000)]).toEqual([true, true, false, true]);
  });
});
