import { DEFAULT_ACCOUNT } from '../../../shared/account-names.js';
import type { ProtectionReceipt } from '../../../shared/api-response.js';
import type { EnginePreview } from './manual-order-flow.js';
import { formatTime, groupThousands } from './order-format.js';

/** The engine's preview (POST /api/orders/preview), in the words and rows the manual form shows before the confirm. */
export interface PreviewView {
  mode: 'live' | 'dry-run';
  /** The engine's plan, e.g. "SAR: buy 3 to go from -1 to +2". */
  headline: string;
  /** What is traded where: "ETHUSDT (ETH/USDT:USDT) on bybit, Market". */
  market: string;
  /** The position the plan started from, or null for Buy and Sell (which do not read it). */
  position: string | null;
  /** Each order exactly as it would be sent. */
  legs: { side: 'buy' | 'sell'; type: string; amount: string; price: string; reduceOnly: boolean }[];
  /** How qty became the amount: "10 % of equity 10,000 USDT at 60,000 = 0.016 BTC"; null for a qty in the market's amount. */
  sizing: string | null;
  /** The stop-loss and take-profit the position would be held with, and how; null without protection. */
  protection: string | null;
  /** The leverage set on the account before the order; null: left as it is. */
  leverage: string | null;
  /** The margin mode the order needs; null: left as it is. */
  marginMode: string | null;
  /** What the user should know before confirming. */
  notes: string[];
}

function signed(qty: string): string {
  return qty.startsWith('-') || qty === '0' ? qty : `+${qty}`;
}

const n = groupThousands;

/** The engine's sizing receipt in words, with the inputs the engine used (its below-minimum message names the same). */
export function describeSizing(preview: Pick<EnginePreview, 'sizing' | 'units' | 'protection'>): string | null {
  const sizing = preview.sizing;
  if (!sizing) return null;
  const amountUnit = preview.units ? ` ${preview.units.amount}` : '';
  const valueCurrency = preview.units ? ` ${preview.units.value}` : '';
  const at = sizing.reference_price === null ? '' : ` at ${n(sizing.reference_price)}`;
  const basis = sizing.basis;
  const of = basis ? `${basis.kind === 'position' ? 'the position' : basis.kind === 'free' ? 'free balance' : 'equity'} ${n(basis.value)} ${basis.currency}` : '';
  let inputs: string;
  switch (sizing.unit) {
    case 'quote':
      inputs = `${n(sizing.input)}${valueCurrency}${at}`;
      break;
    case 'position_percent':
      inputs = `${n(sizing.input)} % of ${of}`;
      break;
    case 'risk_percent': {
      const stop = preview.protection?.stop_loss;
      inputs = `risking ${n(sizing.input)} % of ${of} to the stop-loss${stop ? ` ${n(stop)}` : ''}${at}`;
      break;
    }
    default:
      inputs = basis ? `${n(sizing.input)} % of ${of}${at}` : `${n(sizing.input)}${at}`;
  }
  const worth = sizing.notional !== null && sizing.unit !== 'quote' && sizing.unit !== 'position_percent' ? ` (worth ${n(sizing.notional)}${valueCurrency})` : '';
  return `${inputs} = ${n(sizing.amount)}${amountUnit}${worth}`;
}

/** The protective prices, on the tick, and who holds them. */
export function describeProtection(protection: ProtectionReceipt | undefined, where: { dry_run: boolean; exchange: string }): string | null {
  if (!protection) return null;
  const prices = [protection.stop_loss && `stop-loss ${n(protection.stop_loss)}`, protection.take_profit && `take-profit ${n(protection.take_profit)}`].filter(Boolean).join(' · ');
  const how = where.dry_run
    ? 'simulated by the dry run'
    : protection.style === 'attached'
      ? `sent with the order; ${where.exchange} holds them on the position`
      : `placed on ${where.exchange} as reduce-only conditional orders once the entry fills`;
  return `${prices} (from ${n(protection.reference_price)}), ${how}`;
}

/** Bybit's unified account holds one margin mode for every market, which apisify checks and never changes; Binance's is per market. */
function marginModeHow(preview: EnginePreview): string {
  if (preview.dry_run) return ` (a dry run sets nothing on ${preview.exchange})`;
  return preview.exchange.startsWith('bybit') ? `: checked before the order (Bybit holds it for the whole account; apisify never changes it)` : `: set on this market before the order where it differs`;
}

export function describePreview(preview: EnginePreview, requestedPrice: string | null): PreviewView {
  const mode = preview.dry_run ? 'dry-run' : 'live';
  const orderType = preview.order_type === 'limit' ? 'Limit' : 'Market';
  const settled = preview.market.toUpperCase() === preview.symbol.toUpperCase() ? preview.symbol : `${preview.symbol} (${preview.market})`;
  const where = preview.dry_run ? `the dry-run book of ${preview.strategy}` : preview.exchange;

  let position: string | null = null;
  if (preview.position) {
    const what = preview.position.kind === 'free_balance' ? `Free base balance now: ${preview.position.qty}` : `Position now: ${signed(preview.position.qty)}`;
    position = `${what} (read from ${where} at ${formatTime(preview.position.read_at)})`;
  }

  const notes: string[] = [];
  if (preview.skipped) notes.push('Nothing will be sent: confirming records the order in the journal as skipped.');
  if (preview.position) notes.push('If the position changes before you confirm, the engine reads it again and plans from what it finds then.');
  if (preview.dry_run) {
    notes.push(requestedPrice ? `DRY-RUN: simulated at ${requestedPrice}; nothing reaches ${preview.exchange}.` : `DRY-RUN: simulated at ${preview.exchange}'s live price; nothing reaches ${preview.exchange}.`);
  } else {
    notes.push(`LIVE: a real order goes to ${preview.exchange}.`);
    if (preview.order_type === 'market' && requestedPrice) notes.push('The price is not used for a live Market order.');
  }

  return {
    mode,
    headline: preview.plan,
    market: `${settled} on ${preview.exchange}${preview.account === DEFAULT_ACCOUNT ? '' : ` (account ${preview.account})`}, ${orderType}`,
    position,
    legs: preview.orders.map((leg) => ({ side: leg.side, type: leg.type, amount: leg.amount, price: leg.price ?? 'market', reduceOnly: leg.reduce_only })),
    sizing: describeSizing(preview),
    protection: describeProtection(preview.protection, preview),
    leverage: preview.leverage === undefined ? null : preview.dry_run ? `${n(preview.leverage)}x (a dry run sets nothing on ${preview.exchange})` : `${n(preview.leverage)}x, set on ${preview.exchange} before the order where the account's differs`,
    marginMode: preview.margin_mode === undefined ? null : `${preview.margin_mode}${marginModeHow(preview)}`,
    notes,
  };
}
