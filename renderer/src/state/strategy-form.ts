import { DEFAULT_STRATEGY_SHAPING, type StrategyAccounts, type StrategyShaping } from '../../../shared/api-types.js';
import type { ExchangeName } from '../../../shared/exchange-names.js';
import { parseSymbolList } from '../../../shared/symbol-list.js';
import { firstProblem, type StrategyInputBody, strategyChangesSchema, strategyInputSchema } from '../../../shared/ui-schemas.js';
import type { StrategyOverview } from './api-types.js';
import { accountsBody, sameAccounts } from './strategy-accounts.js';

/** The strategy form as typed: numbers as text (empty: none, where a setting can be none). */
export interface StrategyForm {
  name: string;
  mode: 'live' | 'dry-run';
  marketType: 'swap' | 'spot';
  maxQty: string;
  /** Comma separated. */
  symbols: string;
  exchanges: ExchangeName[];
  /** The accounts it may use per exchange, each list in order, the first its default (strategy-accounts.ts). */
  accounts: StrategyAccounts;
  enabled: boolean;
  qtyUnit: StrategyShaping['qtyUnit'];
  maxNotional: string;
  leverage: string;
  maxLeverage: string;
  /** Empty: leave the account's margin mode as it is. */
  marginMode: '' | 'cross' | 'isolated';
  stopLossPercent: string;
  takeProfitPercent: string;
  maxLag: string;
  onProtectionFailure: StrategyShaping['onProtectionFailure'];
  dryRunBalance: string;
}

/** The form's fields typed as numbers, each as the server names it. */
const NUMBER_FIELDS = ['maxQty', 'maxNotional', 'leverage', 'maxLeverage', 'stopLossPercent', 'takeProfitPercent', 'maxLag', 'dryRunBalance'] as const;
type NumberField = (typeof NUMBER_FIELDS)[number];

/** What an empty number field means, in the words its message uses; the starting balance cannot be empty. */
const EMPTY_MEANS: Record<NumberField, string | null> = {
  maxQty: 'no limit',
  maxNotional: 'no limit',
  leverage: "the account's own",
  maxLeverage: 'none allowed from a request',
  stopLossPercent: 'none',
  takeProfitPercent: 'none',
  maxLag: 'no limit',
  dryRunBalance: null,
};

/** The fields of the form that have an input of their own, where a problem is shown. */
export const STRATEGY_FORM_FIELDS: readonly string[] = ['name', 'symbols', 'exchanges', 'accounts', ...NUMBER_FIELDS, 'qtyUnit', 'marginMode', 'onProtectionFailure'];

function numberText(value: number | null): string {
  return value === null ? '' : String(value);
}

export const EMPTY_STRATEGY_FORM: StrategyForm = {
  name: '',
  mode: 'dry-run',
  marketType: 'swap',
  maxQty: '',
  symbols: '',
  exchanges: [],
  accounts: {},
  enabled: true,
  qtyUnit: DEFAULT_STRATEGY_SHAPING.qtyUnit,
  maxNotional: numberText(DEFAULT_STRATEGY_SHAPING.maxNotional),
  leverage: numberText(DEFAULT_STRATEGY_SHAPING.leverage),
  maxLeverage: numberText(DEFAULT_STRATEGY_SHAPING.maxLeverage),
  marginMode: DEFAULT_STRATEGY_SHAPING.marginMode ?? '',
  stopLossPercent: numberText(DEFAULT_STRATEGY_SHAPING.stopLossPercent),
  takeProfitPercent: numberText(DEFAULT_STRATEGY_SHAPING.takeProfitPercent),
  maxLag: numberText(DEFAULT_STRATEGY_SHAPING.maxLag),
  onProtectionFailure: DEFAULT_STRATEGY_SHAPING.onProtectionFailure,
  dryRunBalance: numberText(DEFAULT_STRATEGY_SHAPING.dryRunBalance),
};

