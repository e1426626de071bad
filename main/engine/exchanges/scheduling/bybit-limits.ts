import { endpointKey, type ExchangeLimits, type Heard, type HeardAnswer, headerNumber, type LimitedRequest, type LimitHold, retryAfterMs } from './exchange-limits.js';
import type { Charge, WindowRule } from './request-scheduler.js';

/**
 * Bybit v5's published limits (https://bybit-exchange.github.io/docs/v5/rate-limit, default tier of a
 * unified trading account):
 * - per IP, every REST request: 600 in any 5 s (over it: HTTP 403 and a ban of 10 minutes or more);
 * - per UID and endpoint, in a rolling second: the table below (over it: retCode 10006). Trade endpoints
 *   are counted per product, derivatives (linear, inverse, option) apart from spot, as Bybit's own
 *   limit settings group them (bizType DERIVATIVES / SPOT).
 * Public market data counts against the IP limit only. A private endpoint this table does not name
 * gets 10/s, the lowest figure Bybit publishes for endpoints of that kind.
 *
 * Bybit's answers to private requests say how much of the account's window for that endpoint is left
 * (X-Bapi-Limit-Status) and when it resets (X-Bapi-Limit-Reset-Timestamp, on Bybit's clock): none left,
 * the endpoint is held until then, whoever spent it. A 403 is the IP's ban.
 */
const IP_RULE: WindowRule = { id: 'ip:bybit:all', limit: 600, windowMs: 5_000 };

type Product = 'derivatives' | 'spot';

/** Per second per UID; a pair when the figure differs by product. */
const PER_UID_PER_SECOND: Readonly<Record<string, number | Readonly<Record<Product, number>>>> = {
  'POST /v5/order/create': { derivatives: 10, spot: 20 },
  'POST /v5/order/amend': { derivatives: 10, spot: 10 },
  'POST /v5/order/cancel': { derivatives: 10, spot: 20 },
  'POST /v5/order/cancel-all': { derivatives: 1, spot: 20 },
  'POST /v5/order/create-batch': { derivatives: 10, spot: 20 },
  'POST /v5/order/amend-batch': { derivatives: 10, spot: 20 },
  'POST /v5/order/cancel-batch': { derivatives: 10, spot: 20 },
  'GET /v5/order/realtime': 50,
  'GET /v5/order/history': 50,
  'GET /v5/execution/list': 50,
  'GET /v5/position/list': 50,
  'GET /v5/position/closed-pnl': 50,
  'POST /v5/position/set-leverage': 10,
  'POST /v5/position/switch-isolated': 10,
  'POST /v5/position/switch-mode': 10,
  'POST /v5/position/trading-stop': 10,
  'GET /v5/account/wallet-balance': 50,
  'GET /v5/account/info': 50,
  'GET /v5/account/fee-rate': 10,
  'POST /v5/account/set-margin-mode': 5,
  'GET /v5/asset/coin/query-info': 5,
  'GET /v5/user/query-api': 10,
};

const DEFAULT_PRIVATE_PER_SECOND = 10;

/** "at least 10 minutes" (the IP limit's ban); the 403 carries no Retry-After. */
const IP_BAN_MS = 10 * 60_000;

const ORDER_ENDPOINTS = new Set(Object.keys(PER_UID_PER_SECOND).filter((key) => key.startsWith('POST /v5/order/')));

function productOf(params: Readonly<Record<string, unknown>>): Product {
  return params['category'] === 'spot' ? 'spot' : 'derivatives';
}

export function bybitLimits(): ExchangeLimits {
  const rules = new Map<string, WindowRule>();
  const ruleFor = (id: string, limit: number): WindowRule => {
    let rule = rules.get(id);
    if (!rule) {
      rule = { id, limit, windowMs: 1_000 };
      rules.set(id, rule);
    }
    return rule;
  };
  /** The account's rule for a private endpoint; null for public market data (the IP limit only). */
  const uidRuleOf = (request: LimitedRequest, account: string): WindowRule | null => {
    if (request.path.startsWith('/v5/market/')) return null;
    const key = endpointKey(request);
    const figure = PER_UID_PER_SECOND[key] ?? DEFAULT_PRIVATE_PER_SECOND;
    if (typeof figure === 'number') return ruleFor(`uid:${account}:${key}`, figure);
    const product = productOf(request.params);
    return ruleFor(`uid:${account}:${product}:${key}`, figure[product]);
  };
  return {
    charges(request: LimitedRequest, account: string): Charge[] {
      const uidRule = uidRuleOf(request, account);
      return uidRule === null ? [{ rule: IP_RULE, weight: 1 }] : [{ rule: IP_RULE, weight: 1 }, { rule: uidRule, weight: 1 }];
    },
    isOrder: (request) => ORDER_ENDPOINTS.has(endpointKey(request)),
    heard(request, account, answer): Heard {
      return { holds: holdsOf(request, uidRuleOf(request, account), answer), counts: [] };
    },
  };
}

/** Bybit reports only what is left of a rolling window, so its answers hold, never count. */
function holdsOf(request: LimitedRequest, uidRule: WindowRule | null, answer: HeardAnswer): LimitHold[] {
  if (answer.status === 403) return [{ rules: 'all', forMs: retryAfterMs(answer.headers) ?? IP_BAN_MS, why: "refused this IP (HTTP 403: Bybit's ban for too many requests, 10 minutes or more; or a region it serves no API to)" }];
  const left = headerNumber(answer.headers, 'x-bapi-limit-status');
  const resetAt = headerNumber(answer.headers, 'x-bapi-limit-reset-timestamp');
  if (uidRule !== null && left !== null && left <= 0 && resetAt !== null && resetAt > answer.exchangeNow) {
    return [{ rules: [uidRule], forMs: resetAt - answer.exchangeNow, why: `says this account's limit of ${uidRule.limit} a second for ${endpointKey(request)} is used up` }];
  }
  const retry = retryAfterMs(answer.headers);
  if (answer.status === 429 && retry !== null) return [{ rules: uidRule === null ? [IP_RULE] : [IP_RULE, uidRule], forMs: retry, why: 'refused a request for its rate limits (HTTP 429)' }];
  return [];
}
