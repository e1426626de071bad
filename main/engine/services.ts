import { type AccountRef, accountKey, accountsAllowed } from '../../shared/account-names.js';
import type { EngineStatus, TunnelState } from '../../shared/engine-status.js';
import type { ExchangeName } from '../../shared/exchange-names.js';
import { AccountViews } from './accounts/account-views.js';
import { LiveAccounts } from './accounts/live-accounts.js';
import { ApiKeys } from './auth/api-keys.js';
import { Authenticator } from './auth/authenticate.js';
import { EventBus } from './events/event-bus.js';
import { AccountChanges } from './exchanges/account-changes.js';
import { ExchangeAccounts } from './exchanges/accounts.js';
import { CcxtAccounts } from './exchanges/ccxt/live-venues.js';
import { ExchangeHealth } from './exchanges/exchange-health.js';
import { DryRunSimulator } from './exchanges/dry-run-simulator.js';
import { Venues } from './exchanges/venues.js';
import type { Logger } from './log.js';
import { startOfToday } from './start-of-today.js';
import { Flattener } from './orders/flatten.js';
import { OrderService } from './orders/order-service.js';
import type { FollowerTiming } from './orders/order-follower.js';
import { PnlService } from './pnl/pnl-service.js';
import type { SecretStore } from './secrets/secret-store.js';
import { type Database, openDatabase } from './store/database.js';
import type { DryRunPositions } from './store/dry-run-positions.js';
import { installId } from './store/install-id.js';
import { journalTrouble } from './store/journal-trouble.js';
import { Journal } from './store/journal.js';
import { type Settings, SettingsStore } from './store/settings.js';
import { SignalLog } from './store/signal-log.js';
import { SignalRetention } from './store/signal-retention.js';
import { Strategies } from './store/strategies.js';
import { WalCheckpointer } from './store/wal-checkpointer.js';
import type { StrategyOverview } from '../../shared/api-types.js';

export type { StrategyOverview } from '../../shared/api-types.js';

/** The engine without its HTTP face: what the server, the CLI and the tests all compose from. */
export interface EngineServices {
  db: Database;
  secrets: SecretStore;
  settings: SettingsStore & { effective: () => Settings };
  apiKeys: ApiKeys;
  strategies: Strategies;
  journal: Journal;
  /** Every request to the order endpoint and the manual confirm, accepted or refused (the Signals page). */
  signals: SignalLog;
  positions: DryRunPositions;
  /** The dry-run simulator: its accounts, positions and resting orders (dryRun.accounts.positionViews / accountViews for a Positions page). */
  dryRun: DryRunSimulator;
  exchanges: ExchangeAccounts;
  /** The Positions page's positions and balances, live and dry run. */
  accountViews: AccountViews;
  /** PnL per strategy from the fills. */
  pnl: PnlService;
  /** Closes what is open, through the order pipeline (the Positions page, the tray, apisify flatten). */
  flatten: Flattener;
  /** Tells everything built on an account's credentials that they changed or went (the routes call check() after a change). */
  accountChanges: AccountChanges;
  ccxt: CcxtAccounts;
  /** The live accounts' private streams and state (positions), kept connected while the engine runs. */
  accounts: LiveAccounts;
  events: EventBus;
  authenticator: Authenticator;
  orders: OrderService;
  walCheckpointer: WalCheckpointer;
  log: Logger;
  status(): EngineStatus;
  publishStatus(): void;
  setPaused(paused: boolean): void;
  /**
   * Readies every account an enabled live strategy may trade, in the background: its markets, clock
   * and private stream, so the first order leaves as fast as the next (and Close/SAR plan from pushed
   * positions). Failures are noted on the account's connectivity; the first order tries again.
   */
  warmUp(): Promise<void>;
  strategyOverview(): StrategyOverview[];
  close(): void;
}

export interface ServiceOptions {
  dataDir: string;
  secrets: SecretStore;
  log: Logger;
  /** Filled in by the server once it listens. */
  url?: () => string;
  tunnel?: () => TunnelState;
  followerTiming?: Partial<FollowerTiming>;
}

