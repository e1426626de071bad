// The exchanges' published REST rate limits, as the fake enforces them when started with
// `rateLimits: 'published'`, and the two kinds of window they are counted in. Each figure names
// the page it comes from (as read in 2025); where an exchange publishes no figure for an endpoint
// the fake uses, the table says so and only the IP-wide limit applies to it.

import type { ParsedRequest, Reply, Route } from './protocol.js';

export type RateLimitMode = 'off' | 'published';

/** A weight that depends on whether the request names one symbol. */
export interface BySymbol {
  withSymbol: number;
  withoutSymbol: number;
}

/** A weight that grows with the `limit` asked for: the first bound above it gives the weight, else `above`. */
export interface ByLimit {
  defaultLimit: number;
  steps: readonly { below: number; weight: number }[];
  above: number;
}

/** Bybit's per-UID limit for an endpoint: one figure, or one per category where they differ. */
export type BybitUidLimit = number | { linear: number; inverse: number; spot: number };

export interface BinanceOrderLimit {
  limit: number;
  windowMs: number;
  /** The response header that reports the count, and the interval's name in Binance's -1015 text. */
  header: string;
  interval: string;
}

export interface BinanceSectionLimits {
  /** REQUEST_WEIGHT per IP, counted in fixed intervals of the server's clock. */
  requestWeight: { limit: number; windowMs: number };
  /** ORDERS per account, in fixed intervals. */
  orders: readonly BinanceOrderLimit[];
  /** IP weight of each endpoint, by `METHOD path`. An endpoint missing here weighs 1. */
  weights: Readonly<Record<string, number | BySymbol | ByLimit>>;
  /** Endpoints that count as new orders. */
  orderPlacements: readonly string[];
}