export function strategyToForm(strategy: StrategyOverview): StrategyForm {
  return {
    name: strategy.name,
    mode: strategy.mode,
    marketType: strategy.marketType,
    maxQty: numberText(strategy.maxQty),
    symbols: strategy.symbols.join(', '),
    exchanges: [...strategy.exchanges],
    accounts: Object.fromEntries(Object.entries(strategy.accounts).map(([exchange, names]) => [exchange, [...names]])),
    enabled: strategy.enabled,
    qtyUnit: strategy.qtyUnit,
    maxNotional: numberText(strategy.maxNotional),
    leverage: numberText(strategy.leverage),
    maxLeverage: numberText(strategy.maxLeverage),
    marginMode: strategy.marginMode ?? '',
    stopLossPercent: numberText(strategy.stopLossPercent),
    takeProfitPercent: numberText(strategy.takeProfitPercent),
    maxLag: numberText(strategy.maxLag),
    onProtectionFailure: strategy.onProtectionFailure,
    dryRunBalance: numberText(strategy.dryRunBalance),
  };
}

type Problem = { ok: false; field: string | null; message: string };

/** A number field's text as its value (null when empty and it may be none), or what is wrong with it. */
function numberOf(field: NumberField, text: string): number | null | Problem {
  const trimmed = text.trim();
  const none = EMPTY_MEANS[field];
  const expected = `${field}: expected a number greater than 0${none === null ? '' : `, or empty for ${none}`}`;
  if (trimmed === '') return none === null ? { ok: false, field, message: expected } : null;
  const value = Number(trimmed);
  if (!/^\d*\.?\d+$/.test(trimmed) || !(value > 0) || !Number.isFinite(value)) return { ok: false, field, message: `${expected}, got ${JSON.stringify(trimmed)}` };
  return value;
}

function isProblem(value: unknown): value is Problem {
  return typeof value === 'object' && value !== null && (value as { ok?: unknown }).ok === false;
}

/** The schema's problem in the form's words: an empty field is what JSON calls null. */
function formProblem(problem: { field: string | null; message: string }): Problem {
  return { ok: false, field: problem.field, message: problem.message.replace(/\bor null\b/, 'or empty') };
}

/** The body of POST /api/strategies, checked with the server's schema; the symbols as `apisify strategy add --symbols` reads them. */
export function strategyInput(form: StrategyForm): { ok: true; value: StrategyInputBody } | Problem {
  const numbers: Partial<Record<NumberField, number | null>> = {};
  for (const field of NUMBER_FIELDS) {
    const value = numberOf(field, form[field]);
    if (isProblem(value)) return value;
    numbers[field] = value;
  }
  const symbols = parseSymbolList(form.symbols);
  if (!symbols.ok) return { ok: false, field: 'symbols', message: `symbols: ${symbols.message}` };
  const result = strategyInputSchema.safeParse({
    name: form.name,
    mode: form.mode,
    marketType: form.marketType,
    symbols: symbols.symbols,
    exchanges: form.exchanges,
    accounts: accountsBody(form.accounts, form.exchanges),
    enabled: form.enabled,
    qtyUnit: form.qtyUnit,
    marginMode: form.marginMode === '' ? null : form.marginMode,
    onProtectionFailure: form.onProtectionFailure,
    ...numbers,
  });
  if (!result.success) return formProblem(firstProblem(result.error));
  return { ok: true, value: result.data };
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item, index) => item === b[index]);
}

/** Fields compared as values; the lists are compared apart (exchanges in any order). */
const SCALAR_FIELDS = ['name', 'mode', 'marketType', 'maxQty', 'enabled', ...(Object.keys(DEFAULT_STRATEGY_SHAPING) as (keyof StrategyShaping)[])] as const;

/** The body of PATCH /api/strategies/:name: only what changed. */
export function strategyChanges(original: StrategyOverview, form: StrategyForm): { ok: true; value: Partial<StrategyInputBody> } | Problem {
  const input = strategyInput(form);
  if (!input.ok) return input;
  const next = input.value;
  const changes: Record<string, unknown> = {};
  for (const field of SCALAR_FIELDS) if (next[field] !== original[field]) changes[field] = next[field];
  if (!sameList(next.symbols, original.symbols)) changes['symbols'] = next.symbols;
  if (!sameList([...next.exchanges].sort(), [...original.exchanges].sort())) changes['exchanges'] = next.exchanges;
  // as the form shows them: an account of an exchange it no longer trades on is not a change of its own
  if (!sameAccounts(next.accounts, accountsBody(original.accounts, next.exchanges))) changes['accounts'] = next.accounts;
  const checked = strategyChangesSchema.safeParse(changes);
  if (!checked.success) return formProblem(firstProblem(checked.error));
  return { ok: true, value: checked.data };
}
