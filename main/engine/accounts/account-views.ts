import { Decimal } from 'decimal.js';
import { type AccountRef, accountKey, DEFAULT_ACCOUNT } from '../../../shared/account-names.js';
import type { DryRunPositionView } from '../../../shared/api-types.js';
import { formatAmount } from '../../../shared/decimal.js';
import { FLATTEN_STRATEGY } from '../../../shared/flatten-api.js';
import type { AccountReadState, BalanceView, BalancesAnswer, PositionShare, PositionsAnswer, PositionView, ProtectiveOrderView } from '../../../shared/positions-api.js';
import type { ExchangeAccounts } from '../exchanges/accounts.js';
import type { DryRunSimulator } from '../exchanges/dry-run-simulator.js';
import { inBackground } from '../exchanges/scheduling/request-priority.js';
import type { BalanceRow, PositionRow, Venue } from '../exchanges/venue.js';
import type { Logger } from '../log.js';
import type { OpenBook } from '../pnl/average-cost.js';
import type { Journal } from '../store/journal.js';
import type { AccountChange, LiveAccount } from './live-account.js';
import type { LiveAccounts } from './live-accounts.js';

/** The live accounts' venues, built on first use (CcxtAccounts). */
export interface AccountVenues {
  venueFor(ref: AccountRef, marketType: 'swap' | 'spot'): Promise<Venue | null>;
}

export interface AccountViewsDeps {
  exchanges: ExchangeAccounts;
  venues: AccountVenues;
  accounts: LiveAccounts;
  journal: Journal;
  dryRun: DryRunSimulator;
  log: Logger;
  /** What each strategy's own fills leave open, per market of each account (kept folded: no fill is read again for it). */
  openBooks(): Promise<ReadonlyMap<string, readonly OpenBook[]>>;
  /** A live account's positions or balances changed (pushed, or read again after a push). */
  onPositions(ref: AccountRef, positions: PositionView[]): void;
  onBalances(ref: AccountRef, balances: BalanceView[]): void;
}

/** A pushed balance change is read again this much later at most, once however many came. */
const BALANCE_REREAD_MS = 500;

const amount = (value: number | null | undefined): string | null => (value === null || value === undefined || !Number.isFinite(value) ? null : formatAmount(value));

interface Watched {
  venue: Venue;
  account: LiveAccount;
  unsubscribe: () => void;
  balanceTimer: NodeJS.Timeout | null;
  /** A read of every position on its way, for a push the account's state could not show whole. */
  reading: Promise<void> | null;
}

/**
 * What the Positions page shows: every live account's open positions and balances (one REST read when
 * the page asks, then as the account's stream pushes them) and every dry-run strategy's simulated
 * account, each position with the protective orders held for it and the strategies whose fills built it.
 * An account is watched from the first time someone looks: before, nothing is read for this.
 */
export class AccountViews {
  readonly #watched = new Map<string, Watched>();
  /** Accounts whose positions are to be shown again at the next turn (many order events, one showing). */
  readonly #reshow = new Set<string>();

  constructor(private readonly deps: AccountViewsDeps) {}

