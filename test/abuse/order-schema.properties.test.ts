import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { firstDuplicateKey } from '../../main/engine/http/json-duplicate-keys.js';
import { type FieldError, parseOrderFields, parseOrderRequest } from '../../shared/order-request.js';
import { absentInShaping, CREDENTIAL_FIELDS, mutatedRequest, ORDER_FIELDS, SHAPING_FIELDS, shapedRequest, validRequest } from './order-arbitraries.js';

/** Property runs over shared/order-request.ts, the one schema the server and the manual order form use. */
const RUNS = { numRuns: 1000 };
const FIELD_ERROR_CODES = ['missing_field', 'invalid_field', 'unknown_field', 'invalid_body', 'conflicting_fields', 'protection_not_allowed'];

function expectFieldError(error: FieldError, field: string, code: string): void {
  expect(error.code).toBe(code);
  expect(error.field).toBe(field);
  // Named as is, or quoted as JSON where the name itself is odd (quotes, control characters).
  expect(error.message.includes(field) || error.message.includes(JSON.stringify(field)), error.message).toBe(true);
  // The message says what was expected, not only that something is wrong.
  expect(error.message).toMatch(code === 'missing_field' ? /is required/ : code === 'unknown_field' ? /expected only the fields of the order API$/ : /: expected /);
}

