import { z } from 'zod';
import { ACCOUNT_NAME_HINT, isAccountName } from './account-names.js';
import { EXCHANGE_NAMES, type ExchangeName, isExchangeName } from './exchange-names.js';
import { checkShapingCombinations, type ShapingFields, shapingFieldShape, toShapingFields, unusedShapingFields } from './order-shaping-fields.js';
import { type Ctx, describe, fail, type IssueCode, isBlank, isEmpty, optionalPositive } from './request-values.js';
import { needsQty, SIDE_VALUES, type SideIntent, sideIntentOf } from './sides.js';
import { STRATEGY_NAME_CHARACTERS, STRATEGY_NAME_MAX_LENGTH, STRATEGY_NAME_TEXT } from './strategy-name.js';
import { SYMBOL_HINT, SYMBOL_MAX_LENGTH, SYMBOL_TEXT } from './symbol-list.js';

/**
 * The one schema for an order request (spec: place-order.rst), used by the server for POST /v1/order
 * and by the renderer's manual order form: the spec's fields here, the optional shaping fields beyond
 * it in order-shaping-fields.ts. Every message names its field and what was expected, because a bot
 * author reads them in a log far from here.
 */

const HEX_SIGNATURE = /^[0-9a-fA-F]{64}$/;

function requiredText(field: string, maxLength: number, pattern?: RegExp, patternHint?: string) {
  return z.unknown().transform((raw, ctx): string => {
    if (raw === undefined) return fail(ctx, raw, `${field} is required`);
    if (typeof raw !== 'string') return fail(ctx, raw, `${field}: expected a string, got ${describe(raw)}`);
    const text = raw.trim();
    if (text === '') return fail(ctx, raw, `${field}: expected a non-empty string`);
    if (text.length > maxLength) return fail(ctx, raw, `${field}: expected at most ${maxLength} characters, got ${text.length}`);
    if (pattern && !pattern.test(text)) return fail(ctx, raw, `${field}: expected ${patternHint}, got ${describe(raw)}`);
    return text;
  });
}

const strategy = requiredText('strategy', STRATEGY_NAME_MAX_LENGTH, STRATEGY_NAME_TEXT, `a strategy name (${STRATEGY_NAME_CHARACTERS})`);

const exchange = z.unknown().transform((raw, ctx): ExchangeName => {
  const expected = `exchange: expected one of ${EXCHANGE_NAMES.join(', ')}`;
  if (raw === undefined) return fail(ctx, raw, 'exchange is required');
  if (typeof raw !== 'string') return fail(ctx, raw, `${expected}, got ${describe(raw)}`);
  const name = raw.trim().toLowerCase();
  return isExchangeName(name) ? name : fail(ctx, raw, `${expected}, got ${describe(raw)}`);
});

/** Optional (beyond the spec): which of the exchange's accounts, among those the strategy allows. Blank: the strategy's default. */
const account = z.unknown().transform((raw, ctx): string | null => {
  if (isEmpty(raw)) return null;
  if (typeof raw !== 'string' || !isAccountName(raw.trim())) return fail(ctx, raw, `account: expected ${ACCOUNT_NAME_HINT}, got ${describe(raw)}`);
  return raw.trim();
}).optional();

const orderType = z.unknown().transform((raw, ctx): 'market' | 'limit' => {
  if (raw === undefined) return fail(ctx, raw, 'order_type is required');
  const name = typeof raw === 'string' ? raw.trim().toLowerCase() : undefined;
  if (name === 'market' || name === 'limit') return name;
  return fail(ctx, raw, `order_type: expected Market or Limit, got ${describe(raw)}`);
});

const side = z.unknown().transform((raw, ctx): { side: string; intent: SideIntent } => {
  if (raw === undefined) return fail(ctx, raw, 'side is required');
  const intent = typeof raw === 'string' || (typeof raw === 'number' && Number.isInteger(raw)) ? sideIntentOf(raw) : undefined;
  if (!intent) return fail(ctx, raw, `side: expected one of ${SIDE_VALUES.join(', ')}, got ${describe(raw)}`);
  return { side: String(raw).trim(), intent };
});

const symbol = requiredText('symbol', SYMBOL_MAX_LENGTH, SYMBOL_TEXT, SYMBOL_HINT);

const memo = z.unknown().transform((raw, ctx): string => {
  if (typeof raw !== 'string') return fail(ctx, raw, `memo: expected a string, got ${describe(raw)}`);
  if (raw.length > 500) return fail(ctx, raw, `memo: expected at most 500 characters, got ${raw.length}`);
  return raw;
}).optional();

const apikey = requiredText('apikey', 128);

const timestamp = z.unknown().transform((raw, ctx): number => {
  const expected = 'timestamp: expected Unix time in milliseconds, e.g. 1649027013445';
  const value = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d{1,16}$/.test(raw.trim()) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(value) || value <= 0) return fail(ctx, raw, `${expected}, got ${describe(raw)}`);
  return value;
}).optional();

const sign = z.unknown().transform((raw, ctx): string => {
  if (typeof raw !== 'string' || !HEX_SIGNATURE.test(raw.trim())) {
    return fail(ctx, raw, `sign: expected the 64-character hex HMAC-SHA256 signature, got ${describe(raw)}`);
  }
  return raw.trim().toLowerCase();
}).optional();

const orderFieldShape = {
  strategy,
  exchange,
  account,
  order_type: orderType,
  qty: optionalPositive('qty'),
  side,
  symbol,
  price: optionalPositive('price'),
  memo,
  ...shapingFieldShape,
};

