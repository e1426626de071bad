import type { Logger } from '../log.js';
import type { SignalLog } from './signal-log.js';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface SignalRetentionOptions {
  /** The first pass after start (the engine has its own start-up work first). */
  firstAfterMs?: number;
  /** Then one pass every so often; a day's entries need at most an hour more to go. */
  everyMs?: number;
  /** Entries deleted per commit; the event loop is free between two. */
  batch?: number;
}

/**
 * Deletes signal log entries older than the `signalRetentionDays` setting, in the background: a pass
 * soon after start and then hourly, a few hundred rows per commit with the event loop free between
 * commits, so neither an order nor a request for the log waits behind a large prune.
 */
export class SignalRetention {
  #timer: NodeJS.Timeout | null = null;
  #stopped = false;
  #running: Promise<number> | null = null;

  constructor(
    private readonly signals: SignalLog,
    private readonly retentionDays: () => number,
    private readonly log: Logger,
    private readonly options: SignalRetentionOptions = {},
  ) {}

  start(): void {
    this.#stopped = false;
    this.#schedule(this.options.firstAfterMs ?? 2_000);
  }

  /** Ends the timer; a pass under way stops after its current batch. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await this.#running?.catch(() => undefined);
  }

  /** One pass: every entry older than the retention goes. Resolves with how many went. */
  runOnce(now = Date.now()): Promise<number> {
    this.#running ??= this.#prune(now).finally(() => (this.#running = null));
    return this.#running;
  }

  async #prune(now: number): Promise<number> {
    const before = new Date(now - this.retentionDays() * DAY_MS).toISOString();
    const batch = this.options.batch ?? 500;
    let deleted = 0;
    for (;;) {
      const gone = this.signals.pruneOlderThan(before, batch);
      deleted += gone;
      if (gone < batch || this.#stopped) break;
      await new Promise((resolve) => setImmediate(resolve));
    }
    if (deleted > 0) this.log.info('signal log pruned', { deleted, before });
    return deleted;
  }

  #schedule(delayMs: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.runOnce()
        .catch((error: unknown) => this.log.warn('the signal log could not be pruned; trying again later', { error: (error as Error)?.message ?? String(error) }))
        .finally(() => this.#schedule(this.options.everyMs ?? 60 * 60 * 1000));
    }, delayMs);
    this.#timer.unref();
  }
}