  async positions(): Promise<PositionsAnswer> {
    const accounts: AccountReadState[] = [];
    const positions: PositionView[] = [];
    await Promise.all(
      this.deps.exchanges.list().map(async (configured) => {
        const ref: AccountRef = { exchange: configured.exchange, account: configured.account };
        try {
          const watched = await this.#watch(ref);
          const rows = watched ? await inBackground(() => watched.account.readAllPositions(watched.venue)) : [];
          positions.push(...(await this.#liveViews(ref, rows)));
          accounts.push(readState(ref, 'ok', watched?.account.live ?? false, null));
        } catch (error) {
          accounts.push(readState(ref, 'failing', false, messageOf(error)));
        }
      }),
    );
    positions.push(...this.#dryRunViews());
    return { positions: positions.sort(byAccountThenSymbol), accounts: accounts.sort(byAccountThenSymbol) };
  }

  /** The dry runs' simulated positions alone: local reads, nothing asked of an exchange (a dry-run order changed them). */
  dryRunPositions(): PositionsAnswer {
    return { positions: this.#dryRunViews().sort(byAccountThenSymbol), accounts: [] };
  }

  /** The dry runs' simulated balances alone, as dryRunPositions. */
  dryRunBalances(): BalancesAnswer {
    return { balances: this.#dryRunBalances().sort(byAccountThenSymbol), accounts: [] };
  }

  async balances(): Promise<BalancesAnswer> {
    const accounts: AccountReadState[] = [];
    const balances: BalanceView[] = [];
    await Promise.all(
      this.deps.exchanges.list().map(async (configured) => {
        const ref: AccountRef = { exchange: configured.exchange, account: configured.account };
        try {
          balances.push(...(await this.#readBalances(ref)));
          accounts.push(readState(ref, 'ok', this.#watched.get(accountKey(ref))?.account.live ?? false, null));
        } catch (error) {
          accounts.push(readState(ref, 'failing', false, messageOf(error)));
        }
      }),
    );
    balances.push(...this.#dryRunBalances());
    return { balances: balances.sort(byAccountThenSymbol), accounts: accounts.sort(byAccountThenSymbol) };
  }

  #dryRunBalances(): BalanceView[] {
    return this.deps.dryRun.accounts
      .accountViews()
      .map((view) => ({ exchange: view.exchange, account: DEFAULT_ACCOUNT, dryRun: true, strategy: view.strategy, wallet: null, currency: view.currency, total: amount(view.equity), free: amount(view.free), used: amount(view.positionMargin + view.orderMargin) }));
  }

  /**
   * A live order changed: once its fill is journaled, the account's positions are shown again with the
   * strategies that built them (a position's push often comes before the order's answer is journaled).
   * Shown from the account's state (no request), only where that holds every open position: before,
   * the push of this fill reads them all and shows that.
   */
  orderChanged(orderOf: () => { exchange: string; account: string; dryRun: boolean }): void {
    // The order's view is built only when some account's positions are shown: a headless server reads nothing.
    if (this.#watched.size === 0) return;
    const order = orderOf();
    if (order.dryRun) return;
    const ref: AccountRef = { exchange: order.exchange as AccountRef['exchange'], account: order.account };
    const key = accountKey(ref);
    const watched = this.#watched.get(key);
    if (!watched || this.#reshow.has(key)) return;
    this.#reshow.add(key);
    setImmediate(() => {
      this.#reshow.delete(key);
      if (watched.account.holdsAllPositions) this.#show(ref, watched.account.openPositions() ?? []);
    });
  }

  /** The mark price of a live position the account's stream holds now; null when it holds none (no request is made). */
  markOf(ref: AccountRef, symbol: string): number | null {
    const rows = this.#watched.get(accountKey(ref))?.account.openPositions() ?? [];
    return rows.find((row) => row.symbol === symbol && row.markPrice !== null)?.markPrice ?? null;
  }

  /**
   * Accounts changed or removed: one being shown is watched again, on its new credentials' stream
   * when its old one was retired (its pushes keep coming), or let go when it is gone.
   */
  accountsChanged(changed: readonly AccountRef[]): void {
    for (const ref of changed) {
      const key = accountKey(ref);
      if (!this.#watched.has(key)) continue;
      this.#watch(ref).then(
        (watched) => watched === null && this.#forget(key),
        (error: unknown) => {
          this.#forget(key);
          this.deps.log.warn('a changed account could not be watched again; the Positions page reads it when it opens', { account: key, code: codeOf(error) });
        },
      );
    }
  }

  #forget(key: string): void {
    const known = this.#watched.get(key);
    if (!known) return;
    known.unsubscribe();
    if (known.balanceTimer) clearTimeout(known.balanceTimer);
    this.#watched.delete(key);
  }

  /** Lets go of every account's stream subscription and pending read. */
  stop(): void {
    for (const watched of this.#watched.values()) {
      watched.unsubscribe();
      if (watched.balanceTimer) clearTimeout(watched.balanceTimer);
    }
    this.#watched.clear();
  }

  /** The account's contracts venue and live state, subscribed to its pushes from now on. */
  async #watch(ref: AccountRef): Promise<Watched | null> {
    const venue = await this.deps.venues.venueFor(ref, 'swap');
    if (!venue) return null;
    const key = accountKey(ref);
    const known = this.#watched.get(key);
    if (known && known.venue === venue) return known;
    known?.unsubscribe();
    const account = this.deps.accounts.of(venue);
    if (!account) return null;
    const watched: Watched = { venue, account, balanceTimer: known?.balanceTimer ?? null, reading: null, unsubscribe: () => undefined };
    watched.unsubscribe = account.onChange((change) => this.#changed(ref, watched, change));
    this.#watched.set(key, watched);
    return watched;
  }

  #changed(ref: AccountRef, watched: Watched, change: AccountChange): void {
    if (change.kind === 'positions') {
      // An event lists the account's every open position. The state holds them all once a read of
      // them all was taken while the stream was live; before (the page's first read came as the
      // stream started, or the stream reconnected since), the push is shown after one such read.
      if (watched.account.holdsAllPositions) this.#show(ref, watched.account.openPositions() ?? []);
      else this.#readAllAndShow(ref, watched);
      return;
    }
    // pushes may have been missed while the stream was down: one read of each brings the page up to date
    if (change.kind === 'resynced') this.#readAllAndShow(ref, watched);
    watched.balanceTimer ??= setTimeout(() => {
      watched.balanceTimer = null;
      this.#readBalances(ref)
        .then((balances) => this.deps.onBalances(ref, balances))
        .catch((error: unknown) => this.deps.log.warn('a balance that changed could not be read', { account: accountKey(ref), code: codeOf(error) }));
    }, BALANCE_REREAD_MS);
    watched.balanceTimer.unref();
  }

  /** One REST read of every position, then the account's positions shown: its state where that holds them all now (with what was pushed meanwhile), else the read. */
  #readAllAndShow(ref: AccountRef, watched: Watched): void {
    if (watched.reading) return;
    watched.reading = inBackground(() => watched.account.readAllPositions(watched.venue))
      .then(async (rows) => this.deps.onPositions(ref, await this.#liveViews(ref, watched.account.holdsAllPositions ? (watched.account.openPositions() ?? rows) : rows)))
      .catch((error: unknown) => this.deps.log.warn('positions could not be read after the stream pushed or reconnected', { account: accountKey(ref), code: codeOf(error) }))
      .finally(() => (watched.reading = null));
  }

  /**
   * One REST read of the account's balances: Bybit's unified wallet from its contracts venue; Binance's
   * USDⓈ-M wallet there and its spot wallet from a spot venue (they are separate accounts on Binance).
   */
  async #readBalances(ref: AccountRef): Promise<BalanceView[]> {
    const wallets: ['unified' | 'futures' | 'spot', 'swap' | 'spot'][] = ref.exchange.startsWith('bybit') ? [['unified', 'swap']] : [['futures', 'swap'], ['spot', 'spot']];
    const views = await Promise.all(
      wallets.map(async ([wallet, marketType]) => {
        const venue = await this.deps.venues.venueFor(ref, marketType);
        const rows: BalanceRow[] = venue?.balanceRows ? await inBackground(() => (venue.balanceRows as () => Promise<BalanceRow[]>)()) : [];
        return rows.map((row): BalanceView => ({ exchange: ref.exchange, account: ref.account, dryRun: false, strategy: null, wallet, currency: row.currency, total: amount(row.total), free: amount(row.free), used: amount(row.used) }));
      }),
    );
    return views.flat();
  }

  /** The account's positions shown from rows its state holds now; the strategies' shares are read in turn, so shows keep their order. */
  #show(ref: AccountRef, rows: readonly PositionRow[]): void {
    this.#liveViews(ref, rows)
      .then((views) => this.deps.onPositions(ref, views))
      .catch((error: unknown) => this.deps.log.warn('positions could not be shown with the strategies that built them', { account: accountKey(ref), code: codeOf(error) }));
  }

  async #liveViews(ref: AccountRef, rows: readonly PositionRow[]): Promise<PositionView[]> {
    const open = rows.filter((row) => row.qty !== 0);
    if (open.length === 0) return [];
    const shares = this.#sharesOf(ref, await this.deps.openBooks());
    return [...open].sort((a, b) => a.symbol.localeCompare(b.symbol)).map((row) => ({
      exchange: ref.exchange,
      account: ref.account,
      dryRun: false,
      strategy: null,
      symbol: row.symbol,
      marketType: 'swap',
      side: row.qty > 0 ? 'long' : 'short',
      size: formatAmount(Math.abs(row.qty)),
      entryPrice: amount(row.entryPrice),
      markPrice: amount(row.markPrice),
      unrealizedPnl: amount(row.unrealizedPnl),
      leverage: amount(row.leverage),
      marginMode: row.marginMode,
      liquidationPrice: amount(row.liquidationPrice),
      protection: this.#protectionOf(ref, row),
      strategies: shares.get(row.symbol) ?? [],
      updatedAt: row.updatedAt === null ? null : new Date(row.updatedAt).toISOString(),
    }));
  }

  /** The journal's protective legs in force on the market, and a stop or target the exchange holds on the position apisify did not place as a leg. */
  #protectionOf(ref: AccountRef, row: PositionRow): ProtectiveOrderView[] {
    const legs: ProtectiveOrderView[] = this.deps.journal
      .openProtectiveLegs({ dryRun: false, ...ref }, row.symbol)
      .map((leg) => ({ role: leg.role, triggerPrice: leg.triggerPrice ?? '', orderId: leg.orderId, status: leg.status }));
    const attached: ProtectiveOrderView[] = [];
    if (row.stopLoss != null && !legs.some((leg) => leg.role === 'stop_loss')) attached.push({ role: 'stop_loss', triggerPrice: formatAmount(row.stopLoss), orderId: null, status: 'attached' });
    if (row.takeProfit != null && !legs.some((leg) => leg.role === 'take_profit')) attached.push({ role: 'take_profit', triggerPrice: formatAmount(row.takeProfit), orderId: null, status: 'attached' });
    return [...legs, ...attached];
  }

  /**
   * Per symbol, what each strategy's own fills on the account leave open (average cost), the strategy
   * that traded it last first: a strategy's books stay open when its position was closed outside
   * apisify, and the newest trades are likeliest to be what is open now.
   */
  #sharesOf(ref: AccountRef, booksByStrategy: ReadonlyMap<string, readonly OpenBook[]>): Map<string, PositionShare[]> {
    const shares = new Map<string, (PositionShare & { last: string })[]>();
    for (const [strategy, books] of booksByStrategy) {
      // flatten's own Closes of what was opened outside apisify build nobody's position
      if (strategy === FLATTEN_STRATEGY) continue;
      for (const open of books) {
        if (open.dryRun || open.marketType !== 'swap' || open.exchange !== ref.exchange || open.account !== ref.account) continue;
        shares.set(open.symbol, [...(shares.get(open.symbol) ?? []), { strategy, qty: open.qty.toFixed(), last: open.lastAt }]);
      }
    }
    return new Map([...shares.entries()].map(([symbol, list]) => [symbol, list.sort((a, b) => (a.last < b.last ? 1 : a.last > b.last ? -1 : 0)).map(({ strategy, qty }) => ({ strategy, qty }))]));
  }

  #dryRunViews(): PositionView[] {
    return this.deps.dryRun.accounts
      .positionViews()
      .filter((view) => view.qty !== 0 && view.marketType !== 'spot')
      .map((view) => dryRunView(view, this.deps.journal.openProtectiveLegs({ dryRun: true, exchange: view.exchange, strategy: view.strategy }, view.symbol)));
  }
}

function dryRunView(view: DryRunPositionView, legs: ReturnType<Journal['openProtectiveLegs']>): PositionView {
  return {
    exchange: view.exchange,
    account: DEFAULT_ACCOUNT,
    dryRun: true,
    strategy: view.strategy,
    symbol: view.symbol,
    marketType: view.marketType,
    side: view.qty > 0 ? 'long' : 'short',
    size: formatAmount(Math.abs(view.qty)),
    entryPrice: amount(view.entryPrice),
    markPrice: amount(view.markPrice),
    unrealizedPnl: view.markPrice === null ? null : amount(view.unrealizedPnl),
    leverage: amount(view.leverage),
    marginMode: 'cross',
    liquidationPrice: null,
    protection: legs.map((leg) => ({ role: leg.role, triggerPrice: leg.triggerPrice ?? '', orderId: leg.orderId, status: leg.status })),
    strategies: [{ strategy: view.strategy, qty: new Decimal(view.qty).toFixed() }],
    updatedAt: view.updatedAt,
  };
}

function readState(ref: AccountRef, state: AccountReadState['state'], live: boolean, message: string | null): AccountReadState {
  return { exchange: ref.exchange, account: ref.account, dryRun: false, strategy: null, state, live, message, readAt: state === 'ok' ? new Date().toISOString() : null };
}

function byAccountThenSymbol(a: { exchange: string; account: string; strategy: string | null; symbol?: string; currency?: string }, b: typeof a): number {
  return a.exchange.localeCompare(b.exchange) || a.account.localeCompare(b.account) || (a.strategy ?? '').localeCompare(b.strategy ?? '') || (a.symbol ?? a.currency ?? '').localeCompare(b.symbol ?? b.currency ?? '');
}

function codeOf(error: unknown): string {
  return (error as { code?: string }).code ?? 'error';
}

/** An ApiError's message names the exchange and what failed, never a secret; anything else is not shown. */
function messageOf(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && error instanceof Error ? error.message : 'the account could not be read; see the app log';
}
