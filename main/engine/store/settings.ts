import type { Settings } from '../../../shared/api-types.js';
import { StampedCache } from './data-version.js';
import type { Database } from './database.js';

export type { Settings } from '../../../shared/api-types.js';

export const DEFAULT_PORT = 8470;
/** The tunnel's listener, beside the main one. */
export const DEFAULT_TUNNEL_PORT = 8471;

export const DEFAULT_SETTINGS: Settings = {
  host: '127.0.0.1',
  port: DEFAULT_PORT,
  publicUrl: null,
  tunnelPort: DEFAULT_TUNNEL_PORT,
  // Only a tunnel or proxy should connect to the tunnel's listener, so the headers it adds are believed there.
  trustProxyHeaders: true,
  signatureWindowMs: 30_000,
  orderWaitMs: 2_500,
  exchangeTimeoutMs: 8_000,
  duplicateWindowMs: 30_000,
  paused: false,
  notifications: true,
  // Usable now that tunnelled requests carry their sender's address (the tunnel's listener believes X-Forwarded-For).
  tradingViewAddressCheck: true,
  // Far above what a strategy sends, low enough that a runaway bot or a flood is stopped before the exchange bans the account.
  keyRatePerSecond: 10,
  keyBurst: 20,
  addressRatePerSecond: 20,
  addressBurst: 40,
  timeZone: 'local',
  signalRetentionDays: 30,
};

/**
 * Read on every order, since the CLI may change them while a server runs. They are read again only
 * when the file may have changed (store/data-version.ts): another connection committed, or this one
 * wrote through update().
 */
export class SettingsStore {
  readonly #read;
  readonly #write;
  readonly #cache: StampedCache<'all', Settings>;

  constructor(db: Database) {
    this.#read = db.prepare<[], { key: string; value: string }>('SELECT key, value FROM settings');
    this.#write = db.prepare<[string, string]>('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
    this.#cache = new StampedCache(db);
  }

  /** A copy: the caller may change it without changing what the next caller reads. */
  get(): Settings {
    return { ...this.#cache.get('all', () => Object.freeze(this.#readAll())) };
  }

  update(changes: Partial<Settings>): Settings {
    try {
      for (const [key, value] of Object.entries(changes)) {
        if (Object.hasOwn(DEFAULT_SETTINGS, key) && value !== undefined) this.#write.run(key, JSON.stringify(value));
      }
    } finally {
      // Even after a failed write: the ones before it went through.
      this.#cache.wrote();
    }
    return this.get();
  }

  #readAll(): Settings {
    const settings: Settings = { ...DEFAULT_SETTINGS };
    const record = settings as unknown as Record<string, unknown>;
    for (const row of this.#read.all()) {
      if (Object.hasOwn(DEFAULT_SETTINGS, row.key)) record[row.key] = JSON.parse(row.value) as unknown;
    }
    return settings;
  }
}
