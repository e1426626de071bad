import fc from 'fast-check';

/**
 * Arbitraries over the order request (spec: docs/place-order.rst; docs/architecture.md, "The rules the code keeps"), written from
 * the spec rather than from shared/order-request.ts, so the properties check the schema against the
 * spec instead of against itself.
 */

export const EXCHANGES = ['bybit', 'bybit_testnet', 'binance', 'binance_testnet'] as const;

/** Each spelling of a side the spec lists, and what it means. */
const SIDES: readonly [string, string][] = [
  ['Buy', 'buy'],
  ['Long', 'buy'],
  ['1', 'buy'],
  ['Sell', 'sell'],
  ['Short', 'sell'],
  ['-1', 'sell'],
  ['Close', 'close'],
  ['0', 'close'],
  ['Sarbuy', 'sarbuy'],
  ['2', 'sarbuy'],
  ['Sarsell', 'sarsell'],
  ['-2', 'sarsell'],
];
const SIDE_SPELLINGS = new Set(SIDES.map(([side]) => side.toLowerCase()));

export const ORDER_FIELDS = ['strategy', 'exchange', 'order_type', 'qty', 'side', 'symbol', 'price', 'memo'] as const;
export const CREDENTIAL_FIELDS = ['apikey', 'timestamp', 'sign'] as const;
/** The optional order-shaping fields beyond the spec (README "Shaping an order"). */
export const SHAPING_FIELDS = ['qty_unit', 'target_position', 'leverage', 'stop_loss', 'take_profit', 'stop_loss_percent', 'take_profit_percent', 'signal_time', 'max_lag', 'reduce_only'] as const;
/** Required whatever the side and order type. */
export const REQUIRED_FIELDS = ['strategy', 'exchange', 'order_type', 'side', 'symbol', 'apikey'];
export const KNOWN_FIELDS: ReadonlySet<string> = new Set([...ORDER_FIELDS, ...SHAPING_FIELDS, ...CREDENTIAL_FIELDS]);

const QTY_UNITS = ['base', 'quote', 'equity_percent', 'available_percent', 'risk_percent', 'position_percent'] as const;
type QtyUnit = (typeof QTY_UNITS)[number];

/** What the shaping fields of a request mean; null where the request does not say. */
export interface ExpectedShaping {
  qtyUnit: QtyUnit | null;
  targetPosition: number | null;
  leverage: number | null;
  stopLoss: number | null;
  takeProfit: number | null;
  stopLossPercent: number | null;
  takeProfitPercent: number | null;
  signalTime: number | null;
  maxLag: number | null;
  reduceOnly: boolean | null;
}

export const NO_SHAPING_MEANT: ExpectedShaping = {
  qtyUnit: null,
  targetPosition: null,
  leverage: null,
  stopLoss: null,
  takeProfit: null,
  stopLossPercent: null,
  takeProfitPercent: null,
  signalTime: null,
  maxLag: null,
  reduceOnly: null,
};

/** What a valid request must parse to. */
export interface ExpectedOrder extends ExpectedShaping {
  strategy: string;
  exchange: string;
  /** The optional account beyond the spec: null when none (or a blank one) was sent. */
  account: string | null;
  orderType: 'market' | 'limit';
  qty: number | null;
  side: string;
  intent: string;
  symbol: string;
  price: number | null;
  memo: string | null;
  apikey: string;
  timestamp: number | null;
  sign: string | null;
}

export interface ValidRequest {
  body: Record<string, unknown>;
  expected: ExpectedOrder;
}

const padding = fc.constantFrom('', ' ', '  ', '\t', '\n ');

/** Surrounding whitespace, which the API trims. */
function padded(text: fc.Arbitrary<string>): fc.Arbitrary<{ sent: string; meant: string }> {
  return fc.tuple(padding, text, padding).map(([before, meant, after]) => ({ sent: `${before}${meant}${after}`, meant }));
}

