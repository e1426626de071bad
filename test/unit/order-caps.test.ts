import { describe, expect, it } from 'vitest';
import type { MarketFacts, MarketRef, Position, Venue } from '../../main/engine/exchanges/venue.js';
import { ApiError } from '../../main/engine/http/api-error.js';
import { decideOrder } from '../../main/engine/orders/order-decision.js';
import { DEFAULT_STRATEGY_SHAPING, type Strategy } from '../../shared/api-types.js';
import { parseOrderFields } from '../../shared/order-request.js';

/**
 * A strategy's maxNotional against an order whose value cannot be known: the exchange gives no last
 * price (a market that has not traded yet, say) and the request carries none. Refused naming price,
 * never sent uncapped. decideOrder against a venue that answers only what the decision asks.
 */
const MARKET: MarketRef = { symbol: 'NEW/USDT:USDT', type: 'swap' };
const FACTS: MarketFacts = { symbol: MARKET.symbol, contract: 'linear', contractSize: 1, base: 'NEW', quote: 'USDT', settle: 'USDT', amountStep: 0.01, minAmount: 0.01, priceTick: 0.0001 };
const FLAT: Position = { qty: 0, mode: 'one-way' };

function venueWithPrice(price: number | null): Venue {
  const venue = {
    name: 'bybit',
    dryRun: false,
    protectionStyle: () => 'attached',
    facts: () => FACTS,
    currentPrice: async () => price,
    lastPrice: async () => price,
    minimumValue: () => null,
    normalize: (_market: MarketRef, leg: { side: string; type: string; amount: number; price: number | null; reduceOnly: boolean }) => ({ ...leg }),
  };
  return venue as unknown as Venue;
}

function strategy(maxNotional: number | null): Strategy {
  return { ...DEFAULT_STRATEGY_SHAPING, id: 1, name: 'capped', mode: 'live', marketType: 'swap', maxQty: null, symbols: [], exchanges: [], accounts: {}, enabled: true, createdAt: '', updatedAt: '', maxNotional } as Strategy;
}

function fields(changes: Record<string, unknown>) {
  const parsed = parseOrderFields({ strategy: 'capped', exchange: 'bybit', order_type: 'Market', side: 'Buy', symbol: 'NEWUSDT', qty: 5, ...changes });
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
}

const readFlat = async () => FLAT;

describe("a strategy's maxNotional when the order's value cannot be known", () => {
  it('refuses a Buy that opens a position: 400 price_required naming price and the cap', async () => {
    const refusal = await decideOrder(fields({}), strategy(100), venueWithPrice(null), MARKET, readFlat).then(
      () => null,
      (error: unknown) => error,
    );
    expect(refusal).toBeInstanceOf(ApiError);
    expect(refusal).toMatchObject({ status: 400, code: 'price_required', field: 'price' });
    expect((refusal as ApiError).message).toBe('price: strategy capped allows orders worth at most 100 USDT, and no price could be had to value this one on NEW/USDT:USDT; send a price');
  });

  it('values it with the request\'s price when it has one, and caps it', async () => {
    await expect(decideOrder(fields({ price: 30 }), strategy(100), venueWithPrice(null), MARKET, readFlat)).rejects.toMatchObject({ code: 'notional_above_limit', field: 'qty' });
  });

  it('sends it when the strategy has no cap, or a last price values it under the cap', async () => {
    expect((await decideOrder(fields({}), strategy(null), venueWithPrice(null), MARKET, readFlat)).legs).toHaveLength(1);
    expect((await decideOrder(fields({}), strategy(100), venueWithPrice(10), MARKET, readFlat)).legs).toHaveLength(1);
  });
});
