import { formatAmount } from '../../../shared/decimal.js';
import type { BalanceView, PositionView, ProtectiveOrderView } from '../../../shared/positions-api.js';
import { formatPrice, groupThousands } from './order-format.js';

/**
 * How a position and a balance read on the Positions page. Sizes and balances are the exchange's own
 * figures, only grouped in thousands; prices apisify or the exchange computed (entry averages, marks)
 * rounded for reading; what is unknown is a dash.
 */
export interface PositionRowView {
  key: string;
  symbol: string;
  side: 'long' | 'short';
  size: string;
  entry: string;
  mark: string;
  pnl: { text: string; tone: 'good' | 'bad' | 'muted' };
  /** "10x cross": the leverage and margin mode, either left out where the exchange did not say. */
  leverage: string;
  liquidation: string;
  /** Each protective order: "SL 59,100", with where it is held. */
  protection: { text: string; title: string }[];
  /** Who built it: "perp", or "perp 0.01", "alpha 0.02" and what was opened outside apisify. */
  builtBy: BuiltByPart[];
}

const DASH = '—';

function price(value: string | null): string {
  const text = formatPrice(value);
  return text === null ? DASH : groupThousands(text);
}

/** The currency a contract settles in, from its unified symbol ("BTC/USDT:USDT" settles in USDT); null when the symbol does not say. */
export function settleOf(symbol: string): string | null {
  const match = /:([A-Z0-9]+)(?:-|$)/i.exec(symbol);
  return match?.[1] ?? null;
}

function pnlOf(position: PositionView): PositionRowView['pnl'] {
  if (position.unrealizedPnl === null) return { text: DASH, tone: 'muted' };
  const value = Number(position.unrealizedPnl);
  const currency = settleOf(position.symbol);
  const text = `${value > 0 ? '+' : ''}${groupThousands(formatPrice(position.unrealizedPnl) ?? position.unrealizedPnl)}${currency ? ` ${currency}` : ''}`;
  return { text, tone: value > 0 ? 'good' : value < 0 ? 'bad' : 'muted' };
}

function protectionOf(order: ProtectiveOrderView, dryRun: boolean): { text: string; title: string } {
  const label = order.role === 'stop_loss' ? 'SL' : 'TP';
  const what = order.role === 'stop_loss' ? 'Stop-loss' : 'Take-profit';
  const held = dryRun ? 'simulated by the dry run' : order.orderId === null ? 'held by the exchange on the position (not placed by apisify)' : `order #${order.orderId}, ${order.status}`;
  return { text: `${label} ${groupThousands(order.triggerPrice)}`, title: `${what} at ${order.triggerPrice}: ${held}` };
}

/** One part of who built a position: a strategy and its share, or what was opened outside apisify (strategy null). */
export interface BuiltByPart {
  strategy: string | null;
  label: string;
}

/** The strategies whose fills built the position, with what is left over when it is more than theirs (traded outside apisify). */
export function builtBy(position: Pick<PositionView, 'strategies' | 'size' | 'side'>): BuiltByPart[] {
  const shares = position.strategies.filter((share) => Number(share.qty) !== 0);
  const signed = Number(position.size) * (position.side === 'long' ? 1 : -1);
  if (shares.length === 0) return [{ strategy: null, label: 'opened outside apisify' }];
  const theirs = shares.reduce((sum, share) => sum + Number(share.qty), 0);
  const rest = Number(formatAmount(signed - theirs));
  const only = shares[0];
  if (shares.length === 1 && only && rest === 0) return [{ strategy: only.strategy, label: only.strategy }];
  const parts: BuiltByPart[] = shares.map((share) => ({ strategy: share.strategy, label: `${share.strategy} ${groupThousands(share.qty.replace(/^-/, ''))}` }));
  if (rest !== 0 && Math.sign(rest) === Math.sign(signed)) parts.push({ strategy: null, label: `${groupThousands(formatAmount(Math.abs(rest)))} from outside apisify` });
  return parts;
}

export function positionRow(position: PositionView): PositionRowView {
  return {
    key: `${position.dryRun ? `dry-run/${position.strategy ?? ''}` : position.account}/${position.exchange}/${position.symbol}/${position.side}`,
    symbol: position.symbol,
    side: position.side,
    size: groupThousands(position.size),
    entry: price(position.entryPrice),
    mark: price(position.markPrice),
    pnl: pnlOf(position),
    leverage: [position.leverage === null ? null : `${position.leverage}x`, position.marginMode].filter((part) => part !== null).join(' ') || DASH,
    liquidation: price(position.liquidationPrice),
    protection: position.protection.map((order) => protectionOf(order, position.dryRun)),
    builtBy: builtBy(position),
  };
}

export interface BalanceRowView {
  key: string;
  wallet: string;
  currency: string;
  total: string;
  free: string;
  used: string;
}

const WALLETS: Record<NonNullable<BalanceView['wallet']>, string> = { unified: 'unified trading', futures: 'USDⓈ-M futures', spot: 'spot' };

function amount(value: string | null): string {
  return value === null ? DASH : groupThousands(value);
}

export function balanceRow(balance: BalanceView): BalanceRowView {
  const wallet = balance.wallet === null ? 'simulated' : WALLETS[balance.wallet];
  return { key: `${wallet}/${balance.currency}`, wallet, currency: balance.currency, total: amount(balance.total), free: amount(balance.free), used: amount(balance.used) };
}
