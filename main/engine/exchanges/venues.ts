import type { OrderFields } from '../../../shared/order-request.js';
import { ApiError } from '../http/api-error.js';
import type { DryRunPositions } from '../store/dry-run-positions.js';
import type { Strategy } from '../store/strategies.js';
import { DryRunVenue } from './dry-run-venue.js';
import type { Venue } from './venue.js';

/** A last traded price for dry-run Market orders that came without one; null when none can be had. */
export type PriceSource = (exchange: OrderFields['exchange'], symbol: string, marketType: Strategy['marketType']) => Promise<number | null>;

/** Live exchange accounts (ccxt); null until an account is set up for that exchange name. */
export interface LiveVenues {
  venueFor(exchange: OrderFields['exchange'], marketType: Strategy['marketType']): Promise<Venue | null>;
}

/** Picks where an order goes: the dry-run simulator or the strategy's live exchange account. */
export class Venues {
  constructor(
    private readonly positions: DryRunPositions,
    private readonly live: LiveVenues,
    private readonly prices: PriceSource,
  ) {}

  async forOrder(strategy: Strategy, fields: OrderFields): Promise<Venue> {
    if (strategy.mode === 'dry-run') {
      const reference = fields.price ?? (await this.prices(fields.exchange, fields.symbol, strategy.marketType).catch(() => null));
      if (reference === null) {
        throw new ApiError(
          400,
          'price_required',
          "price: a dry-run Market order needs a price when no live price can be had; send one (TradingView: {{close}})",
          'price',
        );
      }
      return new DryRunVenue(this.positions, strategy.name, fields.exchange, strategy.marketType, reference, strategy.dryRunBalance);
    }
    return this.liveVenue(fields.exchange, strategy.marketType);
  }

  /** The simulator of a dry-run strategy, for looking its legs up (after a crash): it fills nothing without a price. */
  simulator(strategy: string, exchange: string, marketType: Strategy['marketType']): Venue {
    return new DryRunVenue(this.positions, strategy, exchange, marketType, null);
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
