import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { StreamWatcher } from '../../main/engine/accounts/stream-watcher.js';
import type { AccountPush, AccountStream } from '../../main/engine/exchanges/venue.js';

/** An account stream that pushes `total` order changes, one per next(), then waits until it is closed. */
class CountingStream implements AccountStream {
  readonly exchange = 'test';
  pushed = 0;
  #closed: (() => void) | null = null;

  constructor(private readonly total: number) {}

  async next(): Promise<AccountPush[]> {
    if (this.pushed < this.total) {
      this.pushed += 1;
      // A fresh array per push, as ccxt gives: whatever keeps pushes alive keeps these.
      return [{ kind: 'order', order: { exchangeOrderId: `x${this.pushed}`, clientOrderId: `c${this.pushed}`, symbol: 'BTC/USDT:USDT', status: 'filled', filled: 1, averagePrice: 1 } }];
    }
    return new Promise((_, reject) => (this.#closed = () => reject(new Error('closed'))));
  }

  live(): boolean {
    return true;
  }

  async close(): Promise<void> {
    this.#closed?.();
  }
}

function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

describe('StreamWatcher', () => {
  it('hands on every push and keeps none of them once handed on', async () => {
    const pushes = 100_000;
    const stream = new CountingStream(pushes);
    let received = 0;
    const watcher = new StreamWatcher(stream, (pushes) => (received += pushes.length), () => undefined);
    collectGarbage();
    const before = process.memoryUsage().heapUsed;
    watcher.start();
    while (received < pushes) await new Promise((resolve) => setImmediate(resolve));
    collectGarbage();
    const grown = process.memoryUsage().heapUsed - before;
    await watcher.stop();
    expect(received).toBe(pushes);
    // A wait that raced one promise pending for the stream's life kept a reaction per push: ~20 MB here.
    expect(grown).toBeLessThan(4_000_000);
  });

  it('stops at once when the stop comes while a failed stream is being closed, not after its backoff', async () => {
    let closing: (() => void) | null = null;
    const failing: AccountStream = {
      exchange: 'test',
      next: () => Promise.reject(new Error('refused')),
      live: () => false,
      // The failure path's close takes a while (a slow close handshake); the stop arrives meanwhile.
      close: () => new Promise<void>((resolve) => (closing ??= resolve, setTimeout(resolve, 200))),
    };
    const watcher = new StreamWatcher(failing, () => undefined, () => undefined, { backoffMs: 10_000, maxBackoffMs: 10_000, connectTimeoutMs: 60_000 });
    watcher.start();
    while (!closing) await new Promise((resolve) => setTimeout(resolve, 5));
    const started = performance.now();
    await watcher.stop();
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(watcher.running).toBe(false);
  });
});