type OrderShapeOutput = z.output<z.ZodObject<typeof orderFieldShape>>;

/** Rules that join fields: Limit needs a price, every side but Close needs a qty (or a target), and the shaping fields' own. */
function checkCombinations(value: OrderShapeOutput, ctx: Ctx): void {
  if (value.order_type === 'limit' && value.price === undefined) {
    ctx.addIssue({ code: 'custom', path: ['price'], message: 'price is required when order_type is Limit', input: undefined, params: { missing: true } });
  }
  if (value.qty === undefined && value.target_position === undefined && needsQty(value.side.intent)) {
    ctx.addIssue({ code: 'custom', path: ['qty'], message: `qty is required for side ${value.side.side}`, input: undefined, params: { missing: true } });
  }
  checkShapingCombinations(value, ctx);
}

/**
 * A field the order does not use counts as absent when it says "nothing": Close needs no qty and a
 * Market order no price (docs/place-order.rst), and TradingView templates and bots often send 0 or null there
 * ({{strategy.order.contracts}} is 0 on an exit). A used field keeps its strict check: Buy with qty 0
 * is still refused, naming qty.
 */
function withoutUnusedBlanks(raw: unknown): unknown {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return raw;
  const body = raw as Record<string, unknown>;
  const side = body['side'];
  const intent = typeof side === 'string' || typeof side === 'number' ? sideIntentOf(side) : undefined;
  const orderType = body['order_type'];
  const market = typeof orderType === 'string' && orderType.trim().toLowerCase() === 'market';
  const unused = [...(intent === 'close' && isBlank(body['qty']) ? ['qty'] : []), ...(market && isBlank(body['price']) ? ['price'] : []), ...unusedShapingFields(body)];
  if (unused.length === 0) return raw;
  return Object.fromEntries(Object.entries(body).filter(([key]) => !unused.includes(key)));
}

/** The fields of an order, as the manual order form sends them. */
export const orderFieldsSchema = z.preprocess(withoutUnusedBlanks, z.strictObject(orderFieldShape).superRefine(checkCombinations));

/** The body of POST /v1/order: the order fields plus the caller's credentials. */
export const orderRequestSchema = z.preprocess(withoutUnusedBlanks, z.strictObject({ ...orderFieldShape, apikey, timestamp, sign }).superRefine(checkCombinations));

export interface OrderFields extends ShapingFields {
  strategy: string;
  exchange: ExchangeName;
  /** The exchange account the request picked; null: the strategy's default for the exchange. */
  account: string | null;
  orderType: 'market' | 'limit';
  /** null for Close, which closes whatever is open, and for a target position sent without one. */
  qty: number | null;
  /** The side as the request spelled it. */
  side: string;
  intent: SideIntent;
  symbol: string;
  price: number | null;
  memo: string | null;
}

export interface OrderCredentials {
  apikey: string;
  timestamp: number | null;
  sign: string | null;
}

export interface FieldError {
  code: IssueCode | 'unknown_field' | 'invalid_body';
  field: string | null;
  message: string;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: FieldError; errors: FieldError[] };

/** An unknown key is the sender's text: quoted in answers and the audit log, but never at any length. */
const QUOTED_KEY_MAX = 64;

function quotedKey(key: string): string {
  return key.length <= QUOTED_KEY_MAX ? key : `${key.slice(0, QUOTED_KEY_MAX)}… (${key.length} characters)`;
}

function toFieldError(issue: z.core.$ZodIssue): FieldError {
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.slice(0, 5).map((key) => JSON.stringify(quotedKey(key))).join(', ') + (issue.keys.length > 5 ? ` and ${issue.keys.length - 5} more` : '');
    const first = issue.keys[0];
    return { code: 'unknown_field', field: first === undefined ? null : quotedKey(first), message: `unknown field ${keys}: expected only the fields of the order API` };
  }
  if (issue.path.length === 0) {
    return { code: 'invalid_body', field: null, message: 'the body must be a JSON object with the order fields' };
  }
  const field = String(issue.path[0]);
  const missing = issue.code === 'custom' && issue.params?.['missing'] === true;
  const code = issue.code === 'custom' ? (issue.params?.['code'] as IssueCode | undefined) : undefined;
  return { code: code ?? (missing ? 'missing_field' : 'invalid_field'), field, message: issue.message };
}

function run<S extends z.ZodType, T>(schema: S, body: unknown, shape: (out: z.output<S>) => T): ParseResult<T> {
  const result = schema.safeParse(body);
  if (result.success) return { ok: true, value: shape(result.data) };
  const errors = result.error.issues.map(toFieldError);
  return { ok: false, error: errors[0] ?? { code: 'invalid_body', field: null, message: 'invalid order request' }, errors };
}

function toFields(out: z.output<typeof orderFieldsSchema>): OrderFields {
  return {
    strategy: out.strategy,
    exchange: out.exchange,
    account: out.account ?? null,
    orderType: out.order_type,
    qty: out.qty ?? null,
    side: out.side.side,
    intent: out.side.intent,
    symbol: out.symbol,
    price: out.price ?? null,
    memo: out.memo ?? null,
    ...toShapingFields(out),
  };
}

export function parseOrderFields(body: unknown): ParseResult<OrderFields> {
  return run(orderFieldsSchema, body, toFields);
}

export function parseOrderRequest(body: unknown): ParseResult<{ fields: OrderFields; credentials: OrderCredentials }> {
  return run(orderRequestSchema, body, (out) => ({
    fields: toFields(out),
    credentials: { apikey: out.apikey, timestamp: out.timestamp ?? null, sign: out.sign ?? null },
  }));
}
