import type { Database } from './database.js';

/** A market's terms, as a simulated fill needs them (kept with every order, so it fills without the market list). */
export interface ContractTerms {
  /** null on spot. */
  contract: 'linear' | 'inverse' | null;
  contractSize: number;
  base: string;
  quote: string;
  /** The currency margin, fees and PnL are counted in: the quote on linear and spot, the base on inverse. */
  settle: string;
  /** Fee rates as fractions (0.0006 is 0.06 %). */
  maker: number;
  taker: number;
}

export type SimulatedOrderKind = 'market' | 'limit' | 'stop_loss' | 'take_profit';
export type SimulatedOrderStatus = 'open' | 'filled' | 'cancelled';

/** One simulated account: a dry-run strategy on one exchange. */
export interface SimulatedAccountKey {
  strategy: string;
  exchange: string;
}

/** An order the simulator took. */
export interface SimulatedOrder extends SimulatedAccountKey {
  clientOrderId: string;
  marketType: 'swap' | 'spot';
  /** The simulator's name of the market (BTCUSDT). */
  symbol: string;
  /** ccxt's unified symbol, where the simulator knew the market: what its price is watched under. */
  marketSymbol: string | null;
  side: 'buy' | 'sell';
  kind: SimulatedOrderKind;
  amount: number;
  /** A Limit's price. */
  price: number | null;
  /** A stop-loss's or take-profit's trigger. */
  triggerPrice: number | null;
  reduceOnly: boolean;
  /** The leverage its margin is held at. */
  leverage: number;
  terms: ContractTerms;
  status: SimulatedOrderStatus;
  filled: number;
  averagePrice: number | null;
  createdAt: string;
  updatedAt: string;
}

interface OrderRow {
  client_order_id: string;
  strategy: string;
  exchange: string;
  market_type: 'swap' | 'spot';
  symbol: string;
  market_symbol: string | null;
  side: 'buy' | 'sell';
  kind: SimulatedOrderKind;
  amount: string;
  price: string | null;
  trigger_price: string | null;
  reduce_only: number;
  leverage: string;
  terms_json: string;
  status: SimulatedOrderStatus;
  filled: string;
  average_price: string | null;
  created_at: string;
  updated_at: string;
}

function toOrder(row: OrderRow): SimulatedOrder {
  const number = (text: string | null) => (text === null ? null : Number(text));
  return {
    clientOrderId: row.client_order_id,
    strategy: row.strategy,
    exchange: row.exchange,
    marketType: row.market_type,
    symbol: row.symbol,
    marketSymbol: row.market_symbol,
    side: row.side,
    kind: row.kind,
    amount: Number(row.amount),
    price: number(row.price),
    triggerPrice: number(row.trigger_price),
    reduceOnly: row.reduce_only === 1,
    leverage: Number(row.leverage),
    terms: JSON.parse(row.terms_json) as ContractTerms,
    status: row.status,
    filled: Number(row.filled),
    averagePrice: number(row.average_price),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** A market some simulated order rests on: what the simulator watches prices of. */
export interface WatchedMarket {
  exchange: string;
  marketType: 'swap' | 'spot';
  symbol: string;
  marketSymbol: string | null;
}

/** Reads of the simulator's orders (DryRunLedger writes them). */
export class DryRunOrders {
  readonly #select;
  readonly #openOn;
  readonly #openOfAccount;
  readonly #openMarkets;

  constructor(db: Database) {
    this.#select = db.prepare<[string], OrderRow>('SELECT * FROM dry_run_orders WHERE client_order_id = ?');
    this.#openOn = db.prepare<[string, string, string], OrderRow>("SELECT * FROM dry_run_orders WHERE exchange = ? AND market_type = ? AND symbol = ? AND status = 'open' ORDER BY created_at, client_order_id");
    this.#openOfAccount = db.prepare<[string, string], OrderRow>("SELECT * FROM dry_run_orders WHERE strategy = ? AND exchange = ? AND status = 'open' ORDER BY created_at, client_order_id");
    this.#openMarkets = db.prepare<[], WatchedMarket>(
      "SELECT exchange, market_type AS marketType, symbol, max(market_symbol) AS marketSymbol FROM dry_run_orders WHERE status = 'open' GROUP BY exchange, market_type, symbol",
    );
  }

  get(clientOrderId: string): SimulatedOrder | null {
    const row = this.#select.get(clientOrderId);
    return row ? toOrder(row) : null;
  }

  /** The open orders of every simulated account on one market, oldest first. */
  openOn(exchange: string, marketType: 'swap' | 'spot', symbol: string): SimulatedOrder[] {
    return this.#openOn.all(exchange, marketType, symbol).map(toOrder);
  }

  openOf(account: SimulatedAccountKey): SimulatedOrder[] {
    return this.#openOfAccount.all(account.strategy, account.exchange).map(toOrder);
  }

  /** Every market with an open order, for watching its price again after a restart. */
  openMarkets(): WatchedMarket[] {
    return this.#openMarkets.all();
  }
}
