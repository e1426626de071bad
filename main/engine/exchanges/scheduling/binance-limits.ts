import { endpointKey, type ExchangeLimits, type Heard, headerNumber, type LimitCount, type LimitedRequest, restOfFixedWindow, retryAfterMs } from './exchange-limits.js';
import type { Charge, WindowRule } from './request-scheduler.js';

/**
 * Binance's published limits, for spot (https://developers.binance.com/docs/binance-spot-api-docs/rest-api/limits)
 * and USDⓈ-M futures (https://developers.binance.com/docs/derivatives/usds-margined-futures/general-info):
 * - request weight per IP and minute: spot 6,000, USDⓈ-M 2,400 (over it: 429, then a ban of 2 minutes to
 *   3 days for a client that keeps sending); spot also counts raw requests, 61,000 per 5 minutes;
 * - orders per account: spot 100 per 10 s and 200,000 per day; USDⓈ-M 300 per 10 s and 1,200 per minute.
 * Binance counts in fixed windows on its clock; a sliding window of the same length is never looser.
 * Each endpoint's weight is the one its documentation gives; one the table does not name weighs 5,
 * more than any single-symbol read listed here.
 *
 * Every answer says what Binance counted in the current window, other programs' requests from the IP
 * and orders on the account included (X-MBX-USED-WEIGHT-1M, X-MBX-ORDER-COUNT-10S/1M/1D): a window
 * it says is full is held until it ends. A 429 holds what it refused until its Retry-After ("failing
 * to back off after receiving 429s will result in an automated IP ban"), a 418 (the ban) everything.
 */
type Product = 'spot' | 'usdm';

interface Endpoint {
  /** Request weight, on the IP's limit. */
  weight: number | ((params: Readonly<Record<string, unknown>>) => number);
  /** `order` counts on the account's order limits; both are what a trader waits for (the `order` class). */
  trade?: 'order' | 'cancel';
}

const bySymbol = (withSymbol: number, without: number) => (params: Readonly<Record<string, unknown>>) => (params['symbol'] === undefined ? without : withSymbol);

const klineWeight = (params: Readonly<Record<string, unknown>>) => {
  const limit = Number(params['limit'] ?? 500);
  return limit < 100 ? 1 : limit < 500 ? 2 : limit <= 1000 ? 5 : 10;
};

const USDM: Readonly<Record<string, Endpoint>> = {
  'POST /fapi/v1/order': { weight: 0, trade: 'order' },
  'PUT /fapi/v1/order': { weight: 1, trade: 'order' },
  'DELETE /fapi/v1/order': { weight: 1, trade: 'cancel' },
  'POST /fapi/v1/batchOrders': { weight: 5, trade: 'order' },
  'DELETE /fapi/v1/allOpenOrders': { weight: 1, trade: 'cancel' },
  'POST /fapi/v1/algoOrder': { weight: 0, trade: 'order' },
  'DELETE /fapi/v1/algoOrder': { weight: 1, trade: 'cancel' },
  'GET /fapi/v1/algoOrder': { weight: 1 },
  'GET /fapi/v1/openAlgoOrders': { weight: bySymbol(1, 40) },
  'GET /fapi/v1/order': { weight: 1 },
  'GET /fapi/v1/openOrder': { weight: 1 },
  'GET /fapi/v1/openOrders': { weight: bySymbol(1, 40) },
  'GET /fapi/v1/allOrders': { weight: 5 },
  'GET /fapi/v1/userTrades': { weight: 5 },
  'GET /fapi/v2/positionRisk': { weight: 5 },
  'GET /fapi/v3/positionRisk': { weight: 5 },
  'GET /fapi/v1/positionSide/dual': { weight: 30 },
  'POST /fapi/v1/positionSide/dual': { weight: 1 },
  'POST /fapi/v1/leverage': { weight: 1 },
  'POST /fapi/v1/marginType': { weight: 1 },
  'GET /fapi/v1/leverageBracket': { weight: 1 },
  'GET /fapi/v1/commissionRate': { weight: 20 },
  'GET /fapi/v2/balance': { weight: 5 },
  'GET /fapi/v3/balance': { weight: 5 },
  'GET /fapi/v2/account': { weight: 5 },
  'GET /fapi/v3/account': { weight: 5 },
  'POST /fapi/v1/listenKey': { weight: 1 },
  'PUT /fapi/v1/listenKey': { weight: 1 },
  'DELETE /fapi/v1/listenKey': { weight: 1 },
  'GET /fapi/v1/exchangeInfo': { weight: 1 },
  'GET /fapi/v1/time': { weight: 1 },
  'GET /fapi/v1/ping': { weight: 1 },
  'GET /fapi/v1/ticker/24hr': { weight: bySymbol(1, 40) },
  'GET /fapi/v1/ticker/price': { weight: bySymbol(1, 2) },
  'GET /fapi/v2/ticker/price': { weight: bySymbol(1, 2) },
  'GET /fapi/v1/premiumIndex': { weight: bySymbol(1, 10) },
  'GET /fapi/v1/klines': { weight: klineWeight },
};

