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
/** Required whatever the side and order type. */
export const REQUIRED_FIELDS = ['strategy', 'exchange', 'order_type', 'side', 'symbol', 'apikey'];
export const KNOWN_FIELDS: ReadonlySet<string> = new Set([...ORDER_FIELDS, ...CREDENTIAL_FIELDS]);

/** What a valid request must parse to. */
export interface ExpectedOrder {
  strategy: string;
  exchange: string;
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
    };
    return { body, expected };
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

/** For each field, values the spec refuses there. */
export const BAD_VALUES: Readonly<Record<string, fc.Arbitrary<unknown>>> = {
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
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'Qty', 'QTY', 'qtty', ' qty', 'leverage', 'reduce_only', 'secret'),
).filter((key) => !KNOWN_FIELDS.has(key));

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
export function mutatedRequest(fields: readonly string[] = [...ORDER_FIELDS, ...CREDENTIAL_FIELDS]): fc.Arbitrary<Mutation> {
  const required = REQUIRED_FIELDS.filter((field) => fields.includes(field));
  return validRequest.chain(({ body, expected }) =>
    fc.oneof(
      badValue(fields)
        .filter(({ field, value }) => !saysNothing(value) || !((field === 'qty' && expected.intent === 'close') || (field === 'price' && expected.orderType === 'market')))
        .map(({ field, value }): Mutation => ({ field, code: 'invalid_field', body: withKey(body, field, value) })),
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
