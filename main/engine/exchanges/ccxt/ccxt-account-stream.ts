import type { Position, Trade } from 'ccxt';
import type { AccountPush, AccountStream } from '../venue.js';
import type { OwnedExchange } from './owned-exchange.js';
import { outcomeOf } from './order-outcome.js';
import { orderTradeOf } from './order-trade.js';
import { positionRowOf } from './ccxt-positions.js';

interface SocketClient {
  futures: Record<string, unknown>;
  connection?: unknown;
  isOpen(): boolean;
}

type Subscription = 'orders' | 'positions';

/** Trade ids already handed on: ccxt resolves its whole trade cache with every push. */
const TRADES_REMEMBERED = 1_000;

/**
 * An account's private stream through ccxt pro, on one instance: watchOrders, and on derivatives
 * watchPositions, each in its own loop, their pushes handed on together. How ccxt 4.5.84 connects (see
 * docs/exchanges.md): Bybit's private stream with an HMAC `auth`, then the `order` and `position`
 * topics; Binance spot through the WebSocket API's userDataStream.subscribe.signature; Binance USDⓈ-M
 * through a listen key from REST and the futures user data stream, whose ACCOUNT_UPDATE events carry
 * the positions. Any loop failing fails the stream: they share one connection, and the watcher
 * reconnects them all. Positions are taken as ccxt resolves each message (OwnedExchange.onResolved),
 * not from the watch calls' results, which lose all but the first of several messages read at once.
 * So are the orders' trades (their exact prices and fees, without a REST read per fill): Binance
 * pushes them with the order's own update, Bybit on its `execution` topic, which watchMyTrades
 * subscribes to in a loop of its own (like the balance's, its failure does not fail the stream).
 */
export class CcxtAccountStream implements AccountStream {
  readonly #subscriptions: readonly Subscription[];
  #pending: AccountPush[] = [];
  #failure: unknown = null;
  #wake: (() => void) | null = null;
  /** Bumped by close(): loops of an earlier connection hand on nothing more. */
  #generation = 0;
  #running = false;
  /** The socket each subscription was seen registered on since the stream (re)connected. */
  readonly #registered = new Map<Subscription, SocketClient>();
  readonly #tradesSeen = new Set<string>();

