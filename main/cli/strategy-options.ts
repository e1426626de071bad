import type { Command } from 'commander';
import { EXCHANGE_NAMES, isExchangeName } from '../../shared/exchange-names.js';
import { parseSymbolList } from '../../shared/symbol-list.js';
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
    if (!choices.includes(value)) throw new UsageError(`${option}: expected ${choices.join(' or ')}, got ${JSON.stringify(text)}`);
    return value;
  };
}

/** "any" or nothing: no restriction. */
const ANY = new Set(['', 'any', 'all']);

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
