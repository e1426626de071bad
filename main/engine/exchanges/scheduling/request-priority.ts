import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Whether the exchange requests made inside some work are background work (follow-ups,
 * reconciliation, refreshes) that must yield to orders. Carried through ccxt's own awaits by Node's
 * async context, so a call into ccxt needs no extra argument; anything not marked is on an order's path.
 */
const background = new AsyncLocalStorage<true>();

export function inBackground<T>(work: () => Promise<T>): Promise<T> {
  return background.run(true, work);
}

export function isBackground(): boolean {
  return background.getStore() === true;
}
