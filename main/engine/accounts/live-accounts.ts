import type { AccountStream, LegOutcome, MarketRef, OrderTrade, Position, Venue } from '../exchanges/venue.js';
import type { Logger } from '../log.js';
import { LiveAccount } from './live-account.js';
import type { StreamWatcherTiming } from './stream-watcher.js';

/**
 * Every live account the engine has used, by its private stream (an account's venues may share one:
 * Bybit's spot and contracts). Dry-run venues have none: their positions are the simulator's.
 */
export class LiveAccounts {
  readonly #byStream = new Map<AccountStream, LiveAccount>();
  /** Streams of accounts changed or removed: never started again, whoever still holds their venue. */
  readonly #retired = new WeakSet<AccountStream>();
  #stopped = false;

  constructor(
    private readonly log: Logger,
    private readonly timing?: StreamWatcherTiming,
  ) {}

  /** The venue's account, its stream started; null for a venue without one. */
  of(venue: Venue): LiveAccount | null {
    const stream = venue.accountStream?.();
    if (!stream || this.#retired.has(stream)) return null;
    let account = this.#byStream.get(stream);
    if (!account) {
      account = new LiveAccount(stream, this.log, this.timing);
      this.#byStream.set(stream, account);
    }
    if (!this.#stopped) account.start();
    return account;
  }

  /** The position an order plans from: the account's live state where it has one, else the venue's read. */
  position(venue: Venue, market: MarketRef): Promise<Position> {
    const account = this.of(venue);
    return account ? account.position(venue, market) : venue.position(market);
  }

  /** An order's state as the order pipeline learnt it (see LiveAccount.sawOrder). */
  sawOrder(venue: Venue, market: MarketRef, order: LegOutcome): void {
    this.of(venue)?.sawOrder(market.symbol, order);
  }

  /** The order's trades as its account's stream pushed them; null where the stream cannot vouch for them (see LiveAccount.pushedTrades). */
  pushedTrades(venue: Venue, exchangeOrderId: string): OrderTrade[] | null {
    return this.of(venue)?.pushedTrades(exchangeOrderId) ?? null;
  }

  /** An account whose credentials changed or went: its stream closes, the next use builds another. */
  async forget(stream: AccountStream): Promise<void> {
    this.#retired.add(stream);
    const account = this.#byStream.get(stream);
    if (!account) return;
    this.#byStream.delete(stream);
    await account.stop();
  }

  /** Closes every stream; resolves once no socket or timer is left. */
  async stop(): Promise<void> {
    this.#stopped = true;
    const accounts = [...this.#byStream.values()];
    this.#byStream.clear();
    await Promise.all(accounts.map((account) => account.stop()));
  }
}
