import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Lets an order's request be scheduled, built and signed while what must come before it is still
 * under way (its journal rows reaching the disk, the pause check): every exchange request made inside
 * `work` waits for `ready` just before its bytes are written, and none is written if `ready` fails.
 * The disk sync and the request's own preparation then overlap instead of adding up. Carried through
 * ccxt's awaits by Node's async context, as request-priority.ts is, so ccxt needs no extra argument.
 */
const gates = new AsyncLocalStorage<Promise<void>>();

export function sendAfter<T>(ready: Promise<void>, work: () => Promise<T>): Promise<T> {
  return gates.run(ready, work);
}

/** Resolves once a request made here may be written; throws NotSent when it may not (nothing was written). */
export async function untilSendable(): Promise<void> {
  const ready = gates.getStore();
  if (!ready) return;
  try {
    await ready;
  } catch (reason) {
    throw new NotSent(reason);
  }
}

/** A request held back because what had to precede it failed: it never left, whatever the exchange says. */
export class NotSent extends Error {
  constructor(readonly reason: unknown) {
    super('the request was held back before it was written');
    this.name = 'NotSent';
  }
}