export const PUBLISHED_LIMITS = {
  bybit: {
    // https://bybit-exchange.github.io/docs/v5/rate-limit, "IP Limit": 600 requests within a 5-second
    // window per IP; past it HTTP 403 "access too frequent", and the IP waits at least 10 minutes.
    ip: { limit: 600, windowMs: 5_000, banMs: 600_000 },
    // same page, "API Rate Limit": per UID, per endpoint, in a rolling one-second window; 10006
    // "Too many visits!" past it; X-Bapi-Limit, X-Bapi-Limit-Status, X-Bapi-Limit-Reset-Timestamp.
    uidWindowMs: 1_000,
    // same page, "API Rate Limit Table", unified trading account, default (non-PRO) level
    uid: {
      // Trade: create, amend and cancel 10/s on linear and inverse, 20/s on spot
      'POST /v5/order/create': { linear: 10, inverse: 10, spot: 20 },
      'POST /v5/order/amend': { linear: 10, inverse: 10, spot: 20 },
      'POST /v5/order/cancel': { linear: 10, inverse: 10, spot: 20 },
      'POST /v5/order/cancel-all': { linear: 10, inverse: 10, spot: 20 },
      // Trade: reads 50/s on every category
      'GET /v5/order/realtime': 50,
      'GET /v5/order/history': 50,
      'GET /v5/execution/list': 50,
      // Position
      'GET /v5/position/list': 50,
      'GET /v5/position/closed-pnl': 50,
      'POST /v5/position/set-leverage': 10,
      'POST /v5/position/trading-stop': 10,
      // Account
      'GET /v5/account/wallet-balance': 50,
      // No per-UID figure is taken for /v5/position/switch-mode, /v5/account/info,
      // /v5/account/fee-rate, /v5/user/query-api or /v5/asset/coin/query-info: only the IP limit
      // applies to them here.
    } satisfies Record<string, BybitUidLimit>,
  },
  binance: {
    futures: {
      // https://developers.binance.com/docs/derivatives/usds-margined-futures/general-info, "Limits";
      // the same figures in GET /fapi/v1/exchangeInfo rateLimits
      requestWeight: { limit: 2400, windowMs: 60_000 },
      orders: [
        { limit: 300, windowMs: 10_000, header: 'X-MBX-ORDER-COUNT-10S', interval: 'TEN_SECONDS' },
        { limit: 1200, windowMs: 60_000, header: 'X-MBX-ORDER-COUNT-1M', interval: 'MINUTE' },
      ],
      // each endpoint's page under https://developers.binance.com/docs/derivatives/usds-margined-futures/
      weights: {
        'GET /fapi/v1/ping': 1, // market-data/rest-api/Test-Connectivity
        'GET /fapi/v1/time': 1, // market-data/rest-api/Check-Server-Time
        'GET /fapi/v1/exchangeInfo': 1, // market-data/rest-api/Exchange-Information
        'GET /fapi/v1/ticker/24hr': { withSymbol: 1, withoutSymbol: 40 }, // market-data/rest-api/24hr-Ticker-Price-Change-Statistics
        'GET /fapi/v1/ticker/price': { withSymbol: 1, withoutSymbol: 2 }, // market-data/rest-api/Symbol-Price-Ticker
        'GET /fapi/v2/ticker/price': { withSymbol: 1, withoutSymbol: 2 }, // market-data/rest-api/Symbol-Price-Ticker-v2
        'GET /fapi/v1/ticker/bookTicker': { withSymbol: 2, withoutSymbol: 5 }, // market-data/rest-api/Symbol-Order-Book-Ticker
        'GET /fapi/v1/premiumIndex': { withSymbol: 1, withoutSymbol: 10 }, // market-data/rest-api/Mark-Price
        // market-data/rest-api/Kline-Candlestick-Data: limit [1,100) 1, [100,500) 2, [500,1000] 5, over 1000 10
        'GET /fapi/v1/klines': { defaultLimit: 500, steps: [{ below: 100, weight: 1 }, { below: 500, weight: 2 }, { below: 1001, weight: 5 }], above: 10 },
        // trade/rest-api/New-Order: "1 on 10s order rate limit, 1 on 1min order rate limit, 0 on IP rate limit"
        'POST /fapi/v1/order': 0,
        'GET /fapi/v1/order': 1, // trade/rest-api/Query-Order
        'DELETE /fapi/v1/order': 1, // trade/rest-api/Cancel-Order
        'GET /fapi/v1/openOrders': { withSymbol: 1, withoutSymbol: 40 }, // trade/rest-api/Current-All-Open-Orders
        'GET /fapi/v1/openOrder': 1, // trade/rest-api/Query-Current-Open-Order
        'DELETE /fapi/v1/allOpenOrders': 1, // trade/rest-api/Cancel-All-Open-Orders
        'GET /fapi/v2/positionRisk': 5, // trade/rest-api/Position-Information-V2
        'GET /fapi/v3/positionRisk': 5, // trade/rest-api/Position-Information-V3
        'GET /fapi/v1/positionSide/dual': 30, // account/rest-api/Get-Current-Position-Mode
        'POST /fapi/v1/positionSide/dual': 1, // trade/rest-api/Change-Position-Mode
        'POST /fapi/v1/leverage': 1, // trade/rest-api/Change-Initial-Leverage
        'GET /fapi/v1/leverageBracket': 1, // account/rest-api/Notional-and-Leverage-Brackets
        'GET /fapi/v2/balance': 5, // account/rest-api/Futures-Account-Balance-V2
        'GET /fapi/v3/balance': 5, // account/rest-api/Futures-Account-Balance-V3
        'GET /fapi/v2/account': 5, // account/rest-api/Account-Information-V2
        'GET /fapi/v3/account': 5, // account/rest-api/Account-Information-V3
        'POST /fapi/v1/listenKey': 1, // user-data-streams/Start-User-Data-Stream
        'PUT /fapi/v1/listenKey': 1, // user-data-streams/Keepalive-User-Data-Stream
        'DELETE /fapi/v1/listenKey': 1, // user-data-streams/Close-User-Data-Stream
        'POST /fapi/v1/marginType': 1, // trade/rest-api/Change-Margin-Type
        'GET /fapi/v1/userTrades': 5, // trade/rest-api/Account-Trade-List
        'GET /fapi/v1/commissionRate': 20, // account/rest-api/User-Commission-Rate
        // the algo (conditional) order endpoints: ccxt 4.5.84's api table costs, Binance's pages not read
        'POST /fapi/v1/algoOrder': 0,
        'GET /fapi/v1/algoOrder': 1,
        'DELETE /fapi/v1/algoOrder': 1,
        'GET /fapi/v1/openAlgoOrders': { withSymbol: 1, withoutSymbol: 40 },
        'GET /fapi/v1/allAlgoOrders': 5,
      },
      // a conditional order counts as an order when placed, as the fake reads the algo service
      orderPlacements: ['POST /fapi/v1/order', 'POST /fapi/v1/algoOrder'],
    },
    spot: {
      // https://developers.binance.com/docs/binance-spot-api-docs/rest-api/limits, and
      // GET /api/v3/exchangeInfo rateLimits: REQUEST_WEIGHT 6000 per minute, ORDERS 100 per
      // 10 seconds and 200 000 per day (per account)
      requestWeight: { limit: 6000, windowMs: 60_000 },
      orders: [
        { limit: 100, windowMs: 10_000, header: 'X-MBX-ORDER-COUNT-10S', interval: 'TEN_SECONDS' },
        { limit: 200_000, windowMs: 86_400_000, header: 'X-MBX-ORDER-COUNT-1D', interval: 'DAY' },
      ],
      // each endpoint's entry under https://developers.binance.com/docs/binance-spot-api-docs/rest-api/
      weights: {
        'GET /api/v3/ping': 1, // general-endpoints, Test connectivity
        'GET /api/v3/time': 1, // general-endpoints, Check server time
        'GET /api/v3/exchangeInfo': 20, // general-endpoints, Exchange information
        'GET /api/v3/ticker/24hr': { withSymbol: 2, withoutSymbol: 80 }, // market-data-endpoints, 24hr ticker
        'GET /api/v3/ticker/price': { withSymbol: 2, withoutSymbol: 4 }, // market-data-endpoints, Symbol price ticker
        'GET /api/v3/ticker/bookTicker': { withSymbol: 2, withoutSymbol: 4 }, // market-data-endpoints, Symbol order book ticker
        'GET /api/v3/klines': 2, // market-data-endpoints, Kline/Candlestick data
        'POST /api/v3/order': 1, // trading-endpoints, New order
        'GET /api/v3/order': 4, // account-endpoints, Query order
        'DELETE /api/v3/order': 1, // trading-endpoints, Cancel order
        'GET /api/v3/openOrders': { withSymbol: 6, withoutSymbol: 80 }, // account-endpoints, Current open orders
        'DELETE /api/v3/openOrders': 1, // trading-endpoints, Cancel all open orders on a symbol
        'GET /api/v3/account': 20, // account-endpoints, Account information
        'GET /api/v3/myTrades': 20, // account-endpoints, Account trade list
      },
      orderPlacements: ['POST /api/v3/order'],
    },
  },
} as const satisfies {
  bybit: unknown;
  binance: { futures: BinanceSectionLimits; spot: BinanceSectionLimits };
};