/** A positive decimal no larger than 1e15, sent as a JSON number or as plain decimal text. */
const positiveAmount = fc
  .tuple(fc.integer({ min: 0, max: 999_999_999 }), fc.stringMatching(/^\d{0,8}$/), fc.boolean())
  .map(([whole, fraction, asText]) => ({ text: fraction ? `${whole}.${fraction}` : `${whole}`, asText }))
  .filter(({ text }) => Number(text) > 0)
  .map(({ text, asText }) => ({ sent: asText ? text : Number(text), meant: Number(text) }));

const sideSpelling = fc.constantFrom(...SIDES).chain(([side, intent]) => {
  const numeric = /^-?\d$/.test(side);
  const sent: fc.Arbitrary<string | number> = numeric ? fc.constantFrom<string | number>(side, Number(side)) : fc.mixedCase(fc.constant(side));
  return sent.map((value) => ({ sent: value, meant: String(value), intent }));
});

const hex64 = fc.stringMatching(/^[0-9a-fA-F]{64}$/);

/** A request the spec accepts, with what it means. */
export const validRequest: fc.Arbitrary<ValidRequest> = fc
  .record({
    strategy: padded(fc.stringMatching(/^[A-Za-z0-9_.-]{1,64}$/)),
    exchange: fc.constantFrom(...EXCHANGES).chain((name) => fc.mixedCase(fc.constant(name)).map((sent) => ({ sent, meant: name }))),
    // an exchange account's name (optional, beyond the spec), or a blank one as alert templates leave it
    account: fc.option(fc.oneof(padded(fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$/)), fc.constantFrom({ sent: '', meant: null }, { sent: '  ', meant: null }, { sent: null, meant: null })), { nil: undefined, freq: 3 }),
    orderType: fc.constantFrom('market', 'limit').chain((name) => fc.mixedCase(fc.constant(name)).map((sent) => ({ sent, meant: name as 'market' | 'limit' }))),
    qty: fc.option(positiveAmount, { nil: undefined }),
    side: sideSpelling,
    symbol: padded(fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9/:._-]{0,63}$/)),
    price: fc.option(positiveAmount, { nil: undefined }),
    memo: fc.option(fc.string({ maxLength: 250, unit: 'grapheme-composite' }), { nil: undefined }),
    apikey: padded(fc.stringMatching(/^[A-Za-z0-9_-]{1,128}$/)),
    signed: fc.option(
      fc.record({
        timestamp: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }).chain((ms) => fc.constantFrom<number | string>(ms, String(ms)).map((sent) => ({ sent, meant: ms }))),
        sign: hex64,
      }),
      { nil: undefined },
    ),
  })
  // The spec's joint rules: every side but Close needs a qty, a Limit order needs a price.
  .filter(({ qty, side, orderType, price }) => (qty !== undefined || side.intent === 'close') && (orderType.meant === 'market' || price !== undefined))
  .map((parts) => {
    const body: Record<string, unknown> = {
      strategy: parts.strategy.sent,
      exchange: parts.exchange.sent,
      order_type: parts.orderType.sent,
      side: parts.side.sent,
      symbol: parts.symbol.sent,
      apikey: parts.apikey.sent,
    };
    if (parts.account !== undefined) body['account'] = parts.account.sent;
    if (parts.qty) body['qty'] = parts.qty.sent;
    if (parts.price) body['price'] = parts.price.sent;
    if (parts.memo !== undefined) body['memo'] = parts.memo;
    if (parts.signed) {
      body['timestamp'] = parts.signed.timestamp.sent;
      body['sign'] = parts.signed.sign;
    }
    const expected: ExpectedOrder = {
      strategy: parts.strategy.meant,
      exchange: parts.exchange.meant,
      account: parts.account?.meant ?? null,
      orderType: parts.orderType.meant,
      qty: parts.qty?.meant ?? null,
      side: parts.side.meant,
      intent: parts.side.intent,
      symbol: parts.symbol.meant,
      price: parts.price?.meant ?? null,
      memo: parts.memo ?? null,
      apikey: parts.apikey.meant,
      timestamp: parts.signed?.timestamp.meant ?? null,
      sign: parts.signed?.sign.toLowerCase() ?? null,
      ...NO_SHAPING_MEANT,
    };
    return { body, expected };
  });

