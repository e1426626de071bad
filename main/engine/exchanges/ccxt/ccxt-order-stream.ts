import type { ExchangeName } from '../../../../shared/exchange-names.js';
import type { OrderStream, StreamedOrder } from '../venue.js';
import type { OwnedExchange } from './ccxt-exchange.js';
import { outcomeOf } from './order-outcome.js';

interface SocketClient {
  futures: Record<string, unknown>;
  connection?: unknown;
  isOpen(): boolean;
}

/**
 * The account's order changes through ccxt pro's watchOrders, on the venue's own instance. How ccxt
 * 4.5.84 connects (see docs/exchanges.md): Bybit's private stream with an HMAC `auth`, then the
 * `order` topic; Binance spot through the WebSocket API's userDataStream.subscribe.signature;
 * Binance USDⓈ-M through a listen key from REST and the futures user data stream.
 */
export class CcxtOrderStream implements OrderStream {
  constructor(
    private readonly instance: OwnedExchange,
    readonly exchange: ExchangeName,
  ) {}

  async next(): Promise<StreamedOrder[]> {
    this.instance.reopenSockets();
    const orders = await this.instance.watchOrders();
    return orders.map((order) => ({ ...outcomeOf(order), clientOrderId: order.clientOrderId ?? null }));
  }

  /**
   * ccxt names the future a watchOrders() call waits on 'orders', and creates it only once the stream
   * is authenticated (Bybit's auth answer, Binance's listen key or WebSocket API subscription): with
   * its socket open, what changes from now on is pushed.
   */
  live(): boolean {
    const clients = Object.values((this.instance.clients ?? {}) as Record<string, SocketClient>);
    return clients.some((client) => 'orders' in client.futures && typeof client.connection === 'object' && client.connection !== null && client.isOpen());
  }

  async close(): Promise<void> {
    await this.instance.close();
    forgetListenKey(this.instance);
  }
}

/**
 * Binance keeps its futures listen key, and when it got it, for 20 minutes, and renews it from a timer
 * that close() cancelled: forgotten, the next connection asks for the key again (Binance answers with
 * the same key while it is valid) and schedules the renewal again.
 */
function forgetListenKey(instance: OwnedExchange): void {
  const bucket: unknown = instance.options['future'];
  if (bucket && typeof bucket === 'object' && 'lastAuthenticatedTime' in bucket) {
    instance.options['future'] = { ...bucket, listenKey: undefined, lastAuthenticatedTime: 0 };
  }
}
