import type { ExchangeName } from '../../../shared/exchange-names.js';

/**
 * The shapes of the UI API's answers that shared/ does not (yet) hold: they mirror the engine's
 * StrategyOverview (services.ts), ApiKeyRecord / IssuedApiKey (auth/api-keys.ts) and Settings
 * (store/settings.ts), which the renderer cannot import (they live beside Node-only code).
 */
export interface DryRunPosition {
  strategy: string;
  exchange: string;
  symbol: string;
  qty: number;
  entryPrice: number | null;
  updatedAt: string;
}

export interface StrategyOverview {
  id: number;
  name: string;
  mode: 'live' | 'dry-run';
  marketType: 'swap' | 'spot';
  maxQty: number | null;
  symbols: string[];
  exchanges: ExchangeName[];
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
  ordersToday: number;
  lastSignalAt: string | null;
  positions: DryRunPosition[];
}

export interface ApiKeyRecord {
  id: number;
  masked: string;
  label: string;
  tradingview: boolean;
  strategies: string[];
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface IssuedApiKey {
  id: number;
  apikey: string;
  secret: string;
  tradingview: boolean;
}

export interface Settings {
  host: string;
  port: number;
  publicUrl: string | null;
  trustProxyHeaders: boolean;
  signatureWindowMs: number;
  orderWaitMs: number;
  /** Newer engines: how long one exchange request may take before the order is looked up. */
  exchangeTimeoutMs?: number;
  duplicateWindowMs: number;
  paused: boolean;
  notifications: boolean;
  tradingViewAddressCheck: boolean;
}