const SPOT: Readonly<Record<string, Endpoint>> = {
  'POST /api/v3/order': { weight: 1, trade: 'order' },
  'DELETE /api/v3/order': { weight: 1, trade: 'cancel' },
  'POST /api/v3/order/cancelReplace': { weight: 1, trade: 'order' },
  'DELETE /api/v3/openOrders': { weight: 1, trade: 'cancel' },
  'GET /api/v3/order': { weight: 4 },
  'GET /api/v3/openOrders': { weight: bySymbol(6, 80) },
  'GET /api/v3/allOrders': { weight: 20 },
  'GET /api/v3/myTrades': { weight: 20 },
  'GET /api/v3/account': { weight: 20 },
  'GET /api/v3/exchangeInfo': { weight: 20 },
  'GET /api/v3/time': { weight: 1 },
  'GET /api/v3/ping': { weight: 1 },
  'GET /api/v3/ticker/24hr': { weight: bySymbol(2, 80) },
  'GET /api/v3/ticker/price': { weight: bySymbol(2, 4) },
  'GET /api/v3/klines': { weight: 2 },
  'POST /api/v3/userDataStream': { weight: 2 },
  'PUT /api/v3/userDataStream': { weight: 2 },
};

const UNLISTED: Endpoint = { weight: 5 };

const MINUTE = 60_000;

const IP_WEIGHT: Readonly<Record<Product, WindowRule>> = {
  spot: { id: 'ip:binance-spot:weight', limit: 6_000, windowMs: MINUTE },
  usdm: { id: 'ip:binance-usdm:weight', limit: 2_400, windowMs: MINUTE },
};
const SPOT_RAW_REQUESTS: WindowRule = { id: 'ip:binance-spot:raw', limit: 61_000, windowMs: 5 * MINUTE };

/** The ban's shortest length, where a 418 carries no Retry-After. */
const BAN_MS = 2 * MINUTE;

/** An account's order rule, with the header Binance reports its count in. */
interface OrderRule extends WindowRule {
  readonly header: string;
}

function orderRules(product: Product, account: string): OrderRule[] {
  return product === 'spot'
    ? [
        { id: `account:${account}:spot:orders:10s`, limit: 100, windowMs: 10_000, header: 'x-mbx-order-count-10s' },
        { id: `account:${account}:spot:orders:1d`, limit: 200_000, windowMs: 24 * 60 * MINUTE, header: 'x-mbx-order-count-1d' },
      ]
    : [
        { id: `account:${account}:usdm:orders:10s`, limit: 300, windowMs: 10_000, header: 'x-mbx-order-count-10s' },
        { id: `account:${account}:usdm:orders:1m`, limit: 1_200, windowMs: MINUTE, header: 'x-mbx-order-count-1m' },
      ];
}

function productOf(path: string): Product {
  return path.startsWith('/fapi/') ? 'usdm' : 'spot';
}

function endpointOf(request: LimitedRequest): Endpoint {
  const table = productOf(request.path) === 'usdm' ? USDM : SPOT;
  return table[endpointKey(request)] ?? UNLISTED;
}

export function binanceLimits(): ExchangeLimits {
  const orderRulesByAccount = new Map<string, OrderRule[]>();
  const ordersOf = (product: Product, account: string): OrderRule[] => {
    const key = `${product}:${account}`;
    let rules = orderRulesByAccount.get(key);
    if (!rules) {
      rules = orderRules(product, account);
      orderRulesByAccount.set(key, rules);
    }
    return rules;
  };
  return {
    charges(request: LimitedRequest, account: string): Charge[] {
      const product = productOf(request.path);
      const endpoint = endpointOf(request);
      const weight = typeof endpoint.weight === 'function' ? endpoint.weight(request.params) : endpoint.weight;
      const charges: Charge[] = [];
      if (weight > 0) charges.push({ rule: IP_WEIGHT[product], weight });
      if (product === 'spot') charges.push({ rule: SPOT_RAW_REQUESTS, weight: 1 });
      if (endpoint.trade === 'order') for (const rule of ordersOf(product, account)) charges.push({ rule, weight: 1 });
      return charges;
    },
    isOrder: (request) => endpointOf(request).trade !== undefined,
    heard(request, account, answer): Heard {
      const retry = retryAfterMs(answer.headers);
      if (answer.status === 418) return { holds: [{ rules: 'all', forMs: retry ?? BAN_MS, why: 'banned this IP for sending past its limits (HTTP 418)' }], counts: [] };
      const product = productOf(request.path);
      const weightRule = IP_WEIGHT[product];
      const usedWeight = headerNumber(answer.headers, 'x-mbx-used-weight-1m');
      const orders = ordersOf(product, account);
      if (answer.status === 429) {
        // -1015 (orders) or -1003 (weight): the answer's used weight tells which, as the body would
        const weightSpent = usedWeight !== null ? usedWeight > weightRule.limit : endpointOf(request).trade !== 'order';
        const hold = weightSpent
          ? { rules: [weightRule], forMs: retry ?? restOfFixedWindow(answer.exchangeNow, MINUTE), why: "refused a request: this IP's request weight for the minute is used up (HTTP 429)" }
          : { rules: orders, forMs: retry ?? restOfFixedWindow(answer.exchangeNow, 10_000), why: "refused an order: the account's order count is at its limit (HTTP 429)" };
        return { holds: [hold], counts: [] };
      }
      // what Binance counted in its current windows, other programs' requests and orders included
      const counts: LimitCount[] = [];
      if (usedWeight !== null) counts.push({ rule: weightRule, used: usedWeight, forMs: restOfFixedWindow(answer.exchangeNow, MINUTE) });
      for (const rule of orders) {
        const count = headerNumber(answer.headers, rule.header);
        if (count !== null) counts.push({ rule, used: count, forMs: restOfFixedWindow(answer.exchangeNow, rule.windowMs) });
      }
      const holds = counts
        .filter((count) => count.used >= count.rule.limit)
        .map((count) => ({ rules: [count.rule], forMs: count.forMs, why: count.rule === weightRule ? `says this IP's request weight for the minute is used up (${count.used} of ${count.rule.limit})` : `says the account's orders are at their limit (${count.used} of ${count.rule.limit})` }));
      return { holds, counts };
    },
  };
}
