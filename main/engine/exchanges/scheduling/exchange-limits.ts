import type { Charge } from './request-scheduler.js';

/** One REST request as the limits see it: `path` is the URL's path, e.g. `/fapi/v1/order`. */
export interface LimitedRequest {
  method: string;
  path: string;
  params: Readonly<Record<string, unknown>>;
}

/**
 * What one exchange's published limits charge a request. `account` keys the per-account (UID) rules;
 * the rules per IP are shared by every account that talks to the same host, since they share one
 * scheduler (scheduler-registry.ts).
 */
export interface ExchangeLimits {
  charges(request: LimitedRequest, account: string): Charge[];
  /** Places, changes or cancels an order: what the `order` class is for. */
  isOrder(request: LimitedRequest): boolean;
}

/** "METHOD /path" -> a value, with one fallback for what the table does not name. */
export function endpointKey(request: Pick<LimitedRequest, 'method' | 'path'>): string {
  return `${request.method.toUpperCase()} ${request.path}`;
}
