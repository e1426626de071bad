/** Drives `send` and times each call, in ms from the moment it was made to its answer. */

export interface Timed<T> {
  latencyMs: number;
  result: T;
}

/**
 * Open loop at a steady rate: call i is made at start + i / rate whether or not earlier ones have
 * answered, as independent signals arrive. `lagMs` is how late the bench itself made its calls.
 */
export async function atSteadyRate<T>(count: number, perSecond: number, send: (index: number) => Promise<T>): Promise<{ calls: Timed<T>[]; lagMs: number }> {
  const calls: Promise<Timed<T>>[] = [];
  const intervalMs = 1000 / perSecond;
  const start = performance.now();
  let lagMs = 0;
  for (let index = 0; index < count; index++) {
    const due = start + index * intervalMs;
    const wait = due - performance.now();
    // Timers are good to about a millisecond; the schedule is absolute, so the rate holds on average.
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    lagMs = Math.max(lagMs, performance.now() - due);
    calls.push(timed(() => send(index)));
  }
  return { calls: await Promise.all(calls), lagMs };
}

/** Closed loop: `concurrency` callers, each making its next call as soon as the last one answered. */
export async function atConcurrency<T>(count: number, concurrency: number, send: (index: number) => Promise<T>): Promise<{ calls: Timed<T>[]; elapsedMs: number }> {
  const calls: Timed<T>[] = new Array(count);
  let next = 0;
  const caller = async () => {
    while (next < count) {
      const index = next++;
      calls[index] = await timed(() => send(index));
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: concurrency }, caller));
  return { calls, elapsedMs: performance.now() - start };
}

async function timed<T>(send: () => Promise<T>): Promise<Timed<T>> {
  const start = performance.now();
  const result = await send();
  return { latencyMs: performance.now() - start, result };
}
