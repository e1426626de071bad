import { endpointKey, type ExchangeLimits, type LimitedRequest } from './exchange-limits.js';
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
  return {
    charges(request: LimitedRequest, account: string): Charge[] {
      const charges: Charge[] = [{ rule: IP_RULE, weight: 1 }];
      if (request.path.startsWith('/v5/market/')) return charges;
      const key = endpointKey(request);
      const figure = PER_UID_PER_SECOND[key] ?? DEFAULT_PRIVATE_PER_SECOND;
      if (typeof figure === 'number') {
        charges.push({ rule: ruleFor(`uid:${account}:${key}`, figure), weight: 1 });
      } else {
        const product = productOf(request.params);
        charges.push({ rule: ruleFor(`uid:${account}:${product}:${key}`, figure[product]), weight: 1 });
      }
      return charges;
    },
    isOrder: (request) => ORDER_ENDPOINTS.has(endpointKey(request)),
  };
}
