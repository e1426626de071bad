import { z } from 'zod';

/**
 * How the order request's values are read and refused (order-request.ts, order-shaping-fields.ts).
 * Every message names its field and what was expected, because a bot author reads them in a log far
 * from here. Numbers may come as JSON numbers or plain decimal strings (TradingView substitutes text).
 */

export type Ctx = z.core.$RefinementCtx;

export const MAX_NUMBER = 1e15;
export const DECIMAL_TEXT = /^(?:0|[1-9]\d*)(?:\.\d+)?$/;
const SIGNED_DECIMAL_TEXT = /^[-+]?(?:0|[1-9]\d*)(?:\.\d+)?$/;

/** The code an issue carries to the API: missing_field and invalid_field by default, or one of its own. */
export type IssueCode = 'missing_field' | 'invalid_field' | 'conflicting_fields' | 'protection_not_allowed';

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return value.length > 40 ? `a ${value.length}-character string` : JSON.stringify(value);
  return String(value);
}

/** A missing field is flagged in params so the API can say missing_field rather than invalid_field. */
export function fail(ctx: Ctx, raw: unknown, message: string): never {
  ctx.addIssue({ code: 'custom', message, input: raw, params: { missing: raw === undefined } });
  return z.NEVER as never;
}

/** An issue about a field, with the API code it stands for. */
export function issue(ctx: Ctx, field: string, code: IssueCode, message: string): void {
  ctx.addIssue({ code: 'custom', path: [field], message, input: undefined, params: code === 'missing_field' ? { missing: true } : { code } });
}

/** A finite number from a JSON number or decimal text (signed where `signed`); null when it is neither. */
function numberOf(raw: unknown, signed: boolean): number | null {
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : null;
  if (typeof raw !== 'string') return null;
  const text = raw.trim();
  if (text.length > 32 || !(signed ? SIGNED_DECIMAL_TEXT : DECIMAL_TEXT).test(text)) return null;
  return Number(text);
}

export function parsePositive(field: string, raw: unknown, ctx: Ctx, max = MAX_NUMBER): number {
  const expected = `${field}: expected a number greater than 0`;
  const value = numberOf(raw, false);
  if (value === null) return fail(ctx, raw, typeof raw === 'string' ? `${expected} (digits with an optional decimal point), got ${describe(raw)}` : `${expected}, got ${describe(raw)}`);
  if (value <= 0) return fail(ctx, raw, `${expected}, got ${describe(raw)}`);
  if (value > max) return fail(ctx, raw, `${field}: expected a number no larger than ${max}, got ${describe(raw)}`);
  return value;
}

/** A signed number: a target position may be short (negative), long, or 0 (flat). */
export function parseSigned(field: string, raw: unknown, ctx: Ctx): number {
  const value = numberOf(raw, true);
  if (value === null) return fail(ctx, raw, `${field}: expected a number (negative for short, 0 for flat), got ${describe(raw)}`);
  if (Math.abs(value) > MAX_NUMBER) return fail(ctx, raw, `${field}: expected a number no larger than ${MAX_NUMBER} either way, got ${describe(raw)}`);
  return value === 0 ? 0 : value;
}

/** Absent keys stay undefined: zod runs no transform for them once the field is marked optional. */
export function optionalPositive(field: string, max = MAX_NUMBER) {
  return z.unknown().transform((raw, ctx): number => parsePositive(field, raw, ctx, max)).optional();
}

/** "Nothing" as bots and alert templates write it: null, an empty string, or zero as a number or decimal text. */
export function isBlank(value: unknown): boolean {
  if (value === null || value === 0) return true;
  if (typeof value !== 'string') return false;
  const text = value.trim();
  return text === '' || (DECIMAL_TEXT.test(text) && Number(text) === 0);
}

/** Null or an empty string: nothing, where 0 is a value (a flat target). */
export function isEmpty(value: unknown): boolean {
  return value === null || (typeof value === 'string' && value.trim() === '');
}
