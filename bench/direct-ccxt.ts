import type { Exchange } from 'ccxt';
import { createCcxtExchange } from '../main/engine/exchanges/ccxt/ccxt-exchange.js';
import type { MarketType } from '../shared/api-types.js';
import type { BenchOrder } from './order-mix.js';

/** Client order ids of the orders the bench sends itself, told apart from the engine's at the exchange. */
export const DIRECT_CLIENT_ID_PREFIX = 'bench-direct-';

/**
 * The same orders sent straight through ccxt to the fake, from the bench's own process: built as the
 * engine builds its instances (the same module, one per market type, rate limiter off), warmed the
 * same way (markets, clock). What the engine adds on top of this is its latency.
 */
export class DirectCcxt {
  #sent = 0;

  private constructor(private readonly instances: Record<MarketType, Exchange>) {}

  static async connect(baseUrl: string, credentials: { apiKey: string; secret: string }): Promise<DirectCcxt> {
    const build = async (marketType: MarketType) => {
      const exchange = await createCcxtExchange({ exchange: 'bybit', marketType, credentials, baseUrl, timeoutMs: 8_000, budget: null });
      await exchange.loadMarkets();
      await exchange.loadTimeDifference();
      return exchange;
    };
    return new DirectCcxt({ swap: await build('swap'), spot: await build('spot') });
  }

  /** Resolves true when the exchange accepted the order. */
  async place(order: BenchOrder): Promise<boolean> {
    return (await this.#create(order)) !== null;
  }

  /**
   * Places the order, then reads it back, as apisify does on Bybit (its create answers with ids
   * only; docs/decisions.md): the exchange's share of the engine's time, without the engine.
   */
  async placeAndLookUp(order: BenchOrder): Promise<boolean> {
    const id = await this.#create(order);
    if (id === null) return false;
    try {
      const found = await this.instances[order.marketType].fetchOrder(id, order.unified, { acknowledged: true });
      return found.status === 'closed';
    } catch {
      return false;
    }
  }

  async #create(order: BenchOrder): Promise<string | null> {
    const clientOrderId = `${DIRECT_CLIENT_ID_PREFIX}${++this.#sent}`;
    try {
      const placed = await this.instances[order.marketType].createOrder(order.unified, 'market', order.side === 'Buy' ? 'buy' : 'sell', order.qty, undefined, { clientOrderId });
      return placed.id ?? null;
    } catch {
      return null;
    }
  }
}
