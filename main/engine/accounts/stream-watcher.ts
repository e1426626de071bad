import type { AccountPush, AccountStream } from '../exchanges/venue.js';

export interface StreamWatcherTiming {
  /** The first wait after a failure; it doubles with each failure in a row. */
  backoffMs: number;
  maxBackoffMs: number;
  /** An attempt that is not live by then (a silent server, an unanswered auth) is ended and retried. */
  connectTimeoutMs: number;
}

export const DEFAULT_STREAM_TIMING: StreamWatcherTiming = { backoffMs: 1_000, maxBackoffMs: 30_000, connectTimeoutMs: 15_000 };

/**
 * Keeps one account's private stream connected: hands every pushed change on, and after a failure
 * (cannot connect, refused, dropped) closes it, waits with backoff and connects again. `session`
 * counts the failures, so readers can tell when pushes may have been missed: an order then needs one
 * look by REST, a position one read.
 */
export class StreamWatcher {
  #loop: Promise<void> | null = null;
  #stopping = false;
  #failures = 0;
  #session = 0;
  #deadline: NodeJS.Timeout | null = null;
  #wake: (() => void) | null = null;
  /** Ends the current wait for a push (see #run). */
  #signalStop: () => void = () => undefined;

  constructor(
    readonly stream: AccountStream,
    private readonly onPushes: (pushes: AccountPush[]) => void,
    private readonly onFailure: (error: unknown, retryInMs: number) => void,
    private readonly timing: StreamWatcherTiming = DEFAULT_STREAM_TIMING,
  ) {}

  get running(): boolean {
    return this.#loop !== null;
  }

  get session(): number {
    return this.#session;
  }

  /** Connected and subscribed, so a change from now on arrives as a push. */
  get live(): boolean {
    return this.#loop !== null && !this.#stopping && this.stream.live();
  }

  start(): void {
    if (this.#loop) return;
    this.#stopping = false;
    this.#loop = this.#run().finally(() => (this.#loop = null));
  }

  /** Closes the stream and resolves once the loop has ended: no socket or timer is left behind. */
  async stop(): Promise<void> {
    const loop = this.#loop;
    if (!loop) return;
    this.#stopping = true;
    this.#clearDeadline();
    this.#signalStop();
    this.#wake?.();
    await this.stream.close().catch(() => undefined);
    await loop;
  }

  async #run(): Promise<void> {
    this.#armDeadline();
    while (!this.#stopping) {
      // a stop must not wait for a call that may be fetching a listen key: it is left to fail on its own
      const next = this.stream.next();
      next.catch(() => undefined);
      // One stop signal per wait, never a long-lived one: each race leaves a reaction on its promises,
      // and a promise that stays pending for the stream's life would keep one per push, forever.
      const stopped = new Promise<null>((resolve) => (this.#signalStop = () => resolve(null)));
      try {
        const pushes = await Promise.race([next, stopped]);
        if (pushes === null || this.#stopping) break;
        this.onPushes(pushes);
      } catch (error) {
        if (this.#stopping) break;
        this.#session += 1;
        this.#failures += 1;
        const waitMs = Math.min(this.timing.maxBackoffMs, this.timing.backoffMs * 2 ** (this.#failures - 1));
        this.onFailure(error, waitMs);
        this.#clearDeadline();
        await this.stream.close().catch(() => undefined);
        // A stop that came during the close found no sleep to wake: it must not wait out the backoff.
        if (this.#stopping) break;
        await this.#sleep(waitMs);
        this.#armDeadline();
      }
    }
    this.#clearDeadline();
  }

  /** Ends an attempt that never became live; once live, the failures in a row start again from zero. */
  #armDeadline(): void {
    this.#clearDeadline();
    this.#deadline = setTimeout(() => {
      this.#deadline = null;
      if (this.#stopping) return;
      if (this.stream.live()) this.#failures = 0;
      // closing rejects the pending next(), which takes the failure path above
      else void this.stream.close().catch(() => undefined);
    }, this.timing.connectTimeoutMs);
    this.#deadline.unref();
  }

  #clearDeadline(): void {
    if (this.#deadline) clearTimeout(this.#deadline);
    this.#deadline = null;
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      timer.unref();
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = () => {
        this.#wake = null;
        done();
      };
    });
  }
}