// The shaping fields, from the issue's rules rather than from shared/order-shaping-fields.ts.

/** A positive decimal no larger than `max`, as a JSON number or decimal text. */
function positiveUpTo(max: number): fc.Arbitrary<{ sent: number | string; meant: number }> {
  return fc
    .tuple(fc.integer({ min: 0, max: Math.max(0, max - 1) }), fc.stringMatching(/^\d{0,4}$/), fc.boolean())
    .map(([whole, fraction, asText]) => ({ text: fraction ? `${whole}.${fraction}` : `${whole}`, asText }))
    .filter(({ text }) => Number(text) > 0 && Number(text) <= max)
    .map(({ text, asText }) => ({ sent: asText ? text : Number(text), meant: Number(text) }));
}

/** A signed amount (negative: short, 0: flat), as a JSON number or signed decimal text. */
const signedAmount = fc
  .tuple(fc.constantFrom('', '-', '+'), fc.integer({ min: 0, max: 999_999 }), fc.stringMatching(/^\d{0,6}$/), fc.boolean())
  .map(([sign, whole, fraction, asText]) => {
    const text = `${sign}${whole}${fraction ? `.${fraction}` : ''}`;
    const meant = Number(text) === 0 ? 0 : Number(text);
    return { sent: asText ? text : Number(text), meant };
  })
  .filter(({ sent }) => typeof sent === 'string' || !sent.toString().startsWith('+'));

/** When a signal was made: ISO 8601 (TradingView's {{timenow}}, with or without milliseconds) or Unix ms, in the past. */
const signalTime = fc.date({ min: new Date('2001-01-01T00:00:00Z'), max: new Date('2026-01-01T00:00:00Z'), noInvalidDate: true }).chain((date) =>
  fc.constantFrom<string | number>(date.toISOString(), date.toISOString().replace(/\.\d{3}Z$/, 'Z'), date.getTime(), String(date.getTime())).map((sent) => ({
    sent,
    meant: typeof sent === 'string' && sent.includes('T') ? Date.parse(sent) : date.getTime(),
  })),
);

const booleanSpelling = fc.boolean().chain((meant) => fc.constantFrom<boolean | string>(meant, String(meant), meant ? 'TRUE' : 'False', ` ${meant} `).map((sent) => ({ sent, meant })));

/** Left out `absent` times in `absent + 1`: a request carries a few shaping fields, rarely all. */
function sometimes<T>(arbitrary: fc.Arbitrary<T>, absent: number): fc.Arbitrary<T | undefined> {
  return fc.oneof({ arbitrary: fc.constant(undefined), weight: absent }, { arbitrary, weight: 1 });
}

/** A stop-loss or take-profit: none, as a price, as a percent, or (rarely) both, which is refused. */
function protectionOf(field: 'stop_loss' | 'take_profit'): fc.Arbitrary<Record<string, { sent: unknown; meant: unknown }>> {
  const price = positiveAmount.map((value) => ({ [field]: value }));
  const percent = positiveUpTo(1_000).map((value) => ({ [`${field}_percent`]: value }));
  return fc.oneof(
    { arbitrary: fc.constant({}), weight: 6 },
    { arbitrary: price, weight: 2 },
    { arbitrary: percent, weight: 2 },
    { arbitrary: fc.tuple(price, percent).map(([a, b]) => ({ ...a, ...b })), weight: 1 },
  );
}

