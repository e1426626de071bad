import { z } from 'zod';
import { EXCHANGE_NAMES } from './exchange-names.js';
import { STRATEGY_NAME_CHARACTERS, STRATEGY_NAME_MAX_LENGTH, STRATEGY_NAME_TEXT } from './strategy-name.js';

/** Inputs of the UI's own API (and the CLI), validated the same way on both sides. */
const name = z
  .string()
  .trim()
  .min(1, 'expected a non-empty name')
  .max(STRATEGY_NAME_MAX_LENGTH, `expected at most ${STRATEGY_NAME_MAX_LENGTH} characters`)
  .regex(STRATEGY_NAME_TEXT, `expected ${STRATEGY_NAME_CHARACTERS}`);

const strategyFields = {
  name,
  mode: z.enum(['live', 'dry-run']),
  marketType: z.enum(['swap', 'spot']),
  maxQty: z.number().positive().nullable(),
  symbols: z.array(z.string().trim().min(1).max(64)).max(200),
  exchanges: z.array(z.enum(EXCHANGE_NAMES)),
  enabled: z.boolean(),
};

export const strategyInputSchema = z.strictObject({
  ...strategyFields,
  marketType: strategyFields.marketType.default('swap'),
  maxQty: strategyFields.maxQty.default(null),
  symbols: strategyFields.symbols.default([]),
  exchanges: strategyFields.exchanges.default([]),
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

export const settingsChangesSchema = z.strictObject({
  host: z.string().trim().min(1).max(255).optional(),
  port: z.number().int().min(0).max(65535).optional(),
  tunnelPort: z.number().int().min(0).max(65535).optional(),
  publicUrl: z
    .string()
    .trim()
    .url()
    .refine((url) => /^https?:\/\//.test(url), 'expected an http(s) URL')
    .nullable()
    .optional(),
  trustProxyHeaders: z.boolean().optional(),
  signatureWindowMs: z.number().int().min(1_000).max(300_000).optional(),
  orderWaitMs: z.number().int().min(0).max(60_000).optional(),
  exchangeTimeoutMs: z.number().int().min(200).max(60_000).optional(),
  duplicateWindowMs: z.number().int().min(0).max(600_000).optional(),
  notifications: z.boolean().optional(),
  tradingViewAddressCheck: z.boolean().optional(),
  keyRatePerSecond: z.number().min(0).max(100_000).optional(),
  keyBurst: z.number().int().min(1).max(100_000).optional(),
  addressRatePerSecond: z.number().min(0).max(100_000).optional(),
  addressBurst: z.number().int().min(1).max(100_000).optional(),
});

export type StrategyInputBody = z.infer<typeof strategyInputSchema>;
export type SettingsChanges = z.infer<typeof settingsChangesSchema>;

/** The first problem, as "field: what was expected", for an ApiError. */
export function firstProblem(error: z.ZodError): { field: string | null; message: string } {
  const issue = error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.join('.') : null;
  return { field, message: `${field ?? 'body'}: ${issue?.message ?? 'invalid'}` };
}
