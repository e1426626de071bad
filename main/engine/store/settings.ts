import type { Database } from './database.js';

/** Everything a user can set; read on every request so a change (from the UI or the CLI) applies at once. */
export interface Settings {
  host: string;
  port: number;
  /** The tunnel's or reverse proxy's public base URL, e.g. https://abc.trycloudflare.com */
  publicUrl: string | null;
  /** Read X-Forwarded-Proto/Host/For (only behind a tunnel or proxy you run). */
  trustProxyHeaders: boolean;
  signatureWindowMs: number;
  /** How long POST /v1/order waits for the exchange before answering 202. */
  orderWaitMs: number;
  /** How long one request to an exchange may take before it counts as lost (then the order is looked up). */
  exchangeTimeoutMs: number;
  /** An unsigned request identical to one accepted this recently is a TradingView resend. */
  duplicateWindowMs: number;
  paused: boolean;
  notifications: boolean;
  /** Limit TradingView keys to TradingView's published webhook addresses. */
  tradingViewAddressCheck: boolean;
}

export const DEFAULT_PORT = 8470;

export const DEFAULT_SETTINGS: Settings = {
  host: '127.0.0.1',
  port: DEFAULT_PORT,
  publicUrl: null,
  trustProxyHeaders: false,
  signatureWindowMs: 30_000,
  orderWaitMs: 2_500,
  exchangeTimeoutMs: 8_000,
  duplicateWindowMs: 30_000,
  paused: false,
  notifications: true,
  tradingViewAddressCheck: false,
};

export class SettingsStore {
  readonly #read;
  readonly #write;

  constructor(db: Database) {
    this.#read = db.prepare<[], { key: string; value: string }>('SELECT key, value FROM settings');
    this.#write = db.prepare<[string, string]>('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
  }

  get(): Settings {
    const settings: Settings = { ...DEFAULT_SETTINGS };
    const record = settings as unknown as Record<string, unknown>;
    for (const row of this.#read.all()) {
      if (Object.hasOwn(DEFAULT_SETTINGS, row.key)) record[row.key] = JSON.parse(row.value) as unknown;
    }
    return settings;
  }

  update(changes: Partial<Settings>): Settings {
    for (const [key, value] of Object.entries(changes)) {
      if (Object.hasOwn(DEFAULT_SETTINGS, key) && value !== undefined) this.#write.run(key, JSON.stringify(value));
    }
    return this.get();
  }
}
