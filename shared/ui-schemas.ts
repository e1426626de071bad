import { z } from 'zod';
import { DEFAULT_STRATEGY_SHAPING } from './api-types.js';
import { ACCOUNT_NAME_HINT, ACCOUNT_NAME_TEXT } from './account-names.js';
import { EXCHANGE_NAMES } from './exchange-names.js';
import { STRATEGY_QTY_UNITS } from './order-shaping-fields.js';
import { STRATEGY_NAME_CHARACTERS, STRATEGY_NAME_MAX_LENGTH, STRATEGY_NAME_TEXT } from './strategy-name.js';
import { SYMBOL_HINT, SYMBOL_MAX_LENGTH, SYMBOL_TEXT } from './symbol-list.js';

/** Inputs of the UI's own API (and the CLI), validated the same way on both sides. */
const name = z
  .string()
  .trim()
  .min(1, 'expected a non-empty name')
  .max(STRATEGY_NAME_MAX_LENGTH, `expected at most ${STRATEGY_NAME_MAX_LENGTH} characters`)
  .regex(STRATEGY_NAME_TEXT, `expected ${STRATEGY_NAME_CHARACTERS}`);

const symbol = z
  .string()
  .trim()
  .min(1, 'expected a symbol, got an empty one')
  .max(SYMBOL_MAX_LENGTH, `expected at most ${SYMBOL_MAX_LENGTH} characters`)
  .regex(SYMBOL_TEXT, `expected ${SYMBOL_HINT}`);

/** A number > 0 up to `max`, or null for none. */
function positiveOrNull(max: number, none: string) {
  const expected = `expected a number greater than 0 and at most ${max}, or null for ${none}`;
  return z.number(expected).positive(expected).max(max, expected).nullable();
}

/** How a strategy shapes its orders (shared/api-types.ts StrategyShaping), each with the message the UI and the CLI show. */
const shapingFields = {
  qtyUnit: z.enum(STRATEGY_QTY_UNITS, `expected one of ${STRATEGY_QTY_UNITS.join(', ')} (position_percent is for a Close's own qty_unit only)`),
  maxNotional: positiveOrNull(1e15, 'no limit'),
  leverage: positiveOrNull(1_000, "the account's own"),
  maxLeverage: positiveOrNull(1_000, 'none allowed from a request'),
  marginMode: z.enum(['cross', 'isolated'], 'expected cross or isolated, or null to leave the account as it is').nullable(),
  stopLossPercent: positiveOrNull(1_000, 'none'),
  takeProfitPercent: positiveOrNull(1_000, 'none'),
  maxLag: z.number('expected whole seconds from 1 to 86400, or null for no limit').int('expected whole seconds from 1 to 86400').min(1, 'expected whole seconds from 1 to 86400').max(86_400, 'expected whole seconds from 1 to 86400').nullable(),
  onProtectionFailure: z.enum(['keep', 'close'], 'expected keep or close'),
  dryRunBalance: z.number('expected a starting balance greater than 0').positive('expected a starting balance greater than 0').max(1e12, 'expected at most 1e12'),
};

const strategyFields = {
  ...shapingFields,
  name,
  mode: z.enum(['live', 'dry-run'], 'expected live or dry-run'),
  marketType: z.enum(['swap', 'spot'], 'expected swap or spot'),
  maxQty: z.number('expected a number greater than 0, or null for no limit').positive('expected a number greater than 0, or null for no limit').nullable(),
  symbols: z.array(symbol, 'expected a list of symbols').max(200, 'expected at most 200 symbols'),
  exchanges: z.array(z.enum(EXCHANGE_NAMES, `expected one of ${EXCHANGE_NAMES.join(', ')}`), 'expected a list of exchanges'),
  accounts: z.partialRecord(
    z.enum(EXCHANGE_NAMES, `expected exchanges from ${EXCHANGE_NAMES.join(', ')}`),
    z
      .array(z.string().regex(ACCOUNT_NAME_TEXT, `expected ${ACCOUNT_NAME_HINT}`), 'expected a list of account names, the default first')
      .max(20, 'expected at most 20 accounts per exchange')
      .refine((names) => new Set(names).size === names.length, 'expected each account once'),
    'expected the accounts per exchange, e.g. {"bybit": ["main", "sub2"]}',
  ),
  enabled: z.boolean('expected true or false'),
};

export const strategyInputSchema = z.strictObject({
  ...strategyFields,
  qtyUnit: shapingFields.qtyUnit.default(DEFAULT_STRATEGY_SHAPING.qtyUnit),
  maxNotional: shapingFields.maxNotional.default(DEFAULT_STRATEGY_SHAPING.maxNotional),
  leverage: shapingFields.leverage.default(DEFAULT_STRATEGY_SHAPING.leverage),
  maxLeverage: shapingFields.maxLeverage.default(DEFAULT_STRATEGY_SHAPING.maxLeverage),
  marginMode: shapingFields.marginMode.default(DEFAULT_STRATEGY_SHAPING.marginMode),
  stopLossPercent: shapingFields.stopLossPercent.default(DEFAULT_STRATEGY_SHAPING.stopLossPercent),
  takeProfitPercent: shapingFields.takeProfitPercent.default(DEFAULT_STRATEGY_SHAPING.takeProfitPercent),
  maxLag: shapingFields.maxLag.default(DEFAULT_STRATEGY_SHAPING.maxLag),
  onProtectionFailure: shapingFields.onProtectionFailure.default(DEFAULT_STRATEGY_SHAPING.onProtectionFailure),
  dryRunBalance: shapingFields.dryRunBalance.default(DEFAULT_STRATEGY_SHAPING.dryRunBalance),
  marketType: strategyFields.marketType.default('swap'),
  maxQty: strategyFields.maxQty.default(null),
  symbols: strategyFields.symbols.default([]),
  exchanges: strategyFields.exchanges.default([]),
  accounts: strategyFields.accounts.default({}),
  enabled: strategyFields.enabled.default(true),
});

