import type { TunnelState } from '../../../shared/engine-status.js';

/** The tunnel programs apisify knows how to use. */
export type TunnelKind = Exclude<TunnelState, { state: 'off' }>['kind'];

export const TUNNEL_KINDS: readonly TunnelKind[] = ['cloudflared', 'ngrok'];

/** A tunnel that is up: where the internet reaches us, and how to take it down. */
export interface OpenTunnel {
  readonly kind: TunnelKind;
  /** https://<host> without a trailing slash; the webhook URL is `${publicUrl}/v1/order`. */
  readonly publicUrl: string;
  /** What the user must check before trusting `publicUrl`, if anything (shown with the URL). */
  readonly notice?: string;
  /** Takes the tunnel down; resolves once it is down. Safe to call more than once. */
  stop(): Promise<void>;
  /**
   * Called at most once, if the tunnel goes down without stop() (the process died, the agent went away),
   * so the state can say the webhook URL no longer works.
   */
  onLost(listener: (reason: string) => void): void;
}

/** A start that was called off (by stop() or a newer start) before the tunnel was up: not a failure to report. */
export class TunnelCancelledError extends Error {
  override readonly name = 'TunnelCancelledError';
  constructor() {
    super('the tunnel start was cancelled');
  }
}