/** Each shaping field's values, well typed and in range; each is often left out. */
const shapingValues = fc
  .tuple(
    fc.record({
      qty_unit: sometimes(fc.constantFrom(...QTY_UNITS).chain((unit) => padded(fc.mixedCase(fc.constant(unit))).map(({ sent }) => ({ sent, meant: unit }))), 1),
      target_position: sometimes(signedAmount, 3),
      leverage: sometimes(positiveUpTo(1_000), 1),
      signal_time: sometimes(signalTime, 1),
      max_lag: sometimes(positiveUpTo(86_400).filter(({ meant }) => meant >= 1), 2),
      reduce_only: sometimes(booleanSpelling, 5),
    }),
    protectionOf('stop_loss'),
    protectionOf('take_profit'),
  )
  .map(([values, stop, target]) => Object.fromEntries(Object.entries({ ...values, ...stop, ...target }).filter(([, value]) => value !== undefined)) as ShapingValues);

type ShapingValues = { [K in (typeof SHAPING_FIELDS)[number]]?: { sent: unknown; meant: unknown } };

export interface Violation {
  code: 'invalid_field' | 'missing_field' | 'conflicting_fields' | 'protection_not_allowed';
  field: string;
}

/**
 * The rules between the shaping fields and the side, as the issue states them: what a request breaks.
 * Empty: the request must be accepted. Otherwise the refusal must be one of these.
 */
export function shapingViolations(intent: string, qty: number | null, values: ShapingValues): Violation[] {
  const meant = <T>(field: (typeof SHAPING_FIELDS)[number]): T | undefined => values[field]?.meant as T | undefined;
  const unit = meant<QtyUnit>('qty_unit');
  const target = meant<number>('target_position');
  const reduceOnly = meant<boolean>('reduce_only');
  const violations: Violation[] = [];
  const percentCap = unit === 'position_percent' ? 100 : unit !== undefined && unit.endsWith('_percent') ? 10_000 : null;
  if (qty !== null && percentCap !== null && qty > percentCap) violations.push({ code: 'invalid_field', field: 'qty' });
  if (target !== undefined && unit !== 'position_percent' && percentCap !== null && Math.abs(target) > percentCap) violations.push({ code: 'invalid_field', field: 'target_position' });
  if (values.stop_loss && values.stop_loss_percent) violations.push({ code: 'conflicting_fields', field: 'stop_loss_percent' });
  if (values.take_profit && values.take_profit_percent) violations.push({ code: 'conflicting_fields', field: 'take_profit_percent' });
  if (unit === 'position_percent' && intent !== 'close') violations.push({ code: 'invalid_field', field: 'qty_unit' });
  if (target !== undefined) {
    if (intent === 'close' && target !== 0) violations.push({ code: 'conflicting_fields', field: 'target_position' });
    if (unit === 'position_percent') violations.push({ code: 'invalid_field', field: 'qty_unit' });
    if (reduceOnly !== undefined) violations.push({ code: 'invalid_field', field: 'reduce_only' });
  }
  if (reduceOnly !== undefined && (intent === 'sarbuy' || intent === 'sarsell' || (intent === 'close' && !reduceOnly))) violations.push({ code: 'invalid_field', field: 'reduce_only' });
  const protection = (['stop_loss', 'take_profit', 'stop_loss_percent', 'take_profit_percent'] as const).find((field) => values[field] !== undefined);
  if (protection && (intent === 'close' || reduceOnly === true || target === 0)) violations.push({ code: 'protection_not_allowed', field: protection });
  if (values.max_lag && !values.signal_time) violations.push({ code: 'missing_field', field: 'signal_time' });
  if (qty === null && target === undefined && intent !== 'close') violations.push({ code: 'missing_field', field: 'qty' });
  return violations;
}

export interface ShapedRequest {
  body: Record<string, unknown>;
  /** What it must parse to, when it breaks no rule. */
  expected: ExpectedOrder;
  violations: Violation[];
}

/**
 * A request the spec accepts with any well-typed shaping fields added: sometimes its qty dropped for
 * a target, and, in a percent unit, mostly a percent-sized qty (a spec qty is often far above 100 %).
 */