/** What a limiter says about one request: refused (with the answer), and headers for the answer either way. */
export interface LimitDecision {
  refusal?: Reply;
  headers?: Record<string, string>;
}

/**
 * An exchange's rate limiter in front of the routes. `beforeAuth` counts what the IP spends (any
 * request, routed or not); `afterAuth` what a signed request's account spends, once it is known.
 */
export interface RequestLimiter {
  beforeAuth(req: ParsedRequest, route: Route | undefined): LimitDecision;
  afterAuth(req: ParsedRequest, route: Route): LimitDecision;
}

/** Counts in a rolling window: how many events happened in the last `windowMs`. */
export class RollingWindow {
  private readonly times: number[] = [];
  private head = 0;

  constructor(readonly windowMs: number) {}

  /** Events in the window that ends at `now`. */
  count(now: number): number {
    this.expire(now);
    return this.times.length - this.head;
  }

  add(now: number): void {
    this.times.push(now);
  }

  /** When the oldest event in the window leaves it (a slot frees up); `now` for an empty window. */
  nextFree(now: number): number {
    this.expire(now);
    const oldest = this.times[this.head];
    return oldest === undefined ? now : oldest + this.windowMs;
  }

  private expire(now: number): void {
    while (this.head < this.times.length && (this.times[this.head] ?? 0) <= now - this.windowMs) this.head += 1;
    // drop the expired prefix now and then, so a long run keeps the array small
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times.splice(0, this.head);
      this.head = 0;
    }
  }
}

/** Counts in fixed intervals of the clock (Binance's: a minute runs from :00 to :59.999). */
export class FixedWindow {
  private interval = -1;
  private used = 0;

  constructor(readonly windowMs: number) {}

  count(now: number): number {
    this.roll(now);
    return this.used;
  }

  add(now: number, amount: number): number {
    this.roll(now);
    this.used += amount;
    return this.used;
  }

  /** When the current interval ends. */
  end(now: number): number {
    return (Math.floor(now / this.windowMs) + 1) * this.windowMs;
  }

  private roll(now: number): void {
    const interval = Math.floor(now / this.windowMs);
    if (interval !== this.interval) {
      this.interval = interval;
      this.used = 0;
    }
  }
}
