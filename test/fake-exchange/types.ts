// Public types of the fake exchange. Tests import these; nothing here has behaviour.

import type { FeeOption } from './fees.js';

export type Venue = 'bybit' | 'binance';

/**
 * Market kind, named after Bybit's `category`. Binance USDⓈ-M futures are `linear`;
 * the fake has no Binance COIN-M markets.
 */
export type MarketKind = 'spot' | 'linear' | 'inverse';

/**
 * A wallet. Bybit is a unified trading account (one wallet for everything), Binance keeps
 * spot and USDⓈ-M futures wallets apart.
 */
export type Account = 'unified' | 'spot' | 'futures';

export type FailureKind =
  | 'insufficient_funds' // next order placements are refused for lack of funds (110007/170131, -2019/-2010)
  | 'rate_limit' // next requests are refused by the rate limiter (retCode 10006; HTTP 429 -1003)
  | 'server_error' // next requests get an HTTP 503 with a non-JSON body
  | 'auth' // next signed requests are refused as if the key were revoked (10003; -2015)
  | 'timeout_after_accept' // next order placements are executed, but the response is held back
  | 'unknown_after_accept' // next order placements are executed, then answered with the venue's "execution status unknown" error (10016; -1006)
  | 'hold_before_accept'; // next order placements (or, with `path`, any request there) wait before they execute; if the client goes away meanwhile, never

export interface FailureOptions {
  /** How many matching requests fail (default 1). */
  count?: number;
  /** timeout_after_accept and hold_before_accept only: how long the request is held (default 30 000 ms). */
  delayMs?: number;
  /**
   * Only requests to this exact path match (e.g. '/v5/order/create'). Without it, order
   * failures match any order placement and the others match any request (auth: any signed one).
   */
  path?: string;
  /** Only requests with this method match (e.g. 'GET': an order's look-ups at the path where it is placed). */
  method?: 'GET' | 'POST' | 'DELETE';
}

export type OrderStatus = 'open' | 'filled' | 'cancelled' | 'expired';

/** What the fake recorded about an accepted order (a copy; mutating it changes nothing). */
export interface FakeOrder {
  orderId: string;
  clientOrderId: string;
  /** Exchange market id, e.g. 'BTCUSDT'. */
  symbol: string;
  marketKind: MarketKind;
  side: 'buy' | 'sell';
  type: 'market' | 'limit';
  /** Requested quantity in base units (contracts for inverse); for quote-sized spot market orders the filled base quantity. */
  qty: number;
  /** Spot market orders sized in quote currency: the quote amount asked for. */
  quoteQty?: number;
  /** Limit price. */
  price?: number;
  reduceOnly: boolean;
  closeOnTrigger: boolean;
  /** 'both' in one-way mode; the hedge-mode leg otherwise. */
  positionSide: 'both' | 'long' | 'short';
  timeInForce: string;
  status: OrderStatus;
  filledQty: number;
  /** Average fill price, 0 while unfilled. */
  avgPrice: number;
  /** Trading fee paid, in feeCoin ('' until the order fills; 0 with zero fees). */
  fee: number;
  feeCoin: string;
  createdAt: number;
  updatedAt: number;
}

export interface FakePosition {
  symbol: string;
  marketKind: 'linear' | 'inverse';
  positionSide: 'both' | 'long' | 'short';
  /** Signed size: long > 0, short < 0 (contracts for inverse). */
  qty: number;
  entryPrice: number;
  leverage: number;
}

/** A request the fake received: method, exact path, and its query and body parameters merged. */
export interface RecordedRequest {
  method: string;
  path: string;
  params: Record<string, unknown>;
  /** When it arrived: epoch ms with sub-ms precision (performance.timeOrigin + performance.now()). */
  at: number;
  /** The API key it was sent with (Bybit X-BAPI-API-KEY, Binance X-MBX-APIKEY); null for public requests. */
  apiKey: string | null;
}

/**
 * A websocket failure a test asks for, until it asks for `null`.
 * refuse: upgrades are answered with HTTP 503 (the stream cannot connect); open connections are dropped.
 * auth: the stream refuses the credentials (Bybit `auth`, Binance WebSocket API subscribe, a futures
 *   listen key stream closed as soon as it opens); open connections are dropped.
 * silent: connections stay up but order changes are not pushed, as when a message is lost.
 */
export type WebsocketFailure = 'refuse' | 'auth' | 'silent';

export interface WebsocketStats {
  /** Upgrades accepted since the start. */
  connections: number;
  /** Upgrades refused: by failWebsockets('refuse'), or to an unknown path or listen key. */
  refused: number;
  /** Connections open now that receive order pushes (subscribed, or a futures user data stream). */
  subscribed: number;
  /** Order updates pushed, over all connections (Binance's ALGO_UPDATE of conditional orders included). */
  pushes: number;
  /** Position and balance updates pushed, over all connections (Bybit position/wallet, Binance ACCOUNT_UPDATE, outboundAccountPosition). */
  accountPushes: number;
  /** Ticker updates pushed on the public market streams (snapshots after a subscribe not counted). */
  tickerPushes: number;
  /**
   * What open connections are subscribed to, sorted: Bybit topics ('order', 'position', 'wallet',
   * 'tickers.BTCUSDT'), Binance market streams ('btcusdt@ticker'), 'userData' for a Binance user
   * data stream (a futures listen key stream, a WebSocket API subscription).
   */
  channels: string[];
}

