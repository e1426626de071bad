import type { Command } from 'commander';
import { EXCHANGE_NAMES, isExchangeName } from '../../shared/exchange-names.js';
import { STRATEGY_QTY_UNITS } from '../../shared/order-shaping-fields.js';
import { parseSymbolList } from '../../shared/symbol-list.js';
import { DEFAULT_STRATEGY_SHAPING } from '../../shared/api-types.js';
import type { StrategyInputBody } from '../../shared/ui-schemas.js';
import { UsageError } from './usage-error.js';

type Field = keyof StrategyInputBody;

/**
 * One row per strategy field that `strategy add` and `strategy edit` set: its option, its help, and how
 * the typed text becomes the field's value (or which mistake it is). A new strategy field is one more
 * row here; both commands, their help and their error messages follow.
 */
export interface StrategyOption {
  field: Field;
  /** Commander's flags, e.g. "--max-qty <qty>". */
  flags: string;
  /** The option as a user types it, for messages: "--max-qty". */
  option: string;
  description: string;
  /** strategy add's value when the option is not given. */
  addDefault?: string;
  parse(text: string): unknown;
}

function oneOf(option: string, choices: readonly string[]) {
  return (text: string): string => {
    const value = text.trim().toLowerCase();
    const listed = choices.length > 2 ? `${choices.slice(0, -1).join(', ')} or ${choices[choices.length - 1]}` : choices.join(' or ');
    if (!choices.includes(value)) throw new UsageError(`${option}: expected ${listed}, got ${JSON.stringify(text)}`);
    return value;
  };
}

/** "any" or nothing: no restriction. */
const ANY = new Set(['', 'any', 'all']);

const NONE = new Set(['', 'none']);

/**
 * A number typed for `option`: plain decimal digits (a whole number where `whole`), or `none` for a
 * setting that can be cleared. Its range is the schema's (shared/ui-schemas.ts), which the UI shares.
 */
function numberOption(option: string, what: string, { nullable, whole = false }: { nullable: boolean; whole?: boolean }) {
  return (text: string): number | null => {
    const typed = text.trim().toLowerCase();
    if (nullable && NONE.has(typed)) return null;
    const value = Number(typed);
    if (!(whole ? /^\d+$/ : /^\d*\.?\d+$/).test(typed) || !Number.isFinite(value)) {
      throw new UsageError(`${option}: expected ${what}${nullable ? ', or none' : ''}, got ${JSON.stringify(text)}`);
    }
    return value;
  };
}

/** A choice of words, or `none` to clear it. */
function oneOfOrNone(option: string, choices: readonly string[]) {
  const pick = oneOf(option, [...choices, 'none']);
  return (text: string): string | null => {
    const value = pick(text);
    return value === 'none' ? null : value;
  };
}

