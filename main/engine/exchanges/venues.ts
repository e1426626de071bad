import type { OrderFields } from '../../../shared/order-request.js';
import { ApiError } from '../http/api-error.js';
import type { Strategy } from '../store/strategies.js';
import type { DryRunSimulator } from './dry-run-simulator.js';
import { DryRunVenue } from './dry-run-venue.js';
import type { Venue } from './venue.js';

/** Live exchange accounts (ccxt); null until an account is set up for that exchange name. */
export interface LiveVenues {
  venueFor(exchange: OrderFields['exchange'], marketType: Strategy['marketType']): Promise<Venue | null>;
}

/** Picks where an order goes: the dry-run simulator or the strategy's live exchange account. */
export class Venues {
  constructor(
    private readonly dryRun: DryRunSimulator,
    private readonly live: LiveVenues,
  ) {}

  async forOrder(strategy: Strategy, fields: OrderFields): Promise<Venue> {
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
    return this.liveVenue(fields.exchange, strategy.marketType);
  }

  /** The simulator of a dry-run strategy, for looking its legs up and for its protective orders (after a fill, after a crash). */
  simulator(strategy: string, exchange: string, marketType: Strategy['marketType']): Venue {
    return new DryRunVenue(this.dryRun, { strategy, exchange, marketType }, null);
  }

  async liveVenue(exchange: OrderFields['exchange'], marketType: Strategy['marketType']): Promise<Venue> {
    const venue = await this.live.venueFor(exchange, marketType);
    if (!venue) {
      throw new ApiError(
        400,
        'exchange_not_configured',
        `exchange: no API credentials for ${exchange}; add them with \`apisify exchange set ${exchange}\` or in the app (or switch the strategy to dry-run)`,
        'exchange',
      );
    }
    return venue;
  }
}
