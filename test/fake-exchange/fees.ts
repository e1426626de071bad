// Trading fees: none by default (so that tests can compute balances exactly), the exchanges'
// published base-tier rates with `fees: 'standard'`, or a schedule a test gives. A maker is a
// resting order that `setPrice` fills; an order that trades when placed is a taker.

import type { MarketKind, Venue } from './types.js';

export interface FeeRates {
  maker: number;
  taker: number;
}

export type FeeSchedule = Partial<Record<MarketKind, FeeRates>>;

/** 'zero' (the default), 'standard' (STANDARD_FEES), or rates per market kind (kinds left out pay none). */
export type FeeOption = 'zero' | 'standard' | FeeSchedule;

const NONE: FeeRates = { maker: 0, taker: 0 };

/**
 * Base-tier (non-VIP) rates as each exchange publishes them: Bybit's fee structure page (spot
 * 0.1 % / 0.1 %, perpetuals and futures 0.02 % maker / 0.055 % taker) and Binance's (spot 0.1 % /
 * 0.1 % without the BNB discount, USDⓈ-M 0.02 % maker / 0.05 % taker).
 */
export const STANDARD_FEES: Readonly<Record<Venue, Readonly<Record<MarketKind, FeeRates>>>> = {
  bybit: { spot: { maker: 0.001, taker: 0.001 }, linear: { maker: 0.0002, taker: 0.00055 }, inverse: { maker: 0.0002, taker: 0.00055 } },
  binance: { spot: { maker: 0.001, taker: 0.001 }, linear: { maker: 0.0002, taker: 0.0005 }, inverse: { maker: 0.0002, taker: 0.0005 } },
};

export function feeRatesFor(venue: Venue, option: FeeOption = 'zero'): Record<MarketKind, FeeRates> {
  if (option === 'zero') return { spot: NONE, linear: NONE, inverse: NONE };
  if (option === 'standard') return { ...STANDARD_FEES[venue] };
  for (const [kind, rates] of Object.entries(option)) {
    if (!(rates.maker >= 0 && rates.maker < 0.1 && rates.taker >= 0 && rates.taker < 0.1)) {
      throw new Error(`fee rates are fractions from 0 to 0.1, got ${kind} ${JSON.stringify(rates)}`);
    }
  }
  return { spot: option.spot ?? NONE, linear: option.linear ?? NONE, inverse: option.inverse ?? NONE };
}
