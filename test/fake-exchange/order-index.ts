// Every order a venue holds, with the indexes its requests look them up by, so that a request
// costs the same after 20 000 orders as after 20 (the bench measures the engine, not the fake).
// VenueState is the only writer: it adds each order once, when placed, and reports when one
// stops being open; orders never reopen.

import type { MarketSpec } from './markets.js';
import type { OrderRecord } from './state.js';

export class OrderIndex {
  private readonly all: OrderRecord[] = [];
  private readonly byOrderId = new Map<string, OrderRecord>();
  /** Oldest first; Bybit orders placed without an orderLinkId share the key ''. */
  private readonly byClientId = new Map<string, OrderRecord[]>();
  /** Sets keep insertion order, which is placement order: listings come out oldest first, as from `all`. */
  private readonly open = new Set<OrderRecord>();
  private readonly openByMarket = new Map<MarketSpec, Set<OrderRecord>>();

  /** Every order, oldest first. */
  get list(): readonly OrderRecord[] {
    return this.all;
  }

  add(order: OrderRecord): void {
    if (this.byOrderId.has(order.orderId)) throw new Error(`order id ${order.orderId} is already taken`);
    this.all.push(order);
    this.byOrderId.set(order.orderId, order);
    const sameClientId = this.byClientId.get(order.clientOrderId);
    if (sameClientId === undefined) this.byClientId.set(order.clientOrderId, [order]);
    else sameClientId.push(order);
    if (order.status === 'open') {
      this.open.add(order);
      let ofMarket = this.openByMarket.get(order.market);
      if (ofMarket === undefined) {
        ofMarket = new Set();
        this.openByMarket.set(order.market, ofMarket);
      }
      ofMarket.add(order);
    }
  }

  /** Called after an order's status left 'open'. */
  closed(order: OrderRecord): void {
    this.open.delete(order);
    this.openByMarket.get(order.market)?.delete(order);
  }

  byId(orderId: string): OrderRecord | undefined {
    return this.byOrderId.get(orderId);
  }

  /** Orders placed with this client order id, oldest first. */
  withClientId(clientOrderId: string): readonly OrderRecord[] {
    return this.byClientId.get(clientOrderId) ?? [];
  }

  /** Open orders, oldest first: of one market, or of every market. A copy, so callers may cancel while they walk it. */
  openOrders(market?: MarketSpec): OrderRecord[] {
    if (market === undefined) return [...this.open];
    return [...(this.openByMarket.get(market) ?? [])];
  }
}
