import type { OrderView } from '../../shared/order-view.js';

/** An OrderView as the journal would give it, with only what a test cares about changed. */
export function order(id: number, changes: Partial<OrderView> = {}): OrderView {
  return {
    id,
    receivedAt: `2025-03-02T10:00:${String(id % 60).padStart(2, '0')}.000Z`,
    updatedAt: `2025-03-02T10:00:${String(id % 60).padStart(2, '0')}.000Z`,
    source: 'api',
    apiKeyLabel: 'bot',
    strategy: 'alpha',
    exchange: 'bybit',
    account: 'default',
    symbol: 'BTCUSDT',
    side: 'Buy',
    orderType: 'market',
    qty: '1',
    price: null,
    memo: null,
    dryRun: true,
    market: null,
    status: 'received',
    plan: null,
    sizing: null,
    protection: null,
    legs: [],
    error: null,
    request: {},
    ...changes,
  };
}
