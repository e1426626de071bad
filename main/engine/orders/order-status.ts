import type { ExchangeOrderView, OrderStatus } from '../../../shared/order-view.js';

/**
 * An order's status from its entry legs': filled when all are, otherwise the least finished one
 * decides. Protective legs (a stop-loss, a take-profit) guard the position the entry opened and do
 * not change what became of the order itself.
 */
/** A stop-loss or take-profit leg: it guards the position its order's entry opened. */
export function isProtective(leg: { role?: ExchangeOrderView['role'] }): boolean {
  return leg.role === 'stop_loss' || leg.role === 'take_profit';
}

export function statusOfLegs(legs: readonly (Pick<ExchangeOrderView, 'status'> & { role?: ExchangeOrderView['role'] })[]): OrderStatus {
  const statuses = legs.filter((leg) => !isProtective(leg)).map((leg) => leg.status);
  if (statuses.length === 0) return 'error';
  if (statuses.every((status) => status === 'filled')) return 'filled';
  for (const pending of ['received', 'submitted', 'partially_filled', 'open'] as const) if (statuses.includes(pending)) return pending;
  if (statuses.includes('rejected')) return 'rejected';
  if (statuses.includes('error')) return 'error';
  if (statuses.includes('cancelled')) return 'cancelled';
  return statuses[statuses.length - 1] as OrderStatus;
}

export const FOLLOWED_STATUSES: readonly OrderStatus[] = ['submitted', 'open', 'partially_filled'];

/**
 * Whether every entry leg has ended and something filled: filled, or filled in part and then
 * cancelled. The position it opened then needs its conditional protection.
 */
export function entryEndedWithFill(legs: readonly (Pick<ExchangeOrderView, 'status' | 'filled'> & { role?: ExchangeOrderView['role'] })[]): boolean {
  const entries = legs.filter((leg) => !isProtective(leg));
  return entries.length > 0 && entries.every((leg) => leg.status !== 'received' && !FOLLOWED_STATUSES.includes(leg.status)) && entries.some((leg) => Number(leg.filled) > 0);
}
