/** What the engine says about itself: the status bar, the tray and `apisify status` all read this one shape. */
export type KeychainState = 'keychain' | 'encrypted-file';

export type TunnelState =
  | { state: 'off' }
  | { state: 'starting'; kind: 'cloudflared' | 'ngrok' }
  /** `notice`: what the user must check about this tunnel (an ngrok agent apisify did not start). */
  | { state: 'running'; kind: 'cloudflared' | 'ngrok'; publicUrl: string; notice?: string }
  | { state: 'error'; kind: 'cloudflared' | 'ngrok'; message: string };

export interface LastOrderSummary {
  id: number;
  strategy: string;
  exchange: string;
  symbol: string;
  side: string;
  qty: string | null;
  status: string;
  receivedAt: string;
}

/** How the engine's last exchange requests on an account went: transport, credentials and rate limits, not order refusals. */
export interface ExchangeConnection {
  exchange: string;
  /** The exchange account's name (`default` unless named). */
  account: string;
  /** `clock`: the exchange refuses the timestamps of signed requests (the computer's clock is off), even after apisify re-read the exchange's. */
  state: 'ok' | 'failing' | 'clock';
  /** When the state was last confirmed. */
  at: string;
  /** What failed, in words (never a secret); null when ok. */
  message: string | null;
}

export interface EngineStatus {
  /** Base URL the engine listens on, e.g. http://127.0.0.1:8470 */
  url: string;
  /** The public URL (tunnel or configured), used for the Host allow-list and signatures. */
  publicUrl: string | null;
  paused: boolean;
  keychain: KeychainState;
  tunnel: TunnelState;
  ordersToday: number;
  lastOrder: LastOrderSummary | null;
  /** Desktop notifications for filled, rejected and failed orders (the user's setting). */
  notifications: boolean;
  /** A problem the user must see (e.g. an exchange unreachable); null when all is well. */
  error: string | null;
  /** The accounts the engine has talked to since it started, in the spec's order. */
  exchanges: ExchangeConnection[];
}
