import type { TunnelState } from '../../../shared/engine-status.js';
import type { Logger } from '../log.js';
import { type CloudflaredOptions, startCloudflaredTunnel } from './cloudflared.js';
import { type NgrokOptions, startNgrokTunnel } from './ngrok.js';
import { type OpenTunnel, TunnelCancelledError, type TunnelKind } from './tunnel.js';

export { TunnelCancelledError } from './tunnel.js';

/** Opens one kind of tunnel; `signal` aborts a start that is still under way. */
export type TunnelOpener = (localUrl: string, signal: AbortSignal) => Promise<OpenTunnel>;

export interface TunnelServiceOptions {
  /** Read at each start, so a path changed in the settings applies to the next start. */
  cloudflaredPath?: () => string | null | undefined;
  /** Everything else about running cloudflared (env, timeouts, folders searched). */
  cloudflared?: Omit<CloudflaredOptions, 'binaryPath' | 'signal'>;
  ngrok?: NgrokOptions;
  log?: Pick<Logger, 'info' | 'warn'>;
  /** Replaces how a kind of tunnel is opened (tests). */
  openers?: Partial<Record<TunnelKind, TunnelOpener>>;
}

/**
 * The engine's one tunnel: starts and stops it, and keeps a TunnelState that says the truth,
 * including when the tunnel dies on its own. At most one tunnel runs; a new start replaces the old one.
 */
export class TunnelService {
  readonly #options: TunnelServiceOptions;
  readonly #listeners = new Set<(state: TunnelState) => void>();
  #state: TunnelState = { state: 'off' };
  #current: OpenTunnel | null = null;
  #starting: AbortController | null = null;
  /** Bumped by every start and stop, so a start that finishes after being superseded knows it. */
  #generation = 0;

  constructor(options: TunnelServiceOptions = {}) {
    this.#options = options;
  }

  state(): TunnelState {
    return this.#state;
  }

  /** Calls `listener` with each new state; returns the unsubscribe function. */
  onChange(listener: (state: TunnelState) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Starts a tunnel to `localUrl` (the engine's own http://127.0.0.1:PORT) and resolves to its public URL. */
  async start(kind: TunnelKind, localUrl: string): Promise<string> {
    // Everything up to the first await happens at once, so a stop() called right after start() cancels it.
    const previous = this.#current;
    this.#current = null;
    this.#starting?.abort();
    const generation = ++this.#generation;
    const abort = new AbortController();
    this.#starting = abort;
    this.#setState({ state: 'starting', kind });
    this.#options.log?.info('tunnel starting', { kind, localUrl });

    let tunnel: OpenTunnel;
    try {
      // One tunnel at a time: the old one is down before the new one starts.
      if (previous) await previous.stop();
      if (generation !== this.#generation) throw new TunnelCancelledError();
      tunnel = await this.#open(kind, localUrl, abort.signal);
    } catch (error) {
      if (generation !== this.#generation) throw new TunnelCancelledError();
      this.#starting = null;
      const message = error instanceof Error ? error.message : String(error);
      this.#options.log?.warn('tunnel failed to start', { kind, message });
      this.#setState({ state: 'error', kind, message });
      throw error instanceof Error ? error : new Error(message);
    }
    if (generation !== this.#generation) {
      await tunnel.stop();
      throw new TunnelCancelledError();
    }

    this.#starting = null;
    this.#current = tunnel;
    tunnel.onLost((reason) => {
      if (this.#current !== tunnel) return;
      this.#current = null;
      this.#options.log?.warn('tunnel lost', { kind, reason });
      this.#setState({ state: 'error', kind, message: reason });
    });
    this.#options.log?.info('tunnel running', { kind, publicUrl: tunnel.publicUrl, ...(tunnel.notice ? { notice: tunnel.notice } : {}) });
    this.#setState({ state: 'running', kind, publicUrl: tunnel.publicUrl, ...(tunnel.notice ? { notice: tunnel.notice } : {}) });
    return tunnel.publicUrl;
  }

  /** Stops the tunnel (or cancels a start under way) and clears an error; resolves once it is down. */
  async stop(): Promise<void> {
    this.#generation++;
    this.#starting?.abort();
    this.#starting = null;
    const tunnel = this.#current;
    this.#current = null;
    if (this.#state.state !== 'off') {
      this.#setState({ state: 'off' });
      this.#options.log?.info('tunnel stopped');
    }
    if (tunnel) await tunnel.stop();
  }

  #open(kind: TunnelKind, localUrl: string, signal: AbortSignal): Promise<OpenTunnel> {
    const custom = this.#options.openers?.[kind];
    if (custom) return custom(localUrl, signal);
    if (kind === 'ngrok') return startNgrokTunnel(localUrl, { ...this.#options.ngrok, signal });
    return startCloudflaredTunnel(localUrl, { ...this.#options.cloudflared, binaryPath: this.#options.cloudflaredPath?.() ?? null, signal });
  }

  #setState(state: TunnelState): void {
    this.#state = state;
    for (const listener of this.#listeners) {
      try {
        listener(state);
      } catch {
        // A watcher's bug must not leave the tunnel half-started or half-stopped.
      }
    }
  }
}
