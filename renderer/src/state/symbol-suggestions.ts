import type { MarketEntry, MarketsAnswer } from '../../../shared/manual-order-api.js';

/**
 * The manual form's symbol suggestions: the markets GET /api/markets lists for the strategy and exchange,
 * filtered as the user types. When that list cannot be had at all, the strategy's own symbols and those of
 * recent orders stand in, as bare entries.
 */

/** What the user typed, or a market's spelling, reduced to compare: BTC/USDT:USDT, btcusdt and BTCUSDT.P all meet. */
function squash(text: string): string {
  return text.trim().toUpperCase().replace(/\.P$/, '').replace(/[/:_\-\s]/g, '');
}

function spellings(entry: MarketEntry): string[] {
  return [entry.input, entry.id, entry.unified, entry.tradingView].filter((spelling): spelling is string => spelling !== null);
}

/** How well an entry answers what was typed: 0 the same market, 1 starts with it, 2 its base coin does, 3 contains it; null none. */
function rank(entry: MarketEntry, typed: string): number | null {
  const exact = typed.trim().toUpperCase();
  const wanted = squash(typed);
  if (wanted === '') return 3;
  const forms = spellings(entry);
  if (forms.some((form) => form.toUpperCase() === exact)) return 0;
  if (forms.some((form) => squash(form).startsWith(wanted))) return 1;
  if (entry.base !== null && entry.base.toUpperCase().startsWith(wanted)) return 2;
  if (forms.some((form) => squash(form).includes(wanted))) return 3;
  return null;
}

/** The entries worth showing for `typed`, best first (then by input), at most `limit`. */
export function filterSuggestions(entries: readonly MarketEntry[], typed: string, limit = 8): MarketEntry[] {
  return entries
    .map((entry) => ({ entry, rank: rank(entry, typed) }))
    .filter((item): item is { entry: MarketEntry; rank: number } => item.rank !== null)
    .sort((a, b) => a.rank - b.rank || a.entry.input.length - b.entry.input.length || a.entry.input.localeCompare(b.entry.input))
    .slice(0, limit)
    .map((item) => item.entry);
}

/** The market the typed symbol names exactly (any of its spellings), for its size rules; null when none does. */
export function marketOf(entries: readonly MarketEntry[], typed: string): MarketEntry | null {
  const wanted = typed.trim().toUpperCase();
  if (wanted === '') return null;
  return entries.find((entry) => spellings(entry).some((form) => form.toUpperCase() === wanted)) ?? null;
}

/** One line under a suggestion: its other spellings and what kind of market it is. */
export function describeEntry(entry: MarketEntry): string {
  const parts = [entry.unified, entry.tradingView].filter((part): part is string => part !== null && part !== entry.input);
  if (entry.type === 'spot') parts.push('spot');
  else if (entry.contract) parts.push(`${entry.contract} perpetual`);
  if (entry.minAmount !== null) parts.push(`min ${entry.minAmount}`);
  return parts.join(' · ');
}

/** The qty hint for a chosen market: its minimum and step, in the unit the exchange counts. */
export function sizeRules(entry: MarketEntry | null): string | null {
  if (!entry || (entry.minAmount === null && entry.amountStep === null)) return null;
  const unit = entry.contract === 'inverse' ? ' USD contracts' : entry.base ? ` ${entry.base}` : '';
  const rules = [entry.minAmount !== null ? `min ${entry.minAmount}` : null, entry.amountStep !== null ? `step ${entry.amountStep}` : null].filter(Boolean).join(', ');
  return `${entry.input}: ${rules}${unit}; a qty between steps is rounded down`;
}

/** Stand-ins when /api/markets cannot answer: the strategy's symbols, then those of recent orders, each once. */
export function localSuggestions(strategySymbols: readonly string[], recentSymbols: readonly string[], type: MarketEntry['type']): MarketEntry[] {
  const seen = new Set<string>();
  const entries: MarketEntry[] = [];
  for (const symbol of [...strategySymbols, ...recentSymbols]) {
    const key = symbol.trim().toUpperCase();
    if (key === '' || seen.has(key)) continue;
    seen.add(key);
    entries.push({ input: symbol.trim(), id: null, unified: null, tradingView: null, base: null, quote: null, type, contract: null, minAmount: null, amountStep: null });
  }
  return entries;
}

/**
 * Where the suggestions come from, in words, with the engine's note when it has one. When the exchange
 * could not be read, it says so plainly (the engine's reason, which may quote the exchange's own error, is
 * for the hover: sourceDetail), and a strategy without an allow-list is said to allow any symbol.
 */
export function describeSource(answer: MarketsAnswer | null, failure: string | null): string {
  if (!answer) return failure ? `Suggestions from the strategy and recent orders (the exchange's markets are unavailable: ${failure})` : 'Suggestions from the strategy and recent orders';
  if (answer.source === 'strategy') {
    return answer.markets.length > 0
      ? `${answer.exchange}'s markets could not be read: suggesting this strategy's allowed symbols`
      : `${answer.exchange}'s markets could not be read, and this strategy allows any symbol: type it as the exchange names it (e.g. BTCUSDT)`;
  }
  const count = `${answer.markets.length} ${answer.marketType === 'spot' ? 'spot' : 'perpetual'} market${answer.markets.length === 1 ? '' : 's'}`;
  const from = answer.source === 'account' ? `${count} on your ${answer.exchange} account` : `${count} from ${answer.exchange}'s public list`;
  return answer.note ? `${from}. ${capitalize(answer.note)}` : from;
}

/** The engine's full reason when the exchange could not be read, for whoever wants it. */
export function sourceDetail(answer: MarketsAnswer | null): string | undefined {
  return answer?.source === 'strategy' && answer.note ? answer.note : undefined;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Moves the highlighted suggestion with the arrow keys, wrapping; -1 is none. */
export function moveHighlight(current: number, count: number, delta: 1 | -1): number {
  if (count === 0) return -1;
  if (current < 0) return delta === 1 ? 0 : count - 1;
  return (current + delta + count) % count;
}
