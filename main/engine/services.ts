import type { EngineStatus, TunnelState } from '../../shared/engine-status.js';
import { ApiKeys } from './auth/api-keys.js';
import { Authenticator } from './auth/authenticate.js';
import { EventBus } from './events/event-bus.js';
import type { LiveVenues, PriceSource } from './exchanges/venues.js';
import { Venues } from './exchanges/venues.js';
import type { Logger } from './log.js';
import { OrderService } from './orders/order-service.js';
import type { SecretStore } from './secrets/secret-store.js';
import { type Database, openDatabase } from './store/database.js';
import { type DryRunPosition, DryRunPositions } from './store/dry-run-positions.js';
import { installId } from './store/install-id.js';
import { Journal } from './store/journal.js';
import { SettingsStore } from './store/settings.js';
import { Strategies, type Strategy } from './store/strategies.js';

export interface StrategyOverview extends Strategy {
  ordersToday: number;
  lastSignalAt: string | null;
  positions: DryRunPosition[];
}

/** The engine without its HTTP face: what the server, the CLI and the tests all compose from. */
export interface EngineServices {
  db: Database;
  secrets: SecretStore;
  settings: SettingsStore;
  apiKeys: ApiKeys;
  strategies: Strategies;
  journal: Journal;
  positions: DryRunPositions;
  events: EventBus;
  authenticator: Authenticator;
  orders: OrderService;
  log: Logger;
  status(): EngineStatus;
  publishStatus(): void;
  setPaused(paused: boolean): void;
  strategyOverview(): StrategyOverview[];
  close(): void;
}

export interface ServiceOptions {
  dataDir: string;
  secrets: SecretStore;
  log: Logger;
  live?: LiveVenues;
  prices?: PriceSource;
  /** Filled in by the server once it listens. */
  url?: () => string;
  tunnel?: () => TunnelState;
}

const NO_LIVE_VENUES: LiveVenues = { venueFor: async () => null };

function startOfToday(): string {
  const now = new Date();
  return new Date(now.getFullYear(), now.getMonth(), now.getDate()).toISOString();
}

export function createServices(options: ServiceOptions): EngineServices {
  const db = openDatabase(options.dataDir);
  const settings = new SettingsStore(db);
  const apiKeys = new ApiKeys(db, options.secrets, installId(db));
  const strategies = new Strategies(db);
  strategies.ensureDefault();
  const journal = new Journal(db);
  const positions = new DryRunPositions(db);
  const events = new EventBus();
  const venues = new Venues(positions, options.live ?? NO_LIVE_VENUES, options.prices ?? (async () => null));
  const orders = new OrderService({ journal, strategies, venues, events, settings: () => settings.get(), installId: installId(db) });

  const status = (): EngineStatus => {
    const current = settings.get();
    const tunnel = options.tunnel?.() ?? { state: 'off' };
    const last = journal.latest();
    return {
      url: options.url?.() ?? '',
      publicUrl: tunnel.state === 'running' ? tunnel.publicUrl : current.publicUrl,
      paused: current.paused,
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
      error: tunnel.state === 'error' ? tunnel.message : null,
    };
  };
  const publishStatus = () => events.emit({ type: 'status', status: status() });
  // Orders change the tray's "orders today" and "last order" too; at most four status events a second.
  let statusTimer: NodeJS.Timeout | null = null;
  events.subscribe((event) => {
    if (event.type !== 'order' || statusTimer) return;
    statusTimer = setTimeout(() => {
      statusTimer = null;
      publishStatus();
    }, 250);
    statusTimer.unref();
  });

  return {
    db,
    secrets: options.secrets,
    settings,
    apiKeys,
    strategies,
    journal,
    positions,
    events,
    authenticator: new Authenticator(apiKeys, () => settings.get()),
    orders,
    log: options.log,
    status,
    publishStatus,
    setPaused(paused) {
      settings.update({ paused });
      options.log.info(paused ? 'trading paused' : 'trading resumed');
      publishStatus();
    },
    strategyOverview() {
      const since = startOfToday();
      const counts = db.prepare<[string], { strategy: string; today: number; last: string }>(
        'SELECT strategy, sum(received_at >= ?) AS today, max(received_at) AS last FROM orders GROUP BY strategy',
      );
      const byName = new Map(counts.all(since).map((row) => [row.strategy, row]));
      return strategies.list().map((strategy) => ({
        ...strategy,
        ordersToday: byName.get(strategy.name)?.today ?? 0,
        lastSignalAt: byName.get(strategy.name)?.last ?? null,
        positions: positions.list(strategy.name),
      }));
    },
    close() {
      if (statusTimer) clearTimeout(statusTimer);
      db.close();
    },
  };
}
