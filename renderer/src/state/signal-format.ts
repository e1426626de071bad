import type { SignalView } from '../../../shared/signal-view.js';

/** Who sent a signal, in words: the key's label and how it came, the manual form, or what is known of a stranger. */
export function signalSource(signal: SignalView): string {
  if (signal.source === 'manual') return 'manual';
  if (signal.keyLabel) return signal.source === 'tradingview' ? `${signal.keyLabel} (TradingView)` : signal.keyLabel;
  if (signal.source === 'tradingview') return 'TradingView';
  return signal.apikeyMasked ?? signal.clientAddress ?? 'unknown';
}

/** good: placed (or answered as a resend); bad: refused, or the order failed; working: still under way when answered. */
export function signalTone(signal: SignalView): 'good' | 'working' | 'bad' | 'muted' {
  if (signal.outcome === 'refused' || signal.status >= 400) return 'bad';
  if (signal.status === 202 || signal.code === 'submitted' || signal.code === 'received') return 'working';
  if (signal.code === 'skipped' || signal.code === 'duplicate') return 'muted';
  return 'good';
}

/** The answer as the table shows it: "403 strategy_disabled", "200 filled", "429 rate_limited ×37". */
export function signalAnswer(signal: SignalView): string {
  return `${signal.status} ${signal.code}${signal.count > 1 ? ` ×${signal.count}` : ''}`;
}
