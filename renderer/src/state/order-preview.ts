import type { EnginePreview } from './manual-order-flow.js';
import { formatTime } from './order-format.js';

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
  /** What the user should know before confirming. */
  notes: string[];
}

function signed(qty: string): string {
  return qty.startsWith('-') || qty === '0' ? qty : `+${qty}`;
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
    market: `${settled} on ${preview.exchange}, ${orderType}`,
    position,
    legs: preview.orders.map((leg) => ({ side: leg.side, type: leg.type, amount: leg.amount, price: leg.price ?? 'market', reduceOnly: leg.reduce_only })),
    notes,
  };
}
