import type { FlattenAnswer } from '../../shared/flatten-api.js';
import { summarizeFlatten } from '../../shared/flatten-summary.js';

/**
 * The words of the tray's kill switch, as plain data: the native confirm that comes before it and the
 * dialog that reports what flatten did (the Positions page's summary, shared/flatten-summary.ts).
 */

export interface TrayQuestion {
  message: string;
  detail: string;
  /** Button labels; the first one cancels and is the default, so Enter or Esc does nothing. */
  buttons: [cancel: string, confirm: string];
}

export interface TrayOutcome {
  tone: 'info' | 'warning' | 'error';
  message: string;
  detail: string;
}

/** Native dialogs grow with their text; the rest is on the Positions page and in Live orders. */
const MAX_DETAIL_LINES = 15;

export const FLATTEN_ALL_QUESTION: TrayQuestion = {
  message: 'Flatten everything and pause trading?',
  detail: [
    'Trading is paused first: API and TradingView orders are refused until you resume.',
    'Then every open position on every exchange account (real money) and every dry run is closed at market, and their open orders are cancelled, stop-losses and take-profits included.',
    'This cannot be undone.',
  ].join('\n\n'),
  buttons: ['Cancel', 'Flatten all and pause'],
};

export function flattenOutcome(answer: FlattenAnswer): TrayOutcome {
  const summary = summarizeFlatten(answer);
  const shown = summary.lines.slice(0, MAX_DETAIL_LINES);
  const more = summary.lines.length - shown.length;
  return {
    tone: summary.tone === 'success' ? 'info' : summary.tone,
    message: summary.headline,
    detail: [...shown, ...(more > 0 ? [`… and ${more} more: see the Positions page and Live orders.`] : [])].join('\n'),
  };
}