export const shapedRequest: fc.Arbitrary<ShapedRequest> = fc.tuple(validRequest, shapingValues, fc.boolean(), fc.option(positiveUpTo(100), { nil: undefined, freq: 4 })).map(([{ body, expected }, values, dropQty, percentQty]) => {
  const sent: Record<string, unknown> = { ...body };
  const withoutQty = dropQty && values.target_position !== undefined;
  if (withoutQty) delete sent['qty'];
  const inPercent = typeof values.qty_unit?.meant === 'string' && values.qty_unit.meant.endsWith('_percent');
  if (inPercent && percentQty && !withoutQty && expected.qty !== null) {
    sent['qty'] = percentQty.sent;
    expected = { ...expected, qty: percentQty.meant };
  }
  const shaping: Partial<ExpectedShaping> = {};
  const names: Record<(typeof SHAPING_FIELDS)[number], keyof ExpectedShaping> = {
    qty_unit: 'qtyUnit',
    target_position: 'targetPosition',
    leverage: 'leverage',
    stop_loss: 'stopLoss',
    take_profit: 'takeProfit',
    stop_loss_percent: 'stopLossPercent',
    take_profit_percent: 'takeProfitPercent',
    signal_time: 'signalTime',
    max_lag: 'maxLag',
    reduce_only: 'reduceOnly',
  };
  for (const field of SHAPING_FIELDS) {
    const value = values[field];
    if (!value) continue;
    sent[field] = value.sent;
    (shaping as Record<string, unknown>)[names[field]] = value.meant;
  }
  const qty = withoutQty ? null : expected.qty;
  return { body: sent, expected: { ...expected, ...NO_SHAPING_MEANT, ...shaping, qty }, violations: shapingViolations(expected.intent, qty, values) };
});

// Bad values, field by field: each is refused for that field whatever the rest of the request holds.

const notAString = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
);
const blank = fc.constantFrom('', ' ', '\t', '\n', '   ');
const tooLong = (limit: number) => fc.string({ minLength: limit + 1, maxLength: limit + 40, unit: 'grapheme-ascii' }).filter((text) => text.trim().length > limit);
const text = fc.string({ maxLength: 30, unit: 'grapheme' });

const DECIMAL = /^(0|[1-9]\d*)(\.\d+)?$/;
const badAmount = fc.oneof(
  fc.double({ max: 0, noNaN: true }),
  fc.double({ min: 1e15, noNaN: true, minExcluded: true }),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0, -0),
  // Text that is no plain positive decimal: exponents, signs, hex, separators, words, look-alike digits.
  fc.oneof(text, fc.constantFrom('1e3', '1E-2', '+1', '-1', '.5', '1.', '0x10', '1_000', '1,5', '１', 'NaN', 'Infinity', '0', '0.00')).filter((value) => !DECIMAL.test(value.trim()) || Number(value) === 0),
  // Plain decimals past the largest order (1e15 itself is allowed).
  fc.stringMatching(/^[1-9]\d{16,31}$/),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.nat(), { maxLength: 2 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.nat(), { maxKeys: 2 }),
);

const notAnExchange = fc.oneof(notAString, blank, text.filter((value) => !(EXCHANGES as readonly string[]).includes(value.trim().toLowerCase())));
const notAnOrderType = fc.oneof(notAString.filter((value) => typeof value !== 'string'), blank, text.filter((value) => !['market', 'limit'].includes(value.trim().toLowerCase())));
const notASide = fc.oneof(
  fc.integer().filter((value) => value < -2 || value > 2),
  fc.double({ noNaN: true }).filter((value) => !Number.isInteger(value)),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 2 }),
  blank,
  text.filter((value) => !SIDE_SPELLINGS.has(value.trim().toLowerCase())),
);
const notASymbol = fc.oneof(notAString, blank, tooLong(64), text.filter((value) => !/^[A-Za-z0-9][A-Za-z0-9/:._-]*$/.test(value.trim())));
const notATimestamp = fc.oneof(
  fc.integer({ max: 0 }),
  fc.double({ noNaN: true }).filter((value) => !Number.isSafeInteger(value)),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, 1e20),
  text.filter((value) => !/^\d{1,16}$/.test(value.trim()) || Number(value) === 0),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.nat(), { maxLength: 2 }),
);
const notASignature = fc.oneof(notAString, blank, text, hex64.map((sign) => sign.slice(1)), hex64.map((sign) => `${sign}0`), fc.stringMatching(/^[0-9a-f]{63}[g-z]$/));

