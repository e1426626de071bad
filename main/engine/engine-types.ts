import type { EngineEvent } from '../../shared/engine-events.js';
import type { EngineStatus } from '../../shared/engine-status.js';
import type { FlattenAnswer, FlattenRequest } from '../../shared/flatten-api.js';
import type { FollowerTiming } from './orders/order-follower.js';

export interface StartEngineOptions {
  dataDir: string;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** The tunnel's listener (on 127.0.0.1). 0 picks a free port; unset, the setting's, or a free one when `port` is 0. */
  tunnelPort?: number;
  /** How often open orders are looked up, and how long one the exchange does not know is waited for (tests shorten them). */
  followerTiming?: Partial<FollowerTiming>;
}

/** The running engine as its hosts (CLI `serve`, the Electron shell, tests) see it. */
export interface Engine {
  /** http://HOST:PORT the server listens on. */
  readonly url: string;
  /** http://127.0.0.1:PORT of the tunnel's listener: what a tunnel forwards to. It serves POST /v1/order only. */
  readonly tunnelUrl: string;
  /** A URL that opens the UI once: `${url}/?token=…`. */
  createUiUrl(): string;
  status(): EngineStatus;
  subscribe(listener: (event: EngineEvent) => void): () => void;
  setPaused(paused: boolean): void;
  /** Closes what is open (POST /api/flatten in-process); `pause: true` pauses trading first, the kill switch. */
  flatten(request: FlattenRequest): Promise<FlattenAnswer>;
  /** Starts a tunnel and makes its public URL the engine's public URL; resolves to that URL. */
  startTunnel(kind: 'cloudflared' | 'ngrok'): Promise<string>;
  stopTunnel(): Promise<void>;
  stop(): Promise<void>;
}
