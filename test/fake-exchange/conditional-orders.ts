// Conditional (trigger) orders kept apart from the order book, as Binance USDⓈ-M's algo service
// keeps them: a stop or take-profit waits for the last price to reach its trigger, then places a
// market order (or a limit one at its price) in the books. The books call `trigger` on every price.

import type { MarketSpec } from './markets.js';
import { Rejection } from './rejection.js';
import type { OrderRecord, PositionSide, TimeInForce, VenueState } from './state.js';

/** A stop buys once the price rises to the trigger (sells once it falls); a take-profit the other way. */
export type ConditionalKind = 'stop' | 'take_profit';

/** NEW until triggered; TRIGGERED once its order is in the books, FINISHED once that order is done; EXPIRED when the order was refused. */
export type ConditionalStatus = 'NEW' | 'CANCELED' | 'TRIGGERED' | 'FINISHED' | 'EXPIRED';

export interface ConditionalInput {
  market: MarketSpec;
  side: 'buy' | 'sell';
  kind: ConditionalKind;
  triggerPrice: number;
  /** The limit price of the order placed on trigger; absent: a market order. */
  price?: number;
  /** Absent with closePosition: the whole position when it triggers. */
  qty?: number;
  closePosition: boolean;
  reduceOnly: boolean;
  positionSide: PositionSide;
  timeInForce: TimeInForce;
  clientId: string;
}

export interface ConditionalRecord extends ConditionalInput {
  id: string;
  status: ConditionalStatus;
  createdAt: number;
  updatedAt: number;
  /** 0 until triggered. */
  triggeredAt: number;
  /** The order it placed in the books. */
  order?: OrderRecord;
  /** Why its order was refused. */
  refusal?: string;
}

export interface ConditionalRef {
  id?: string;
  clientId?: string;
}

function reached(c: ConditionalInput, price: number): boolean {
  const rising = (c.kind === 'stop') === (c.side === 'buy');
  return rising ? price >= c.triggerPrice : price <= c.triggerPrice;
}

export class ConditionalBook {
  private readonly all = new Map<string, ConditionalRecord>();
  private readonly byClientId = new Map<string, ConditionalRecord[]>();
  private readonly waiting = new Set<ConditionalRecord>();
  private readonly listeners = new Set<(c: ConditionalRecord) => void>();
  private nextId = 4_000_000_000;
  /**
   * How long a triggered order waits between the algo service (TRIGGERED pushed) and the books
   * (its order placed, FINISHED pushed): 0 places it at once, in the same price change.
   */
  triggerLatencyMs = 0;

  constructor(private readonly state: VenueState) {}

  /** Called each time a conditional order is placed or changes state. */
  onChange(listener: (c: ConditionalRecord) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  place(input: ConditionalInput): ConditionalRecord {
    if (input.clientId !== '' && this.withClientId(input.clientId).some((c) => c.status === 'NEW')) {
      throw new Rejection('duplicate_client_id', `duplicate client algo id ${input.clientId}`);
    }
    if (reached(input, this.state.price(input.market))) throw new Rejection('would_trigger', 'Order would immediately trigger.');
    const now = this.state.now();
    const record: ConditionalRecord = { ...input, id: String(this.nextId++), status: 'NEW', createdAt: now, updatedAt: now, triggeredAt: 0 };
    this.all.set(record.id, record);
    this.byClientId.set(record.clientId, [...this.withClientId(record.clientId), record]);
    this.waiting.add(record);
    this.announce(record);
    return record;
  }

  cancel(ref: ConditionalRef, market: MarketSpec): ConditionalRecord {
    const record = this.find(ref, market);
    if (record === undefined || record.status !== 'NEW') throw new Rejection('order_not_found', 'Unknown order sent.');
    this.settle(record, 'CANCELED');
    return record;
  }

  /** By id, or the newest with a client id (ids are reusable once the older one is done). */
  find(ref: ConditionalRef, market?: MarketSpec): ConditionalRecord | undefined {
    const found = ref.id !== undefined ? this.all.get(ref.id) : ref.clientId !== undefined ? this.withClientId(ref.clientId).at(-1) : undefined;
    if (found === undefined || (market !== undefined && found.market !== market)) return undefined;
    if (ref.clientId !== undefined && found.clientId !== ref.clientId) return undefined;
    return found;
  }

  /** Waiting ones, oldest first: of one market, or of every market. */
  open(market?: MarketSpec): ConditionalRecord[] {
    return [...this.waiting].filter((c) => market === undefined || c.market === market);
  }

  /** Every one of a market, oldest first. */
  history(market: MarketSpec): ConditionalRecord[] {
    return [...this.all.values()].filter((c) => c.market === market);
  }

  /** The books' new price: each waiting order it reaches places its own. */
  trigger(market: MarketSpec, price: number): void {
    for (const c of this.open(market)) {
      if (c.status !== 'NEW' || !reached(c, price)) continue;
      c.triggeredAt = this.state.now();
      this.settle(c, 'TRIGGERED');
      if (this.triggerLatencyMs > 0) setTimeout(() => this.placeTriggered(c), this.triggerLatencyMs).unref();
      else this.placeTriggered(c);
    }
  }

  private placeTriggered(c: ConditionalRecord): void {
    try {
      c.order = this.state.placeOrder({
        market: c.market,
        side: c.side,
        type: c.price === undefined ? 'market' : 'limit',
        qty: c.closePosition ? undefined : c.qty,
        price: c.price,
        timeInForce: c.price === undefined ? 'IOC' : c.timeInForce,
        reduceOnly: c.reduceOnly || c.closePosition,
        closeOnTrigger: false,
        positionSide: c.positionSide,
        clientOrderId: c.clientId,
      });
    } catch (e) {
      if (!(e instanceof Rejection)) throw e;
      c.refusal = e.message;
      this.settle(c, 'EXPIRED');
      return;
    }
    if (c.order.status !== 'open') this.settle(c, 'FINISHED');
  }

  private withClientId(clientId: string): ConditionalRecord[] {
    return this.byClientId.get(clientId) ?? [];
  }

  private settle(record: ConditionalRecord, status: ConditionalStatus): void {
    record.status = status;
    record.updatedAt = this.state.now();
    if (status !== 'NEW') this.waiting.delete(record);
    this.announce(record);
  }

  private announce(record: ConditionalRecord): void {
    for (const listener of this.listeners) listener(record);
  }
}