const overMax = (max: number) => fc.oneof(fc.double({ min: max, max: 1e15, noNaN: true, minExcluded: true }), fc.integer({ min: max + 1, max: 1e9 }).map(String));
const notAUnit = fc.oneof(notAString.filter((value) => value !== null), text.filter((value) => value.trim() !== '' && !(QTY_UNITS as readonly string[]).includes(value.trim().toLowerCase())));
const notASignedAmount = fc.oneof(
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 2e15, -2e15),
  fc.oneof(text, fc.constantFrom('1e3', '--1', '+-1', '.5', '1.', '0x10', '1,5', 'long', 'flat')).filter((value) => value.trim() !== '' && !/^[-+]?(0|[1-9]\d*)(\.\d+)?$/.test(value.trim())),
  fc.boolean(),
  fc.array(fc.nat(), { maxLength: 2 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.nat(), { maxKeys: 2 }),
);
/** What a signal_time cannot be: Unix seconds, non-times, dates without a time. */
const notASignalTime = fc.oneof(
  fc.integer({ min: 1, max: 99_999_999_999 }),
  fc.integer({ min: -1e12, max: -1 }),
  fc.double({ noNaN: true, min: 1e11, max: 1e13 }).filter((value) => !Number.isInteger(value)),
  fc.constantFrom('yesterday', 'now', '2026-12-01', '12/01/2026 09:56', 'T09:56:00Z', '2026-13-45T99:99:00Z', '{{timenow}}'),
  fc.boolean(),
  fc.array(fc.nat(), { maxLength: 2 }),
);
const notABoolean = fc.oneof(
  fc.integer().filter((value) => value !== 0),
  fc.constantFrom('yes', 'no', '1', 'on', 'off', 'tru', 'truee'),
  text.filter((value) => value.trim() !== '' && !['true', 'false'].includes(value.trim().toLowerCase()) && !saysNothing(value)),
  fc.array(fc.boolean(), { maxLength: 2 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.boolean(), { maxKeys: 2 }),
);

/** For each field, values the spec refuses there. */
export const BAD_VALUES: Readonly<Record<string, fc.Arbitrary<unknown>>> = {
  qty_unit: notAUnit,
  target_position: notASignedAmount,
  leverage: fc.oneof(badAmount, overMax(1_000)),
  stop_loss: badAmount,
  take_profit: badAmount,
  stop_loss_percent: fc.oneof(badAmount, overMax(1_000)),
  take_profit_percent: fc.oneof(badAmount, overMax(1_000)),
  signal_time: notASignalTime,
  max_lag: fc.oneof(badAmount, overMax(86_400), fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true, minExcluded: true })),
  reduce_only: notABoolean,
  strategy: fc.oneof(notAString, blank, tooLong(64)),
  exchange: notAnExchange,
  order_type: notAnOrderType,
  qty: badAmount,
  side: notASide,
  symbol: notASymbol,
  price: badAmount,
  memo: fc.oneof(notAString, fc.string({ minLength: 501, maxLength: 600, unit: 'grapheme-ascii' })),
  apikey: fc.oneof(notAString, blank, tooLong(128)),
  timestamp: notATimestamp,
  sign: notASignature,
};

export interface Mutation {
  /** The field the refusal must name. */
  field: string;
  code: 'invalid_field' | 'missing_field' | 'unknown_field';
  body: Record<string, unknown>;
}

/** Sets a key as data, even `__proto__`, which plain assignment would turn into a prototype change. */
export function withKey(body: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  const copy = { ...body };
  Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true });
  return copy;
}

