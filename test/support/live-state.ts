import { defaultAccountOf } from '../../shared/account-names.js';
import type { ExchangeName } from '../../shared/exchange-names.js';
import type { Position } from '../../main/engine/exchanges/venue.js';
import type { TestEngine } from './engine.js';

/**
 * Reads a position the way an order does (the account's live state, else one REST read) until `done`
 * holds, and returns the last one read. A test that changes a position on the fake exchange waits for
 * this before it trades: the change reaches apisify by push, a moment later, as a trader's change on
 * the exchange's website does.
 */
export async function untilEngineSees(engine: TestEngine, exchange: ExchangeName, symbol: string, done: (position: Position) => boolean, ms = 5_000): Promise<Position | null> {
  const venue = await engine.services.ccxt.venueFor(defaultAccountOf(exchange), 'swap');
  if (!venue) return null;
  const market = await venue.resolveMarket(symbol);
  const until = Date.now() + ms;
  let seen = await engine.services.accounts.position(venue, market);
  while (!done(seen) && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    seen = await engine.services.accounts.position(venue, market);
  }
  return seen;
}
