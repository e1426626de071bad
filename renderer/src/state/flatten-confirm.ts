import type { FlattenRequest } from '../../../shared/flatten-api.js';
import type { OrderView } from '../../../shared/order-view.js';
import type { PositionView } from '../../../shared/positions-api.js';
import { countOf } from './plural.js';
import { groupTitle } from './positions-state.js';

/**
 * What a flatten will do, said before it is confirmed: which positions it closes at market (how many,
 * on which accounts, real money or dry run) and which open orders it cancels. The engine decides; this
 * names what the page shows of it.
 */
export type FlattenScope =
  | { kind: 'all' }
  | { kind: 'account'; exchange: string; account: string }
  | { kind: 'dry-run'; exchange: string; strategy: string }
  | { kind: 'strategy'; strategy: string };

export interface FlattenConfirm {
  title: string;
  /** The positions it closes, one line each. */
  closes: string[];
  /** What it cancels, in words. */
  cancels: string;
  /** Real money, dry run, or both, in words. */
  money: string;
  realMoney: boolean;
  /** Nothing is open there: confirming sends nothing. */
  nothing: boolean;
  confirmLabel: string;
  /** POST /api/flatten's body, without pause (the dialog's checkbox adds it). */
  request: FlattenRequest;
  /** Whether "pause first" starts ticked: yes for everything (the kill switch), no for a part. */
  pauseFirst: boolean;
}

const RESTING = new Set(['open', 'partially_filled']);

export function flattenRequest(scope: FlattenScope): FlattenRequest {
  switch (scope.kind) {
    case 'all':
      return {};
    case 'account':
      return { exchange: scope.exchange, account: scope.account };
    case 'dry-run':
      return { exchange: scope.exchange, strategy: scope.strategy };
    case 'strategy':
      return { strategy: scope.strategy };
  }
}

/** The positions the scope covers, as the page shows them (a strategy's: the ones its fills built, and its dry runs). */
export function positionsCovered(scope: FlattenScope, positions: readonly PositionView[]): PositionView[] {
  return positions.filter((position) => {
    switch (scope.kind) {
      case 'all':
        return true;
      case 'account':
        return !position.dryRun && position.exchange === scope.exchange && position.account === scope.account;
      case 'dry-run':
        return position.dryRun && position.exchange === scope.exchange && position.strategy === scope.strategy;
      case 'strategy':
        return position.dryRun ? position.strategy === scope.strategy : position.strategies.some((share) => share.strategy === scope.strategy && Number(share.qty) !== 0);
    }
  });
}

function ordersCovered(scope: FlattenScope, orders: readonly OrderView[]): OrderView[] {
  return orders.filter((order) => {
    if (!RESTING.has(order.status)) return false;
    switch (scope.kind) {
      case 'all':
        return true;
      case 'account':
        return !order.dryRun && order.exchange === scope.exchange && order.account === scope.account;
      case 'dry-run':
        return order.dryRun && order.exchange === scope.exchange && order.strategy === scope.strategy;
      case 'strategy':
        return order.strategy === scope.strategy;
    }
  });
}

function where(position: PositionView): string {
  return position.dryRun ? `dry run ${groupTitle(position)}` : groupTitle(position);
}

function closeLine(position: PositionView, scope: FlattenScope): string {
  const what = `${position.symbol} ${position.side} ${position.size} on ${where(position)}`;
  if (scope.kind !== 'strategy' || position.dryRun) return what;
  const share = position.strategies.find((item) => item.strategy === scope.strategy);
  const whole = position.strategies.length === 1 && share !== undefined && Math.abs(Number(share.qty)) === Number(position.size);
  return whole || !share ? what : `${what}: ${scope.strategy}'s share, ${share.qty.replace(/^-/, '')}`;
}

function titleOf(scope: FlattenScope): string {
  switch (scope.kind) {
    case 'all':
      return 'Flatten everything';
    case 'account':
      return `Flatten ${scope.exchange} · ${scope.account}`;
    case 'dry-run':
      return `Flatten the dry run ${scope.strategy} on ${scope.exchange}`;
    case 'strategy':
      return `Flatten strategy ${scope.strategy}`;
  }
}

/**
 * `openOrders`: the journal's open orders (GET /api/orders?status=open and partially_filled), or null
 * when they could not be read; `accounts`: every live account the page lists (for "everything").
 */
export function describeFlatten(scope: FlattenScope, positions: readonly PositionView[], openOrders: readonly OrderView[] | null, accounts: number): FlattenConfirm {
  const closing = positionsCovered(scope, positions);
  const resting = openOrders === null ? null : ordersCovered(scope, openOrders);
  const protective = closing.reduce((sum, position) => sum + position.protection.filter((order) => order.orderId !== null).length, 0);
  const live = closing.filter((position) => !position.dryRun);
  const liveAccounts = new Set(live.map((position) => `${position.exchange} · ${position.account}`));
  const dryRuns = closing.length - live.length;
  const liveOrders = resting?.filter((order) => !order.dryRun).length ?? 0;
  const realMoney = scope.kind === 'all' ? accounts > 0 || live.length > 0 : scope.kind === 'account' || live.length > 0 || liveOrders > 0;

  const cancelParts = [
    resting === null ? 'every resting order there (they could not be counted just now)' : resting.length > 0 ? `${countOf(resting.length, 'resting order', 'resting orders')} (${resting.map((order) => `#${order.id} ${order.symbol}`).join(', ')})` : null,
    protective > 0 ? `${countOf(protective, 'protective order', 'protective orders')} of what it closes, once it is flat` : null,
  ].filter((part): part is string => part !== null);
  const attached = closing.some((position) => position.protection.some((order) => order.orderId === null));
  const cancels = [cancelParts.length > 0 ? `Cancels ${cancelParts.join(' and ')}.` : 'No open order to cancel.', attached ? 'A stop or target the exchange holds on a position goes with it.' : null].filter(Boolean).join(' ');

  let money: string;
  if (!realMoney) money = 'DRY-RUN: simulated; nothing reaches the exchange.';
  else if (scope.kind === 'account') money = `LIVE: real market orders on ${scope.exchange} · ${scope.account}.`;
  else {
    const accountsText = liveAccounts.size > 0 ? [...liveAccounts].join(', ') : `every live account (${accounts})`;
    money = `LIVE: real market orders on ${accountsText}${dryRuns > 0 ? `, and ${countOf(dryRuns, 'simulated position', 'simulated positions')} of dry runs` : ''}.`;
  }

  const nothing = closing.length === 0 && resting !== null && resting.length === 0;
  return {
    title: titleOf(scope),
    closes: closing.map((position) => closeLine(position, scope)),
    cancels,
    money,
    realMoney,
    nothing,
    confirmLabel: nothing ? 'Flatten anyway' : `Close ${countOf(closing.length, 'position', 'positions')}${realMoney ? ' (LIVE)' : ''}`,
    request: flattenRequest(scope),
    pauseFirst: scope.kind === 'all',
  };
}
