import type { ExchangeName } from '../../../shared/exchange-names.js';
import { parseSymbolList } from '../../../shared/symbol-list.js';
import { firstProblem, type StrategyInputBody, strategyChangesSchema, strategyInputSchema } from '../../../shared/ui-schemas.js';
import type { StrategyOverview } from './api-types.js';

/** The strategy form as typed. */
export interface StrategyForm {
  name: string;
  mode: 'live' | 'dry-run';
  marketType: 'swap' | 'spot';
  maxQty: string;
  /** Comma separated. */
  symbols: string;
  exchanges: ExchangeName[];
  enabled: boolean;
}

export const EMPTY_STRATEGY_FORM: StrategyForm = { name: '', mode: 'dry-run', marketType: 'swap', maxQty: '', symbols: '', exchanges: [], enabled: true };

export function strategyToForm(strategy: StrategyOverview): StrategyForm {
  return {
    name: strategy.name,
    mode: strategy.mode,
    marketType: strategy.marketType,
    maxQty: strategy.maxQty === null ? '' : String(strategy.maxQty),
    symbols: strategy.symbols.join(', '),
    exchanges: [...strategy.exchanges],
    enabled: strategy.enabled,
  };
}

type Problem = { ok: false; field: string | null; message: string };

function maxQtyOf(text: string): number | null | Problem {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  const value = Number(trimmed);
  if (!/^\d*\.?\d+$/.test(trimmed) || !(value > 0)) return { ok: false, field: 'maxQty', message: 'maxQty: expected a number greater than 0, or empty for no limit' };
  return value;
}

/** The body of POST /api/strategies, checked with the server's schema; the symbols as `apisify strategy add --symbols` reads them. */
export function strategyInput(form: StrategyForm): { ok: true; value: StrategyInputBody } | Problem {
  const maxQty = maxQtyOf(form.maxQty);
  if (maxQty !== null && typeof maxQty === 'object') return maxQty;
  const symbols = parseSymbolList(form.symbols);
  if (!symbols.ok) return { ok: false, field: 'symbols', message: `symbols: ${symbols.message}` };
  const result = strategyInputSchema.safeParse({
    name: form.name,
    mode: form.mode,
    marketType: form.marketType,
    maxQty,
    symbols: symbols.symbols,
    exchanges: form.exchanges,
    enabled: form.enabled,
  });
  if (!result.success) return { ok: false, ...firstProblem(result.error) };
  return { ok: true, value: result.data };
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item, index) => item === b[index]);
}

/** The body of PATCH /api/strategies/:name: only what changed. */
export function strategyChanges(original: StrategyOverview, form: StrategyForm): { ok: true; value: Partial<StrategyInputBody> } | Problem {
  const input = strategyInput(form);
  if (!input.ok) return input;
  const next = input.value;
  const changes: Partial<StrategyInputBody> = {};
  if (next.name !== original.name) changes.name = next.name;
  if (next.mode !== original.mode) changes.mode = next.mode;
  if (next.marketType !== original.marketType) changes.marketType = next.marketType;
  if (next.maxQty !== original.maxQty) changes.maxQty = next.maxQty;
  if (!sameList(next.symbols, original.symbols)) changes.symbols = next.symbols;
  if (!sameList([...next.exchanges].sort(), [...original.exchanges].sort())) changes.exchanges = next.exchanges;
  if (next.enabled !== original.enabled) changes.enabled = next.enabled;
  const checked = strategyChangesSchema.safeParse(changes);
  if (!checked.success) return { ok: false, ...firstProblem(checked.error) };
  return { ok: true, value: changes };
}
