// Bybit's published limits enforced: 600 requests per 5 s per IP (past it HTTP 403 and a ban of
// ten minutes), and per UID a rolling one-second budget for each endpoint in the table (per
// category for order endpoints), answered with retCode 10006 and the X-Bapi-Limit headers.

import { failAt } from './bybit-routes.js';
import type { FakeClock } from './clock.js';
import { param, textReply, type ParsedRequest, type Route } from './protocol.js';
import { PUBLISHED_LIMITS, RollingWindow, type BybitUidLimit, type LimitDecision, type RequestLimiter } from './rate-limits.js';

const LIMITS = PUBLISHED_LIMITS.bybit;
const UID_LIMITS: Readonly<Record<string, BybitUidLimit>> = LIMITS.uid;

export function bybitLimiter(clock: FakeClock): RequestLimiter {
  const ip = new RollingWindow(LIMITS.ip.windowMs);
  let bannedUntil = 0;
  const endpoints = new Map<string, RollingWindow>();

  return {
    beforeAuth(): LimitDecision {
      const now = clock.now();
      if (now < bannedUntil) return { refusal: textReply(403, 'access too frequent') };
      if (ip.count(now) >= LIMITS.ip.limit) {
        bannedUntil = now + LIMITS.ip.banMs;
        return { refusal: textReply(403, 'access too frequent') };
      }
      ip.add(now);
      return {};
    },

    afterAuth(req: ParsedRequest, route: Route): LimitDecision {
      const key = `${route.method} ${route.path}`;
      const figure = UID_LIMITS[key];
      if (figure === undefined) return {};
      const category = param(req.params, 'category');
      const limit =
        typeof figure === 'number'
          ? figure
          : category === 'spot' || category === 'linear' || category === 'inverse'
            ? figure[category]
            : Math.min(figure.linear, figure.inverse, figure.spot);
      const windowKey = typeof figure === 'number' ? key : `${key} ${String(category)}`;
      let window = endpoints.get(windowKey);
      if (window === undefined) {
        window = new RollingWindow(LIMITS.uidWindowMs);
        endpoints.set(windowKey, window);
      }
      const now = clock.now();
      const used = window.count(now);
      if (used >= limit) {
        const headers = { 'X-Bapi-Limit': String(limit), 'X-Bapi-Limit-Status': '0', 'X-Bapi-Limit-Reset-Timestamp': String(window.nextFree(now)) };
        return { refusal: failAt(now, 10006, 'Too many visits!'), headers };
      }
      window.add(now);
      return { headers: { 'X-Bapi-Limit': String(limit), 'X-Bapi-Limit-Status': String(limit - used - 1), 'X-Bapi-Limit-Reset-Timestamp': String(now) } };
    },
  };
}