describe('the order schema, by property', () => {
  it('parses every request the spec accepts to what it means', () => {
    fc.assert(
      fc.property(validRequest, ({ body, expected }) => {
        const parsed = parseOrderRequest(body);
        if (!parsed.ok) throw new Error(`refused: ${parsed.error.message}`);
        const { fields, credentials } = parsed.value;
        expect({ ...fields, ...credentials }).toEqual(expected);
      }),
      RUNS,
    );
  });

  it('parses well-typed shaping fields to what they mean, or refuses naming a rule between them that the request breaks', () => {
    fc.assert(
      fc.property(shapedRequest, ({ body, expected, violations }) => {
        const parsed = parseOrderRequest(body);
        if (violations.length === 0) {
          if (!parsed.ok) throw new Error(`refused ${JSON.stringify(body)}: ${parsed.error.message}`);
          expect({ ...parsed.value.fields, ...parsed.value.credentials }).toEqual(expected);
          return;
        }
        if (parsed.ok) throw new Error(`accepted ${JSON.stringify(body)}, which breaks ${JSON.stringify(violations)}`);
        expect(violations).toContainEqual({ code: parsed.error.code, field: parsed.error.field });
        expect(parsed.error.message.startsWith(`${parsed.error.field}`), parsed.error.message).toBe(true);
        // The manual form's schema applies the same rules.
        const orderOnly = Object.fromEntries(Object.entries(body).filter(([key]) => !(CREDENTIAL_FIELDS as readonly string[]).includes(key)));
        const manual = parseOrderFields(orderOnly);
        expect(manual.ok).toBe(false);
        if (!manual.ok) expect(manual.error).toEqual(parsed.error);
      }),
      RUNS,
    );
  });

  it('takes "nothing" in a shaping field as absent, as alert templates send it, keeping the spec\'s meaning', () => {
    const nothing = fc.constantFrom<unknown>(null, '', ' ', 0, '0', '0.00');
    fc.assert(
      fc.property(validRequest, fc.subarray([...SHAPING_FIELDS], { minLength: 1 }), nothing, ({ body, expected }, fields, blank) => {
        // 0 is a flat target and a max_lag out of range: not "nothing" there.
        const absent = fields.filter((field) => absentInShaping(field, blank));
        fc.pre(absent.length > 0);
        const sent = { ...body };
        for (const field of absent) sent[field] = blank;
        const parsed = parseOrderRequest(sent);
        if (!parsed.ok) throw new Error(`refused ${JSON.stringify(sent)}: ${parsed.error.message}`);
        expect({ ...parsed.value.fields, ...parsed.value.credentials }).toEqual(expected);
      }),
      RUNS,
    );
  });

  it('parses the same fields without credentials for the manual order form', () => {
    fc.assert(
      fc.property(validRequest, ({ body, expected }) => {
        const orderOnly = Object.fromEntries(Object.entries(body).filter(([key]) => !(CREDENTIAL_FIELDS as readonly string[]).includes(key)));
        const parsed = parseOrderFields(orderOnly);
        if (!parsed.ok) throw new Error(`refused: ${parsed.error.message}`);
        const { apikey: _apikey, timestamp: _timestamp, sign: _sign, ...fields } = expected;
        expect(parsed.value).toEqual(fields);
      }),
      RUNS,
    );
  });

  it('refuses every request changed in a way the spec does not allow, naming the field', () => {
    fc.assert(
      fc.property(mutatedRequest(), ({ field, code, body }) => {
        const parsed = parseOrderRequest(body);
        if (parsed.ok) throw new Error(`accepted ${JSON.stringify(body)}`);
        expectFieldError(parsed.error, field, code);
      }),
      RUNS,
    );
  });

  it('refuses credentials in the manual order form: the UI session is its only credential', () => {
    fc.assert(
      fc.property(validRequest, ({ body }) => {
        const parsed = parseOrderFields(body);
        if (parsed.ok) throw new Error(`accepted ${JSON.stringify(body)}`);
        expect(parsed.error.code).toBe('unknown_field');
        expect(CREDENTIAL_FIELDS).toContain(parsed.error.field);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses the manual order form changed in a way the spec does not allow, naming the field', () => {
    fc.assert(
      fc.property(mutatedRequest([...ORDER_FIELDS]), ({ field, code, body }) => {
        const orderOnly = Object.fromEntries(Object.entries(body).filter(([key]) => !(CREDENTIAL_FIELDS as readonly string[]).includes(key)));
        const parsed = parseOrderFields(code === 'unknown_field' ? body : orderOnly);
        if (parsed.ok) throw new Error(`accepted ${JSON.stringify(orderOnly)}`);
        if (code === 'unknown_field') {
          expect(parsed.error.code).toBe('unknown_field');
        } else {
          expectFieldError(parsed.error, field, code);
        }
      }),
      RUNS,
    );
  });

  it('never throws, whatever it is given: it answers with a field error', () => {
    const anything = fc.anything({
      maxDepth: 3,
      withBoxedValues: true,
      withMap: true,
      withSet: true,
      withNullPrototype: true,
      withObjectString: true,
      withBigInt: true,
      withDate: true,
      withTypedArray: true,
      withSparseArray: true,
      withUnicodeString: true,
    });
    fc.assert(
      fc.property(fc.oneof(anything, fc.json().map((text) => JSON.parse(text) as unknown)), (body) => {
        for (const parse of [parseOrderRequest, parseOrderFields]) {
          const parsed = parse(body);
          if (parsed.ok) continue;
          expect(FIELD_ERROR_CODES).toContain(parsed.error.code);
          expect(parsed.error.message).not.toBe('');
          expect(parsed.errors[0]).toEqual(parsed.error);
        }
      }),
      RUNS,
    );
  });
});

describe('the duplicate-key detector, by property', () => {
  it('finds nothing in JSON that JSON.stringify wrote (no object it writes repeats a key)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(undefined, 2, '\t'), (value, indent) => {
        expect(firstDuplicateKey(JSON.stringify(value, null, indent))).toBeNull();
      }),
      RUNS,
    );
  });

  it('finds a repeated key and where it is, however it is spelled and however deep', () => {
    const members = fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { minKeys: 1, maxKeys: 6 });
    fc.assert(
      fc.property(members, fc.nat(), fc.jsonValue({ maxDepth: 1 }), fc.boolean(), fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }), (object, pick, again, escaped, outer) => {
        const keys = Object.keys(object);
        const key = keys[pick % keys.length] as string;
        // An escaped astral character needs its two UTF-16 halves; only spell BMP keys escaped.
        fc.pre(!escaped || [...key].every((char) => (char.codePointAt(0) as number) <= 0xffff));
        const spelled = escaped ? `"${[...key].map((char) => `\\u${(char.codePointAt(0) as number).toString(16).padStart(4, '0')}`).join('')}"` : JSON.stringify(key);
        let text = `{${JSON.stringify(object).slice(1, -1)},${spelled}:${JSON.stringify(again)}}`;
        for (const name of [...outer].reverse()) text = `{${JSON.stringify(name)}:[1,${text}]}`;
        expect(firstDuplicateKey(text)).toEqual({ path: [...outer.flatMap((name) => [name, 1]), key] });
      }),
      RUNS,
    );
  });
});