  constructor(
    private readonly instance: OwnedExchange,
    /** The account, for logs and errors: `bybit/main`. */
    readonly exchange: string,
    /** Whether this account holds positions (derivatives): Binance spot has none to watch. */
    withPositions: boolean,
  ) {
    this.#subscriptions = withPositions ? ['orders', 'positions'] : ['orders'];
    instance.onResolved((messageHash, result) => {
      if (this.#running && messageHash === 'myTrades' && Array.isArray(result)) this.#tradesPushed(result as Trade[]);
    });
    if (withPositions) {
      instance.onResolved((messageHash, result) => {
        if (!this.#running || !isPositionsHash(messageHash) || !Array.isArray(result)) return;
        for (const position of result as Position[]) this.#pending.push({ kind: 'position', position: positionRowOf(position) });
        this.#wake?.();
        this.#wake = null;
      });
    }
  }

  async next(): Promise<AccountPush[]> {
    if (!this.#running) this.#start();
    const generation = this.#generation;
    for (;;) {
      if (this.#failure !== null) {
        const failure = this.#failure;
        this.#failure = null;
        throw failure;
      }
      if (this.#pending.length > 0) return this.#pending.splice(0);
      // closed while waiting, as a watch call would have been rejected by the close
      if (generation !== this.#generation) throw new Error(`${this.exchange} stream closed`);
      await new Promise<void>((resolve) => (this.#wake = resolve));
    }
  }

  #start(): void {
    this.instance.reopenSockets();
    this.#running = true;
    const generation = this.#generation;
    for (const subscription of this.#subscriptions) void this.#loop(subscription, generation);
    // watchBalance, only to learn that the balance changed: its figures count otherwise than
    // fetchBalance (Bybit's unified wallet push takes `locked` as all that is used; Binance USDⓈ-M
    // pushes the wallet, not the margin balance), so whoever shows them reads them again.
    void this.#sideLoop(generation, () => this.instance.watchBalance(), { kind: 'balance' });
    // the trades themselves come through onResolved
    if (this.instance.id === 'bybit') void this.#sideLoop(generation, () => this.instance.watchMyTrades(), null);
  }

  /** The new trades of a push (ccxt hands its whole cache, oldest first). */
  #tradesPushed(trades: readonly Trade[]): void {
    let first = trades.length;
    while (first > 0 && !this.#tradesSeen.has(String(trades[first - 1]?.id))) first--;
    for (const trade of trades.slice(first)) {
      const kept = orderTradeOf(trade);
      this.#tradesSeen.add(String(trade.id));
      if (kept && trade.order) this.#pending.push({ kind: 'trade', trade: { ...kept, exchangeOrderId: trade.order } });
    }
    for (const id of this.#tradesSeen) {
      if (this.#tradesSeen.size <= TRADES_REMEMBERED) break;
      this.#tradesSeen.delete(id);
    }
    this.#wake?.();
    this.#wake = null;
  }

  /**
   * A subscription apart from the orders' and positions' loops: one that fails must not take the
   * orders' stream down with it. Each answer hands on `push`, if any.
   */
  async #sideLoop(generation: number, watch: () => Promise<unknown>, push: AccountPush | null): Promise<void> {
    let failures = 0;
    while (generation === this.#generation) {
      try {
        await watch();
        if (generation !== this.#generation) return;
        failures = 0;
        if (push === null) continue;
        this.#pending.push(push);
        this.#wake?.();
        this.#wake = null;
      } catch {
        if (generation !== this.#generation) return;
        failures += 1;
        await new Promise((resolve) => setTimeout(resolve, Math.min(30_000, 1_000 * 2 ** Math.min(failures, 5))).unref());
      }
    }
  }

  async #loop(subscription: Subscription, generation: number): Promise<void> {
    while (generation === this.#generation) {
      try {
        // positions arrive through onResolved; their watch call keeps the subscription and tells failures
        const pushes = subscription === 'orders' ? await this.#orders() : (await this.instance.watchPositions(), []);
        if (generation !== this.#generation) return;
        this.#pending.push(...pushes);
      } catch (error) {
        if (generation !== this.#generation) return;
        this.#failure ??= error;
        this.#running = false;
        this.#generation += 1;
      }
      this.#wake?.();
      this.#wake = null;
    }
  }

  async #orders(): Promise<AccountPush[]> {
    const orders = await this.instance.watchOrders();
    return orders.map((order) => ({ kind: 'order', order: { ...outcomeOf(order), clientOrderId: order.clientOrderId ?? null, symbol: order.symbol ?? null } }));
  }

  /**
   * ccxt registers the future a watch call waits on ('orders', 'positions'; Binance USDⓈ-M prefixes
   * the account type) only once the stream is authenticated (Bybit's auth answer, Binance's listen key
   * or WebSocket API subscription): with every subscription seen registered on an open socket, what
   * changes from now on is pushed. Each is remembered once seen, since ccxt drops a future for the
   * moment between a push and the next watch call.
   */
  live(): boolean {
    if (!this.#running) return false;
    const clients = Object.values((this.instance.clients ?? {}) as Record<string, SocketClient>);
    return this.#subscriptions.every((subscription) => {
      let client = this.#registered.get(subscription);
      if (!client || !client.isOpen()) {
        client = clients.find((candidate) => Object.keys(candidate.futures).some((hash) => hash === subscription || hash.endsWith(`:${subscription}`)));
        if (!client || !isConnected(client)) return false;
        this.#registered.set(subscription, client);
      }
      return true;
    });
  }

  async close(): Promise<void> {
    this.#generation += 1;
    this.#running = false;
    this.#registered.clear();
    this.#pending = [];
    await this.instance.close();
    forgetListenKey(this.instance);
    this.#wake?.();
    this.#wake = null;
  }
}

/** Bybit resolves a positions push as 'positions', Binance USDⓈ-M as 'future:positions' (per-symbol hashes carry '::'). */
function isPositionsHash(messageHash: string): boolean {
  return messageHash === 'positions' || (messageHash.endsWith(':positions') && !messageHash.includes('::'));
}

function isConnected(client: SocketClient): boolean {
  return typeof client.connection === 'object' && client.connection !== null && client.isOpen();
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
