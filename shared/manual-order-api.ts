import type { MarketType } from './api-types.js';
import type { ProtectionReceipt, SizingReceipt } from './api-response.js';
import type { ExchangeName } from './exchange-names.js';

/** What the manual order form asks the engine besides placing the order: symbol suggestions and a preview. */

/** GET /api/markets: one market a strategy can trade on an exchange. Amounts are decimal text, as in order answers. */
export interface MarketEntry {
  /** What to type in the order's symbol field for this strategy (the exchange id, or the allow-list's own spelling). */
  input: string;
  /** The exchange's own id, e.g. BTCUSDT; null when the exchange's markets could not be read. */
  id: string | null;
  /** ccxt's unified symbol, e.g. BTC/USDT:USDT. */
  unified: string | null;
  /** TradingView's ticker for a perpetual, e.g. BTCUSDT.P; null on spot. */
  tradingView: string | null;
  base: string | null;
  quote: string | null;
  type: MarketType;
  contract: 'linear' | 'inverse' | null;
  minAmount: string | null;
  amountStep: string | null;
}

/**
 * Where the list came from: the live account's markets ("account"), the exchange's public markets, no keys
 * needed ("public"), or, when the exchange could not be read, the strategy's allowed symbols ("strategy").
 */
export type MarketSource = 'account' | 'public' | 'strategy';

export interface MarketsAnswer {
  strategy: string;
  exchange: ExchangeName;
  marketType: MarketType;
  source: MarketSource;
  /** Why the list is not the exchange's (or is only its public one), in words; null when there is nothing to say. */
  note: string | null;
  markets: MarketEntry[];
}

/** POST /api/orders/preview: what POST /api/orders would send now, with nothing journaled or sent. */
export interface OrderPreviewAnswer {
  ok: true;
  preview: {
    strategy: string;
    exchange: ExchangeName;
    /** The exchange account it would trade on: the request's pick, else the strategy's first for the exchange. */
    account: string;
    /** The symbol as requested, and the market it settled to (ccxt's unified symbol live; as written in dry run). */
    symbol: string;
    market: string;
    market_type: MarketType;
    dry_run: boolean;
    side: string;
    order_type: 'market' | 'limit';
    /** The plan in words, e.g. "SAR: buy 3 to go from -1 to +2". */
    plan: string;
    /** Nothing would be sent (Close when flat, SAR already at its target); the order would be journaled as skipped. */
    skipped: boolean;
    /** The position the plan started from, signed (spot: the free base balance); null for Buy and Sell, which do not read it. */
    position: { qty: string; kind: 'position' | 'free_balance'; read_at: string } | null;
    /** Exactly what would be sent, in order, rounded to the market's precision (client order ids come with the journal id). */
    orders: { side: 'buy' | 'sell'; type: 'market' | 'limit'; amount: string; price: string | null; reduce_only: boolean }[];
    /** What the orders' amounts count (the base coin; contracts on inverse) and what a value is in (the quote currency; USD on inverse), for reading the sizing. */
    units?: { amount: string; value: string };
    /** How qty came to the amount (qty_unit other than base); absent otherwise. */
    sizing?: SizingReceipt;
    /** The stop-loss and take-profit the position would be held with, on the tick; absent without protection. */
    protection?: ProtectionReceipt;
    /** The leverage that would be set on the account before the order (it opens or grows a position); absent: left as it is. */
    leverage?: string;
    /** The margin mode entries need; absent: the account is left as it is. */
    margin_mode?: 'cross' | 'isolated';
    /** Why nothing would be sent, where that has a code (a stale signal); absent otherwise. */
    skip_reason?: { code: string; message: string };
  };
}
