// Binance's published limits enforced, per section (spot /api, USDⓈ-M /fapi): REQUEST_WEIGHT per
// IP and ORDERS per account, each counted in fixed intervals of the server's clock. Past a limit
// the answer is HTTP 429 with -1003 (weight) or -1015 (orders) and Retry-After; every answer of a
// section carries X-MBX-USED-WEIGHT-1M, and order placements their X-MBX-ORDER-COUNT-* counts.

import { errorReply } from './binance-routes.js';
import type { FakeClock } from './clock.js';
import { param, type ParsedRequest, type Route } from './protocol.js';
import { FixedWindow, PUBLISHED_LIMITS, type BinanceSectionLimits, type LimitDecision, type RequestLimiter } from './rate-limits.js';

interface SectionCounters {
  limits: BinanceSectionLimits;
  weight: FixedWindow;
  orders: FixedWindow[];
}

function counters(limits: BinanceSectionLimits): SectionCounters {
  return { limits, weight: new FixedWindow(limits.requestWeight.windowMs), orders: limits.orders.map((o) => new FixedWindow(o.windowMs)) };
}

function weightOf(limits: BinanceSectionLimits, key: string, req: ParsedRequest): number {
  const weight = limits.weights[key] ?? 1;
  if (typeof weight === 'number') return weight;
  if ('steps' in weight) {
    const limit = Number(param(req.params, 'limit') ?? weight.defaultLimit) || weight.defaultLimit;
    return weight.steps.find((step) => limit < step.below)?.weight ?? weight.above;
  }
  return param(req.params, 'symbol') === undefined ? weight.withoutSymbol : weight.withSymbol;
}

const retryAfter = (now: number, end: number): string => String(Math.max(1, Math.ceil((end - now) / 1000)));

export function binanceLimiter(clock: FakeClock): RequestLimiter {
  const futures = counters(PUBLISHED_LIMITS.binance.futures);
  const spot = counters(PUBLISHED_LIMITS.binance.spot);
  // /sapi and /dapi are limited apart from these two, and the fake does not count them
  const sectionOf = (path: string): SectionCounters | undefined =>
    path.startsWith('/fapi/') ? futures : path.startsWith('/api/') ? spot : undefined;

  return {
    beforeAuth(req: ParsedRequest, route: Route | undefined): LimitDecision {
      const section = sectionOf(req.path);
      if (section === undefined) return {};
      const now = clock.now();
      const weight = route === undefined ? 1 : weightOf(section.limits, `${route.method} ${route.path}`, req);
      const before = section.weight.count(now);
      // the request's weight counts even when it is refused: an IP that keeps asking stays over
      const used = section.weight.add(now, weight);
      const headers = { 'X-MBX-USED-WEIGHT-1M': String(used) };
      if (weight > 0 && before + weight > section.limits.requestWeight.limit) {
        const limit = section.limits.requestWeight.limit;
        return {
          refusal: errorReply(429, -1003, `Too many requests; current limit of IP(127.0.0.1) is ${limit} requests per minute. Please use the websocket for live updates to avoid polling the API.`),
          headers: { ...headers, 'Retry-After': retryAfter(now, section.weight.end(now)) },
        };
      }
      return { headers };
    },

    afterAuth(req: ParsedRequest, route: Route): LimitDecision {
      const section = sectionOf(req.path);
      if (section === undefined || !section.limits.orderPlacements.includes(`${route.method} ${route.path}`)) return {};
      const now = clock.now();
      const full = section.limits.orders.findIndex((o, i) => (section.orders[i]?.count(now) ?? 0) >= o.limit);
      if (full >= 0) {
        const limit = section.limits.orders[full];
        const window = section.orders[full];
        if (limit === undefined || window === undefined) return {};
        return {
          refusal: errorReply(429, -1015, `Too many new orders; current limit is ${limit.limit} orders per ${limit.interval}.`),
          headers: { 'Retry-After': retryAfter(now, window.end(now)) },
        };
      }
      const headers: Record<string, string> = {};
      section.limits.orders.forEach((o, i) => {
        headers[o.header] = String(section.orders[i]?.add(now, 1) ?? 0);
      });
      return { headers };
    },
  };
}
