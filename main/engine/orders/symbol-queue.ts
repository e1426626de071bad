/**
 * How an order waits for the orders before it on its (account, symbol):
 * - `answered`: until each has finished. Its plan reads what they leave (the position, the account's
 *   balance), so a Close and a Sarsell 300 ms apart never plan from the same stale position.
 * - `left`: until each has handed its creates to the exchange (or finished). Its plan reads nothing
 *   they change (a plain Buy or Sell of a fixed amount), so it need not wait a round trip for their
 *   answers; it still leaves after them, in arrival order.
 */
export type QueueWait = 'answered' | 'left';

interface Tails {
  /** Every queued task has finished. */
  answered: Promise<void>;
  /** Every queued task has left (or finished). */
  left: Promise<void>;
}

/**
 * One queue per (account, symbol): orders for the same symbol leave one after another in arrival
 * order, each waiting for what it depends on (QueueWait). Different keys run in parallel.
 */
export class SymbolQueue {
  readonly #tails = new Map<string, Tails>();

  /** `task` calls `left()` once its creates are handed to the exchange; finishing counts as leaving. */
  run<T>(key: string, wait: QueueWait, task: (left: () => void) => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? { answered: Promise.resolve(), left: Promise.resolve() };
    let markLeft: () => void = () => undefined;
    const thisLeft = new Promise<void>((resolve) => (markLeft = resolve));
    const start = () => task(markLeft);
    const result = (wait === 'answered' ? previous.answered : previous.left).then(start, start);
    const finished = result.then(
      () => undefined,
      () => undefined,
    );
    void finished.then(markLeft);
    const tails: Tails = {
      answered: Promise.all([previous.answered, finished]).then(() => undefined),
      left: Promise.all([previous.left, thisLeft]).then(() => undefined),
    };
    this.#tails.set(key, tails);
    void tails.answered.then(() => {
      if (this.#tails.get(key) === tails) this.#tails.delete(key);
    });
    return result;
  }

  /** Resolves once every queued task has finished (for a clean stop). */
  async drain(): Promise<void> {
    while (this.#tails.size > 0) await Promise.all([...this.#tails.values()].map((tails) => tails.answered));
  }
}
