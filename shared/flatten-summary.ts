import type { FlattenAnswer, FlattenClose } from './flatten-api.js';

/**
 * A flatten's answer in words, the same on the Positions page and in the tray's dialog: a headline
 * that says whether everything closed, then one line per Close, cancel count and failure.
 */
export interface FlattenSummary {
  tone: 'success' | 'warning' | 'error';
  headline: string;
  lines: string[];
}

const CLOSED = new Set(['filled', 'skipped']);

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

function closeLine(close: FlattenClose): string {
  const what = `${close.symbol} on ${close.exchange} · ${close.account} (${close.strategy})`;
  if (close.error !== null) return `${what}: NOT closed: ${close.error}`;
  if (close.status === 'skipped') return `${what}: already flat, nothing sent`;
  if (close.status === null || !CLOSED.has(close.status)) return `${what}: ${close.status ?? 'under way'}, see Live orders`;
  return `${what}: ${close.status}`;
}

/** Whether a Close is done: filled, or nothing left to close. */
export function closeDone(close: FlattenClose): boolean {
  return close.error === null && close.status !== null && CLOSED.has(close.status);
}

export function summarizeFlatten(answer: FlattenAnswer): FlattenSummary {
  const notDone = answer.closes.filter((close) => !closeDone(close));
  const failed = answer.closes.filter((close) => close.error !== null).length + answer.failures.length;
  const paused = answer.paused ? ' Trading is paused.' : '';
  const lines = [
    ...answer.closes.map(closeLine),
    ...(answer.cancelled.length > 0 ? [`${count(answer.cancelled.length, 'open order', 'open orders')} cancelled (${answer.cancelled.map((item) => `#${item.orderId} ${item.status}`).join(', ')})`] : []),
    ...answer.failures.map((failure) => `${failure.exchange} · ${failure.account}${failure.symbol ? ` ${failure.symbol}` : ''}: ${failure.message}`),
  ];
  if (answer.closes.length === 0 && answer.cancelled.length === 0 && answer.failures.length === 0) {
    return { tone: 'success', headline: `Nothing was open: no position closed, no order cancelled.${paused}`, lines };
  }
  const done = `${count(answer.closes.length - notDone.length, 'close', 'closes')} done, ${count(answer.cancelled.length, 'order', 'orders')} cancelled`;
  if (failed > 0) return { tone: 'error', headline: `Flatten did not finish: ${count(failed, 'failure', 'failures')}; ${done}.${paused}`, lines };
  if (notDone.length > 0) return { tone: 'warning', headline: `Flatten sent everything; ${count(notDone.length, 'close is', 'closes are')} still under way; ${done}.${paused}`, lines };
  return { tone: 'success', headline: `Flattened: ${done}.${paused}`, lines };
}
