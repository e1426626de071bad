import { formatAmount } from '../../../shared/decimal.js';
import type { OrderFields } from '../../../shared/order-request.js';

/** What the manual form knows of the strategy it is about to trade. */
export interface StrategyFacts {
  mode: 'live' | 'dry-run';
  marketType: 'swap' | 'spot';
  enabled: boolean;
  maxQty: number | null;
  exchanges: readonly string[];
  symbols: readonly string[];
}

export interface OrderPreview {
  /** One line, e.g. "buy 1 BTCUSDT at market". */
  headline: string;
  /** What happens, in order. */
  details: string[];
  /** Things the engine will likely refuse, or the user should know before confirming. */
  warnings: string[];
  /** Close and SAR: what is sent depends on the position when the order runs. */
  dependsOnPosition: boolean;
  mode: 'live' | 'dry-run' | 'unknown';
}

function at(fields: OrderFields): string {
  return fields.orderType === 'limit' && fields.price !== null ? `at limit ${formatAmount(fields.price)}` : 'at market';
}

function plain(symbol: string): string {
  return symbol.toUpperCase().replace(/\.P$/, '');
}

/**
 * The manual order's preview, in words. Buy and Sell say exactly what is sent; Close and SAR depend on
 * the position at the moment the order runs, so the preview says how, with examples, rather than guess.
 */
export function previewOrder(fields: OrderFields, strategy: StrategyFacts | null): OrderPreview {
  const details: string[] = [];
  const warnings: string[] = [];
  const qty = fields.qty === null ? null : formatAmount(fields.qty);
  const spot = strategy?.marketType === 'spot';
  let headline: string;
  let dependsOnPosition = false;

  switch (fields.intent) {
    case 'buy':
    case 'sell':
      headline = `${fields.intent} ${qty} ${fields.symbol} ${at(fields)}`;
      details.push(`One ${fields.orderType} order: ${fields.intent} ${qty} ${fields.symbol}${fields.orderType === 'limit' ? ` at ${formatAmount(fields.price ?? 0)}` : ''}.`);
      break;
    case 'close':
      dependsOnPosition = true;
      if (spot) {
        headline = `sell the free balance of ${fields.symbol} ${at(fields)}`;
        details.push('Close on spot sells the whole free balance of the base coin.', 'Nothing is sent when the balance is zero (the order is journaled as skipped).');
      } else {
        headline = `close the whole ${fields.symbol} position ${at(fields)}`;
        details.push(
          'What is sent depends on the position when the order runs:',
          'long → sell that amount, reduce-only; short → buy it back, reduce-only;',
          'flat → nothing is sent (the order is journaled as skipped).',
        );
      }
      if (fields.qty !== null) details.push('qty is ignored for Close: the whole position is closed.');
      break;
    case 'sarbuy':
    case 'sarsell': {
      dependsOnPosition = true;
      const sign = fields.intent === 'sarbuy' ? '+' : '-';
      const target = `${sign}${qty}`;
      headline = `stop and reverse to ${target} ${fields.symbol} ${at(fields)}`;
      const opposite = `${fields.intent === 'sarbuy' ? '-' : '+'}${qty}`;
      const size = fields.qty ?? 0;
      details.push(
        `The target position is ${target}; one order of (target − current position) is sent:`,
        `from flat → ${fields.intent === 'sarbuy' ? 'buy' : 'sell'} ${qty}; from ${opposite} → ${fields.intent === 'sarbuy' ? 'buy' : 'sell'} ${formatAmount(size * 2)};`,
        `already at ${target} → nothing is sent (journaled as skipped).`,
      );
      if (spot) warnings.push('Stop and reverse needs a derivatives market; this strategy trades spot, so the engine will refuse it.');
      break;
    }
  }

  if (!strategy) {
    warnings.push(`No strategy named ${fields.strategy} is known to this page; the engine will refuse the order if it does not exist.`);
  } else {
    if (strategy.mode === 'dry-run') {
      const price = fields.price === null ? null : formatAmount(fields.price);
      details.push(price ? `DRY-RUN: simulated at ${price}; nothing reaches ${fields.exchange}.` : `DRY-RUN: simulated; nothing reaches ${fields.exchange}.`);
      if (fields.orderType === 'market' && fields.price === null) {
        warnings.push('A dry-run Market order fills at the price you give; without one the engine refuses it unless it can read a live price.');
      }
    } else {
      details.push(`LIVE: a real order is sent to ${fields.exchange}.`);
    }
    if (!strategy.enabled) warnings.push(`Strategy ${fields.strategy} is disabled: the engine will refuse the order.`);
    if (strategy.exchanges.length > 0 && !strategy.exchanges.includes(fields.exchange)) {
      warnings.push(`Strategy ${fields.strategy} trades only on ${strategy.exchanges.join(', ')}.`);
    }
    if (strategy.symbols.length > 0 && !strategy.symbols.some((symbol) => plain(symbol) === plain(fields.symbol))) {
      warnings.push(`Strategy ${fields.strategy} trades only ${strategy.symbols.join(', ')}.`);
    }
    if (strategy.maxQty !== null && fields.qty !== null && fields.intent !== 'close' && fields.qty > strategy.maxQty) {
      warnings.push(`Strategy ${fields.strategy} allows at most ${formatAmount(strategy.maxQty)} per order.`);
    }
  }
  if (fields.orderType === 'market' && fields.price !== null && strategy?.mode === 'live') {
    details.push('The price is not used for a live Market order.');
  }
  return { headline, details, warnings, dependsOnPosition, mode: strategy?.mode ?? 'unknown' };
}