export interface StartOptions {
  venue: Venue;
  apiKey: string;
  secret: string;
  /** 0 or absent: any free port. The server listens on 127.0.0.1 only. */
  port?: number;
  /**
   * 'published': the exchange's published REST rate limits are enforced (PUBLISHED_LIMITS in
   * rate-limits.ts), answered as the exchange answers, with its headers. Default 'off'.
   */
  rateLimits?: 'off' | 'published';
  /**
   * This many more linear perpetuals (Bybit linear, Binance USDⓈ-M), after the usual markets:
   * A1USDT, A2USDT, ... at 11, 12, ... USDT, tick 0.001, step and minimum 0.1, minimum value 5 USDT.
   * Default 0, at most 500.
   */
  extraMarkets?: number;
  /**
   * Trading fees: 'zero' (the default: balances stay exact sums), 'standard' (each exchange's
   * published base-tier maker / taker rates, STANDARD_FEES in fees.ts), or rates per market kind.
   */
  fees?: FeeOption;
  /**
   * A realistic network in between: every HTTP answer leaves this long after its request arrived
   * (the books change at arrival), and the websockets take half of it each way (pushes leave
   * roundTripMs / 2 after the change, a client's message is read roundTripMs / 2 after it came).
   * Default 0.
   */
  roundTripMs?: number;
  /** The exchange's clock runs this far ahead of the machine's (negative: behind); see setClockOffset. Default 0. */
  clockOffsetMs?: number;
}

export interface FakeExchange {
  readonly venue: Venue;
  /** http://127.0.0.1:PORT */
  readonly url: string;
  /**
   * Sets the last/mark price and fills resting limit orders the new price crosses.
   * Without `kind`, every market with this id gets the price (BTCUSDT is both spot and linear).
   */
  setPrice(symbolId: string, price: number, kind?: MarketKind): void;
  getPrice(symbolId: string, kind?: MarketKind): number;
  /** Sets a wallet balance. Without `account`, every wallet of the venue gets it. */
  setBalance(coin: string, amount: number, account?: Account): void;
  /** Wallet balance (fills and realised PnL included). Without `account`: Bybit's unified wallet, Binance's spot wallet. */
  getBalance(coin: string, account?: Account): number;
  /**
   * Sets a position on the contract market with this id. In hedge mode the sign picks the leg
   * (0 clears both legs unless `positionSide` is given).
   */
  setPosition(
    symbolId: string,
    signedQty: number,
    opts?: { entryPrice?: number; positionSide?: 'long' | 'short'; kind?: 'linear' | 'inverse' },
  ): void;
  positions(): FakePosition[];
  setHedgeMode(on: boolean): void;
  failNext(kind: FailureKind, opts?: FailureOptions): void;
  /**
   * The exchange's clock becomes the machine's plus `ms`: its time endpoints (/v5/market/time,
   * /fapi/v1/time, /api/v3/time), the timestamps it prints, and the window it checks signed requests
   * and websocket authentication against (Bybit 10002, Binance -1021) all read it.
   */
  setClockOffset(ms: number): void;
  /**
   * Binance USDⓈ-M: a triggered conditional order is pushed TRIGGERED at once, and its order reaches
   * the books `ms` later (then FINISHED, or EXPIRED if refused), as the algo service forwards it to
   * the matching engine. Default 0: in the same price change.
   */
  setTriggerLatency(ms: number): void;
  /**
   * The account's API key replaced, as when a user makes a new key and deletes the old one: from now
   * on requests and stream logins signed with the old key are refused as an unknown key.
   */
  setCredentials(apiKey: string, secret: string): void;
  /** Every order the fake accepted, oldest first. */
  createdOrders(): FakeOrder[];
  /** Requests received, all or for one exact path. Refused and failed requests count too. */
  requestCount(path?: string): number;
  /** The requests themselves, oldest first (e.g. to see whether an order was looked up by its id). */
  requests(path?: string): RecordedRequest[];
  /** How many requests the published rate limits refused (0 with rateLimits 'off'; failNext('rate_limit') not counted). */
  rateLimitRefusals(): number;
  /** Cancels an open order from the exchange's side, as the user would on the website. */
  cancelOrder(orderId: string): FakeOrder;
  /** Makes the websocket side fail (see WebsocketFailure); null ends the failure. */
  failWebsockets(kind: WebsocketFailure | null): void;
  /** Closes every open websocket (code 1001), as when the exchange restarts a stream server. */
  dropWebsockets(): void;
  websocketStats(): WebsocketStats;
  /** How many updates were pushed about one order (by its exchange order id). */
  orderPushes(orderId: string): number;
  close(): Promise<void>;
}