export const STRATEGY_OPTIONS: readonly StrategyOption[] = [
  {
    field: 'mode',
    flags: '--mode <mode>',
    option: '--mode',
    description: 'live (real orders on the exchange) or dry-run (simulated fills)',
    addDefault: 'dry-run',
    parse: oneOf('--mode', ['live', 'dry-run']),
  },
  {
    field: 'marketType',
    flags: '--market-type <type>',
    option: '--market-type',
    description: 'swap (perpetual) or spot: settles symbols that exist in both, such as BTCUSDT',
    addDefault: 'swap',
    parse: oneOf('--market-type', ['swap', 'spot']),
  },
  {
    field: 'maxQty',
    flags: '--max-qty <qty>',
    option: '--max-qty',
    description: 'the largest qty one order may ask for (for SAR, the target position; Close is never capped); none: no limit',
    parse(text) {
      if (['none', ''].includes(text.trim().toLowerCase())) return null;
      const value = Number(text.trim());
      if (!/^\d*\.?\d+$/.test(text.trim()) || !(value > 0) || !Number.isFinite(value)) throw new UsageError(`--max-qty: expected a number greater than 0, or none for no limit, got ${JSON.stringify(text)}`);
      return value;
    },
  },
  {
    field: 'symbols',
    flags: '--symbols <list>',
    option: '--symbols',
    description: 'the symbols it may trade, comma separated (BTCUSDT,ETHUSDT); any: every symbol',
    parse(text) {
      if (ANY.has(text.trim().toLowerCase())) return [];
      const list = parseSymbolList(text);
      if (!list.ok) throw new UsageError(`--symbols: ${list.message}`);
      return list.symbols;
    },
  },
  {
    field: 'exchanges',
    flags: '--exchanges <list>',
    option: '--exchanges',
    description: `the exchanges it may trade on, comma separated (${EXCHANGE_NAMES.join(', ')}); any: every one`,
    parse(text) {
      if (ANY.has(text.trim().toLowerCase())) return [];
      const names = text.split(',').map((name) => name.trim().toLowerCase());
      const wrong = names.find((name) => !isExchangeName(name));
      if (wrong !== undefined) throw new UsageError(`--exchanges: expected names from ${EXCHANGE_NAMES.join(', ')}, separated by commas, got ${JSON.stringify(wrong)}`);
      return [...new Set(names)];
    },
  },
  // How the strategy shapes its orders (README "Shaping an order"): defaults for a request that says nothing, and caps.
  {
    field: 'qtyUnit',
    flags: '--qty-unit <unit>',
    option: '--qty-unit',
    description: `how a request's qty counts when it sends no qty_unit: ${STRATEGY_QTY_UNITS.join(', ')} (base: the market's amount, as the spec has it)`,
    addDefault: DEFAULT_STRATEGY_SHAPING.qtyUnit,
    parse: oneOf('--qty-unit', STRATEGY_QTY_UNITS),
  },
  {
    field: 'maxNotional',
    flags: '--max-notional <value>',
    option: '--max-notional',
    description: "the largest value one order may have, in the market's quote currency (USDT; USD on inverse), after sizing: above it the order is refused, never made smaller; none: no limit",
    parse: numberOption('--max-notional', 'a number greater than 0', { nullable: true }),
  },
  {
    field: 'leverage',
    flags: '--leverage <x>',
    option: '--leverage',
    description: "the leverage set on the account before an order that opens or grows a position (never before one that reduces it); none: leave the account's own",
    parse: numberOption('--leverage', 'a number greater than 0', { nullable: true }),
  },
  {
    field: 'maxLeverage',
    flags: '--max-leverage <x>',
    option: '--max-leverage',
    description: 'the most leverage a request may ask for in its leverage field (also capped by the market); none: a request may ask for none',
    parse: numberOption('--max-leverage', 'a number greater than 0', { nullable: true }),
  },
  {
    field: 'marginMode',
    flags: '--margin-mode <mode>',
    option: '--margin-mode',
    description: "cross or isolated: the margin mode entries need (set per market on Binance; Bybit's unified account holds one for the whole account, so a mismatch is refused, never changed); none: leave the account as it is",
    parse: oneOfOrNone('--margin-mode', ['cross', 'isolated']),
  },
  {
    field: 'stopLossPercent',
    flags: '--stop-loss-percent <pct>',
    option: '--stop-loss-percent',
    description: 'a stop-loss this many percent from the reference price on every order that opens or grows a position and gives none itself; none: no default stop',
    parse: numberOption('--stop-loss-percent', 'a percent greater than 0', { nullable: true }),
  },
  {
    field: 'takeProfitPercent',
    flags: '--take-profit-percent <pct>',
    option: '--take-profit-percent',
    description: 'a take-profit this many percent from the reference price, as --stop-loss-percent; none: no default target',
    parse: numberOption('--take-profit-percent', 'a percent greater than 0', { nullable: true }),
  },
  {
    field: 'maxLag',
    flags: '--max-lag <seconds>',
    option: '--max-lag',
    description: 'how old (signal_time) a signal may be when its order is sent, for a request without max_lag; older ones are skipped (stale_signal); none: no limit',
    parse: numberOption('--max-lag', 'whole seconds from 1 to 86400', { nullable: true, whole: true }),
  },
  {
    field: 'onProtectionFailure',
    flags: '--on-protection-failure <what>',
    option: '--on-protection-failure',
    description: 'when a stop-loss or take-profit cannot be placed after the entry filled: keep the position (and say so) or close it at once',
    addDefault: DEFAULT_STRATEGY_SHAPING.onProtectionFailure,
    parse: oneOf('--on-protection-failure', ['keep', 'close']),
  },
  {
    field: 'dryRunBalance',
    flags: '--dry-run-balance <amount>',
    option: '--dry-run-balance',
    description: "the simulated account's starting balance in the settle currency (USDT) for a dry run, which percent sizing reads",
    addDefault: String(DEFAULT_STRATEGY_SHAPING.dryRunBalance),
    parse: numberOption('--dry-run-balance', 'a number greater than 0', { nullable: false }),
  },
];

export function addStrategyOptions(command: Command, forAdd: boolean): Command {
  for (const option of STRATEGY_OPTIONS) command.option(option.flags, forAdd && option.addDefault ? `${option.description} (default: ${option.addDefault})` : option.description);
  return command;
}

/** The fields the options set, parsed; with `forAdd`, the defaults fill the rest. */
export function strategyValues(options: Record<string, unknown>, forAdd: boolean): Partial<Record<Field, unknown>> {
  const values: Partial<Record<Field, unknown>> = {};
  for (const option of STRATEGY_OPTIONS) {
    const key = option.option.slice(2).replace(/-(\w)/g, (_match, letter: string) => letter.toUpperCase());
    const text = options[key];
    if (typeof text === 'string') values[option.field] = option.parse(text);
    else if (forAdd && option.addDefault !== undefined) values[option.field] = option.parse(option.addDefault);
  }
  return values;
}

/** The option that sets `field`, for a schema's message. */
export function optionOf(field: string | null): string {
  return STRATEGY_OPTIONS.find((option) => option.field === field)?.option ?? field ?? 'input';
}

/**
 * A schema's problem (shared/ui-schemas.ts, worded for the UI's JSON) as the command line says it: the
 * option as typed, and `none` where JSON says null.
 */
export function usageProblem(problem: { field: string | null; message: string }, nameOption: string): UsageError {
  const option = problem.field === 'name' ? nameOption : optionOf(problem.field);
  return new UsageError(`${option}: ${problem.message.replace(/^[^:]*: /, '').replace(/\bor null( for none)?\b/, 'or none')}`);
}