export function createServices(options: ServiceOptions): EngineServices {
  const db = openDatabase(options.dataDir);
  const settingsStore = new SettingsStore(db);
  // While a tunnel runs, its URL is the public URL: for the Host allow-list and for signatures.
  const effectiveSettings = () => {
    const current = settingsStore.get();
    const tunnel = options.tunnel?.();
    return tunnel?.state === 'running' ? { ...current, publicUrl: tunnel.publicUrl } : current;
  };
  const settings = Object.assign(settingsStore, { effective: effectiveSettings });
  const install = installId(db);
  const apiKeys = new ApiKeys(db, options.secrets, install);
  const exchanges = new ExchangeAccounts(db, options.secrets, install, (): Promise<void> => accountChanges.check());
  // Published with the status, at most four times a second like the orders' changes.
  const health = new ExchangeHealth(() => scheduleStatus());
  const accounts = new LiveAccounts(options.log);
  const ccxt = new CcxtAccounts(exchanges, {
    dataDir: options.dataDir,
    log: options.log,
    health,
    timeoutMs: () => settings.get().exchangeTimeoutMs,
    rateLimit: process.env['APISIFY_EXCHANGE_RATE_LIMIT'] !== 'off',
    publicData: process.env['APISIFY_PUBLIC_EXCHANGE_DATA'] !== 'off',
    onStreamRetired: (stream) => void accounts.forget(stream),
  });
  const strategies = new Strategies(db);
  strategies.ensureDefault();
  const journal = new Journal(db);
  const dryRun = new DryRunSimulator({ db, exchanges: ccxt, startingBalanceOf: (name) => strategies.find(name)?.dryRunBalance ?? null, log: options.log });
  const positions = dryRun.positions;
  const events = new EventBus();
  // Its writes commit as the journal's do: no disk sync of their own, durable with the journal's next one.
  const signals = new SignalLog(db, { log: options.log, commit: (writes) => journal.inOneCommit(writes), onWritten: (written) => events.emit({ type: 'signals', signals: written }) });
  const signalRetention = new SignalRetention(signals, () => settings.get().signalRetentionDays, options.log);
  signalRetention.start();
  const venues = new Venues(dryRun, ccxt);
  const orders = new OrderService({ journal, accounts, strategies, venues, events, settings: effectiveSettings, installId: install, log: options.log, followerTiming: options.followerTiming });
  const accountViews = new AccountViews({
    exchanges,
    venues: ccxt,
    accounts,
    journal,
    dryRun,
    log: options.log,
    // the PnL's ledgers, made below: asked only when positions are shown
    openBooks: () => pnl.openBooks(),
    onPositions: (ref, positions) => events.emit({ type: 'positions', exchange: ref.exchange, account: ref.account, positions }),
    onBalances: (ref, balances) => events.emit({ type: 'balances', exchange: ref.exchange, account: ref.account, balances }),
  });
  const pnl: PnlService = new PnlService(journal.fills, () => strategies.list().map((strategy) => strategy.name), (open) =>
    open.dryRun
      ? (dryRun.accounts.positionViews().find((view) => view.exchange === open.exchange && view.symbol === open.symbol && view.markPrice !== null)?.markPrice ?? null)
      : accountViews.markOf({ exchange: open.exchange as ExchangeName, account: open.account }, open.symbol),
  );
  events.subscribe((event) => {
    if (event.type === 'order') accountViews.orderChanged(() => event.order);
  });
  const setPaused = (paused: boolean) => {
    settings.update({ paused });
    options.log.info(paused ? 'trading paused' : 'trading resumed');
    scheduleStatus();
  };
  const flatten = new Flattener({ orders, views: accountViews, journal, strategies, setPaused, log: options.log });
  const accountChanges = new AccountChanges(exchanges, async (changed) => {
    for (const ref of changed) health.forget(ref); // what the old credentials met says nothing of the new
    ccxt.retireChanged();
    accountViews.accountsChanged(changed);
    await orders.follower.accountsChanged();
    events.emit({ type: 'config', what: 'exchanges' });
  }, options.log);
  accountChanges.start();

  const status = (): EngineStatus => {
    const current = settings.get();
    const tunnel = options.tunnel?.() ?? { state: 'off' };
    const last = journal.latest();
    const connections = health.list().filter((connection) => exchanges.find({ exchange: connection.exchange as ExchangeName, account: connection.account }) !== null);
    return {
      url: options.url?.() ?? '',
      publicUrl: tunnel.state === 'running' ? tunnel.publicUrl : current.publicUrl,
      paused: current.paused,
      notifications: current.notifications,
      keychain: options.secrets.kind,
      tunnel,
      ordersToday: journal.countSince(startOfToday()),
      lastOrder: last && {
        id: last.id,
        strategy: last.strategy,
        exchange: last.exchange,
        symbol: last.symbol,
        side: last.side,
        qty: last.qty,
        status: last.status,
        receivedAt: last.receivedAt,
      },
      error: tunnel.state === 'error' ? tunnel.message : (connections.find((connection) => connection.state === 'failing')?.message ?? journalTrouble(journal, install)),
      exchanges: connections,
    };
  };
  const publishStatus = () => events.emit({ type: 'status', status: status() });
  // Orders change the tray's "orders today" and "last order" too; at most four status events a second.
  let statusTimer: NodeJS.Timeout | null = null;
  function scheduleStatus(): void {
    if (statusTimer) return;
    statusTimer = setTimeout(() => {
      statusTimer = null;
      publishStatus();
    }, 250);
    statusTimer.unref();
  }
  events.subscribe((event) => {
    if (event.type === 'order') scheduleStatus();
  });
  // Last: nothing after it can throw and leave its worker running.
  const walCheckpointer = new WalCheckpointer(db, options.log);

  return {
    db,
    secrets: options.secrets,
    settings,
    apiKeys,
    strategies,
    journal,
    signals,
    positions,
    dryRun,
    exchanges,
    accountChanges,
    accountViews,
    pnl,
    flatten,
    ccxt,
    accounts,
    events,
    authenticator: new Authenticator(apiKeys, effectiveSettings, (signatureDigest) => journal.hasSignature(signatureDigest)),
    orders,
    walCheckpointer,
    log: options.log,
    status,
    publishStatus,
    setPaused(paused) {
      setPaused(paused);
      publishStatus();
    },
    async warmUp() {
      dryRun.start();
      const wanted = new Map<string, { ref: AccountRef; marketType: 'swap' | 'spot' }>();
      for (const strategy of strategies.list()) {
        if (!strategy.enabled || strategy.mode !== 'live') continue;
        for (const account of exchanges.list()) {
          const allowedExchange = strategy.exchanges.length === 0 || strategy.exchanges.includes(account.exchange);
          if (allowedExchange && accountsAllowed(strategy.accounts, account.exchange).includes(account.account)) {
            wanted.set(`${accountKey(account)}|${strategy.marketType}`, { ref: account, marketType: strategy.marketType });
          }
        }
      }
      await Promise.all(
        [...wanted.values()].map(async ({ ref, marketType }) => {
          try {
            const venue = await ccxt.venueFor(ref, marketType);
            if (venue) accounts.of(venue);
          } catch (error) {
            options.log.warn('an exchange account could not be readied at start; the first order tries again', { account: accountKey(ref), marketType, code: (error as { code?: string }).code ?? 'error' });
          }
        }),
      );
    },
    strategyOverview() {
      const since = startOfToday();
      return strategies.list().map((strategy) => {
        const activity = journal.activityOf(strategy.name, since);
        return { ...strategy, ordersToday: activity.since, lastSignalAt: activity.lastAt, positions: positions.list(strategy.name) };
      });
    },
    close() {
      if (statusTimer) clearTimeout(statusTimer);
      accountChanges.stop();
      accountViews.stop();
      orders.follower.stop();
      orders.recovery.stop();
      orders.protection.stop();
      orders.tradeFills.stop();
      void accounts.stop();
      void ccxt.close();
      void signalRetention.stop();
      signals.close();
      void dryRun.stop();
      journal.close();
      walCheckpointer.close();
      db.close();
    },
  };
}
