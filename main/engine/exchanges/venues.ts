import { type AccountRef, accountsAllowed, DEFAULT_ACCOUNT } from '../../../shared/account-names.js';
import type { OrderFields } from '../../../shared/order-request.js';
import { ApiError } from '../http/api-error.js';
import type { Strategy } from '../store/strategies.js';
import type { DryRunSimulator } from './dry-run-simulator.js';
import { DryRunVenue } from './dry-run-venue.js';
import type { Venue } from './venue.js';

/** Live exchange accounts (ccxt); null until the account is set up. */
export interface LiveVenues {
  venueFor(ref: AccountRef, marketType: Strategy['marketType']): Promise<Venue | null>;
}

/** Picks where an order goes: the dry-run simulator or the strategy's live exchange account. */
export class Venues {
  constructor(
    private readonly dryRun: DryRunSimulator,
    private readonly live: LiveVenues,
  ) {}

  /** `account`: where a live strategy's order goes (accountOf); a dry run simulates the strategy's own account whichever it names. */
  async forOrder(strategy: Strategy, fields: OrderFields, account: AccountRef): Promise<Venue> {
    if (strategy.mode === 'dry-run') {
      const venue = new DryRunVenue(this.dryRun, { strategy: strategy.name, exchange: fields.exchange, marketType: strategy.marketType }, fields.price);
      // A Market order fills at the exchange's price; without one to be had, the request must carry its own.
      if (fields.price === null && (await venue.currentPrice(await venue.resolveMarket(fields.symbol))) === null) {
        throw new ApiError(
          400,
          'price_required',
          "price: a dry-run Market order needs a price when no live price can be had; send one (TradingView: {{close}})",
          'price',
        );
      }
      return venue;
    }
    return this.liveVenue(account, strategy.marketType);
  }

  /** The simulator of a dry-run strategy, for looking its legs up and for its protective orders (after a fill, after a crash). */
  simulator(strategy: string, exchange: string, marketType: Strategy['marketType']): Venue {
    return new DryRunVenue(this.dryRun, { strategy, exchange, marketType }, null);
  }

  async liveVenue(ref: AccountRef, marketType: Strategy['marketType']): Promise<Venue> {
    const venue = await this.live.venueFor(ref, marketType);
    if (!venue) {
      const named = ref.account === DEFAULT_ACCOUNT ? '' : ` --account ${ref.account}`;
      throw new ApiError(
        400,
        'exchange_not_configured',
        `exchange: no API credentials for ${ref.exchange}${ref.account === DEFAULT_ACCOUNT ? '' : ` account ${ref.account}`}; add them with \`apisify exchange set ${ref.exchange}${named}\` or in the app (or switch the strategy to dry-run)`,
        'exchange',
      );
    }
    return venue;
  }
}

/**
 * The account an order trades on: the one its request names (which the strategy must allow for that
 * exchange), else the strategy's first for the exchange, else `default`.
 */
export function accountOf(strategy: Pick<Strategy, 'name' | 'accounts'>, fields: Pick<OrderFields, 'exchange' | 'account'>): AccountRef {
  const allowed = accountsAllowed(strategy.accounts, fields.exchange);
  if (fields.account !== null && !allowed.includes(fields.account)) {
    throw new ApiError(403, 'account_not_allowed', `account: strategy ${strategy.name} trades ${fields.exchange} only on ${allowed.join(', ')}, not ${fields.account}`, 'account');
  }
  return { exchange: fields.exchange, account: fields.account ?? (allowed[0] as string) };
}