/** Built from the fields without their defaults: zod applies a default even under .partial(), and a change must touch only what it names. */
export const strategyChangesSchema = z.strictObject(strategyFields).partial();

/**
 * A new API key. A TradingView key places orders with the key alone, so which strategies it may trade
 * is asked, never assumed: name them, or say `allStrategies` (an empty list then means every one).
 */
export const apiKeyInputSchema = z
  .strictObject({
    label: z.string().trim().min(1, 'expected a label').max(100, 'expected at most 100 characters'),
    tradingview: z.boolean().default(false),
    strategies: z.array(name).max(100).default([]),
    allStrategies: z.boolean().default(false),
    signBody: z.boolean().default(false),
  })
  .superRefine((input, context) => {
    if (input.allStrategies && input.strategies.length > 0) {
      context.addIssue({ code: 'custom', path: ['strategies'], message: 'expected either some strategies or every strategy, not both' });
    } else if (input.tradingview && !input.allStrategies && input.strategies.length === 0) {
      context.addIssue({ code: 'custom', path: ['strategies'], message: 'a TradingView key trades with the key alone: name the strategies it may trade, or allow every strategy explicitly' });
    }
  });

export const exchangeBaseUrlSchema = z
  .string()
  .trim()
  .url('expected a URL such as https://api.bybit.com')
  .refine((url) => /^https?:\/\//.test(url), 'expected an http(s) URL')
  .transform((url) => url.replace(/\/+$/, ''));

export const exchangeCredentialsSchema = z.strictObject({
  apiKey: z.string().trim().min(1, 'expected the exchange API key').max(256),
  secret: z.string().trim().min(1, 'expected the exchange API secret').max(512),
  baseUrl: exchangeBaseUrlSchema.nullable().optional(),
});

/** A whole number in [min, max], saying so in the words the UI and the CLI show. */
function wholeNumber(min: number, max: number) {
  const expected = `expected a whole number >= ${min} and <= ${max}`;
  return z.number(expected).int(expected).min(min, expected).max(max, expected);
}

function rate(max: number) {
  const expected = `expected a number >= 0 and <= ${max} (0 turns the limit off)`;
  return z.number(expected).min(0, expected).max(max, expected);
}

export const settingsChangesSchema = z.strictObject({
  host: z.string('expected an address such as 127.0.0.1').trim().min(1, 'expected an address such as 127.0.0.1').max(255, 'expected at most 255 characters').optional(),
  port: wholeNumber(0, 65535).optional(),
  tunnelPort: wholeNumber(0, 65535).optional(),
  // TradingView and every other internet sender reach the engine through it: plain http would carry
  // API keys in the clear, so only https is taken.
  publicUrl: z
    .string('expected an https URL, or null for none')
    .trim()
    .url('expected an https URL such as https://abc.trycloudflare.com')
    .refine((url) => /^https:\/\//i.test(url), 'expected an https URL such as https://abc.trycloudflare.com (http would send API keys in the clear)')
    .nullable()
    .optional(),
  trustProxyHeaders: z.boolean('expected true or false').optional(),
  signatureWindowMs: wholeNumber(1_000, 300_000).optional(),
  orderWaitMs: wholeNumber(0, 60_000).optional(),
  exchangeTimeoutMs: wholeNumber(200, 60_000).optional(),
  duplicateWindowMs: wholeNumber(0, 600_000).optional(),
  notifications: z.boolean('expected true or false').optional(),
  tradingViewAddressCheck: z.boolean('expected true or false').optional(),
  keyRatePerSecond: rate(100_000).optional(),
  keyBurst: wholeNumber(1, 100_000).optional(),
  addressRatePerSecond: rate(100_000).optional(),
  addressBurst: wholeNumber(1, 100_000).optional(),
  timeZone: z.enum(['local', 'utc'], 'expected local or utc').optional(),
  signalRetentionDays: wholeNumber(1, 3650).optional(),
});

export type StrategyInputBody = z.infer<typeof strategyInputSchema>;
export type SettingsChanges = z.infer<typeof settingsChangesSchema>;

/** The first problem, as "field: what was expected", for an ApiError. A field the body should not have is named as the field. */
export function firstProblem(error: z.ZodError): { field: string | null; message: string } {
  const issue = error.issues[0];
  if (issue?.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? '';
    const prefix = issue.path.length > 0 ? `${issue.path.join('.')}.` : '';
    return { field: `${prefix}${key}`, message: `${prefix}${key}: not a field this takes` };
  }
  const field = issue && issue.path.length > 0 ? issue.path.join('.') : null;
  return { field, message: `${field ?? 'body'}: ${issue?.message ?? 'invalid'}` };
}