/** A field of `fields` set to a value the spec refuses there. */
export function badValue(fields: readonly string[]): fc.Arbitrary<{ field: string; value: unknown }> {
  return fc.constantFrom(...fields).chain((field) => (BAD_VALUES[field] as fc.Arbitrary<unknown>).map((value) => ({ field, value })));
}

/** A key the order API does not have, prototype names included. */
export const unknownKey = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'Qty', 'QTY', 'qtty', ' qty', 'stopLoss', 'reduceOnly', 'qtyUnit', 'take_profit_pct', 'secret'),
).filter((key) => !KNOWN_FIELDS.has(key));

/** Shaping fields where "nothing" (null, "", 0) is absent; target_position and max_lag take 0 as a value (a flat target, a refused lag). */
const BLANK_IS_ABSENT: ReadonlySet<string> = new Set(['qty_unit', 'leverage', 'stop_loss', 'take_profit', 'stop_loss_percent', 'take_profit_percent', 'signal_time', 'reduce_only']);

/** Whether `value` in the shaping field `field` is taken as absent, as alert templates write "nothing". */
export function absentInShaping(field: string, value: unknown): boolean {
  if (value === null || (typeof value === 'string' && value.trim() === '')) return SHAPING_FIELDS.includes(field as (typeof SHAPING_FIELDS)[number]);
  return BLANK_IS_ABSENT.has(field) && value !== false && saysNothing(value);
}

/**
 * "Nothing" in a field the order does not use (qty on a Close, price on a Market order) is taken as
 * absent, not refused (shared/order-request.ts): such a value is no mutation there.
 */
export function saysNothing(value: unknown): boolean {
  if (value === null || value === 0) return true;
  if (typeof value !== 'string') return false;
  const text = value.trim();
  return text === '' || (/^(?:0|[1-9]\d*)(?:\.\d+)?$/.test(text) && Number(text) === 0);
}

/** A valid request changed in one way the spec refuses, and the field the refusal must name. */
export function mutatedRequest(fields: readonly string[] = [...ORDER_FIELDS, ...SHAPING_FIELDS, ...CREDENTIAL_FIELDS]): fc.Arbitrary<Mutation> {
  const required = REQUIRED_FIELDS.filter((field) => fields.includes(field));
  return validRequest.chain(({ body, expected }) =>
    fc.oneof(
      badValue(fields)
        .filter(({ field, value }) => !saysNothing(value) || !((field === 'qty' && expected.intent === 'close') || (field === 'price' && expected.orderType === 'market')))
        .filter(({ field, value }) => !absentInShaping(field, value))
        // max_lag alone breaks a rule of its own (it needs signal_time): give it one, so its own value is what is judged.
        .map(({ field, value }) => ({ field, value, body: field === 'max_lag' ? { ...body, signal_time: '2026-01-01T00:00:00Z' } : body }))
        .map(({ field, value, body: base }): Mutation => ({ field, code: 'invalid_field', body: withKey(base, field, value) })),
      fc.constantFrom(...required).map((field): Mutation => {
        const { [field]: _dropped, ...rest } = body;
        return { field, code: 'missing_field', body: rest };
      }),
      unknownKey.chain((key) => fc.jsonValue({ maxDepth: 2 }).map((value): Mutation => ({ field: key, code: 'unknown_field', body: withKey(body, key, value) }))),
      // The joint rules: a Limit order without a price, a side other than Close without a qty.
      fc.constant(null).map((): Mutation => {
        const { price: _price, ...rest } = body;
        return expected.intent === 'close' && expected.qty === null
          ? { field: 'price', code: 'missing_field', body: { ...rest, order_type: 'Limit' } }
          : { field: 'qty', code: 'missing_field', body: Object.fromEntries(Object.entries({ ...body, side: 'Buy' }).filter(([key]) => key !== 'qty')) };
      }),
    ),
  );
}
