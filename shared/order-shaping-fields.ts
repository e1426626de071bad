import { z } from 'zod';
import type { SideIntent } from './sides.js';
import { type Ctx, describe, fail, isBlank, isEmpty, issue, optionalPositive, parsePositive, parseSigned } from './request-values.js';

/**
 * The order request's optional shaping fields, beyond the spec (README "Shaping an order"): how `qty`
 * is counted, a target position instead of a side's size, leverage, a stop-loss and a take-profit held
 * by the exchange, the signal's age, reduce-only. A body without them keeps exactly the spec's
 * meaning. Parsed here, once, for /v1/order and the manual form alike.
 */

export const QTY_UNITS = ['base', 'quote', 'equity_percent', 'available_percent', 'risk_percent', 'position_percent'] as const;
export type QtyUnit = (typeof QTY_UNITS)[number];
/**
 * What a strategy may count a request's qty in by default: not position_percent, which only a Close
 * takes (as a default every Buy and Sell would be refused, and a TradingView Close's contracts read as a percent).
 */
export type StrategyQtyUnit = Exclude<QtyUnit, 'position_percent'>;
export const STRATEGY_QTY_UNITS = QTY_UNITS.filter((unit): unit is StrategyQtyUnit => unit !== 'position_percent');

/** What `qty` (or `target_position`) counts when the unit is a share of something, in percent. */
export const PERCENT_UNITS: readonly QtyUnit[] = ['equity_percent', 'available_percent', 'risk_percent', 'position_percent'];

/** A percent of the account may exceed 100 with leverage; more than this is a typo, not a size. */
const MAX_PERCENT = 10_000;
/** Protection at more than this distance from the price is no protection anyone means. */
const MAX_PROTECTION_PERCENT = 1_000;
/** A signal's timestamp may run this far ahead of apisify's clock (TradingView's {{timenow}} is whole seconds). */
export const SIGNAL_FUTURE_TOLERANCE_MS = 5_000;
export const MAX_LAG_RANGE = { min: 1, max: 86_400 } as const;

export interface ShapingFields {
  /** null: `base`, the market's amount as the spec has it. */
  qtyUnit: QtyUnit | null;
  /** A signed position to reach (in qtyUnit when given); 0: flat. null: the side's own size. */
  targetPosition: number | null;
  leverage: number | null;
  stopLoss: number | null;
  takeProfit: number | null;
  stopLossPercent: number | null;
  takeProfitPercent: number | null;
  /** When the signal was made, Unix ms. */
  signalTime: number | null;
  /** Seconds a signal may be old when it is sent. */
  maxLag: number | null;
  reduceOnly: boolean | null;
}

export const NO_SHAPING: ShapingFields = {
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

/** Whether the order asks for protection (a stop-loss or a take-profit, as a price or a percent). */
export function asksProtection(fields: Pick<ShapingFields, 'stopLoss' | 'takeProfit' | 'stopLossPercent' | 'takeProfitPercent'>): boolean {
  return fields.stopLoss !== null || fields.takeProfit !== null || fields.stopLossPercent !== null || fields.takeProfitPercent !== null;
}

const qtyUnit = z
  .unknown()
  .transform((raw, ctx): QtyUnit => {
    const value = typeof raw === 'string' ? raw.trim().toLowerCase() : undefined;
    if (value !== undefined && (QTY_UNITS as readonly string[]).includes(value)) return value as QtyUnit;
    return fail(ctx, raw, `qty_unit: expected one of ${QTY_UNITS.join(', ')}, got ${describe(raw)}`);
  })
  .optional();

const targetPosition = z
  .unknown()
  .transform((raw, ctx): number => parseSigned('target_position', raw, ctx))
  .optional();

const maxLag = z
  .unknown()
  .transform((raw, ctx): number => {
    const value = parsePositive('max_lag', raw, ctx, MAX_LAG_RANGE.max);
    if (value < MAX_LAG_RANGE.min) return fail(ctx, raw, `max_lag: expected seconds from ${MAX_LAG_RANGE.min} to ${MAX_LAG_RANGE.max}, got ${describe(raw)}`);
    return value;
  })
  .optional();

/** ISO 8601 (TradingView's {{timenow}}: 2026-12-01T09:56:00Z) or Unix milliseconds. */
const signalTime = z
  .unknown()
  .transform((raw, ctx): number => {
    const expected = 'signal_time: expected an ISO 8601 time such as 2026-12-01T09:56:00Z (TradingView: {{timenow}}) or Unix milliseconds';
    if (typeof raw === 'number' || (typeof raw === 'string' && /^\d+$/.test(raw.trim()))) {
      const ms = Number(raw);
      if (!Number.isSafeInteger(ms) || ms <= 0) return fail(ctx, raw, `${expected}, got ${describe(raw)}`);
      // 10 digits is Unix seconds: read as milliseconds it would be January 1970
      if (ms < 100_000_000_000) return fail(ctx, raw, `${expected} (13 digits); ${describe(raw)} looks like seconds`);
      return ms;
    }
    if (typeof raw === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(raw.trim())) {
      const ms = Date.parse(raw.trim());
      if (Number.isFinite(ms)) return ms;
    }
    return fail(ctx, raw, `${expected}, got ${describe(raw)}`);
  })
  .optional();

const reduceOnly = z
  .unknown()
  .transform((raw, ctx): boolean => {
    if (typeof raw === 'boolean') return raw;
    if (typeof raw === 'string' && ['true', 'false'].includes(raw.trim().toLowerCase())) return raw.trim().toLowerCase() === 'true';
    return fail(ctx, raw, `reduce_only: expected true or false, got ${describe(raw)}`);
  })
  .optional();

export const shapingFieldShape = {
  qty_unit: qtyUnit,
  target_position: targetPosition,
  leverage: optionalPositive('leverage', 1_000),
  stop_loss: optionalPositive('stop_loss'),
  take_profit: optionalPositive('take_profit'),
  stop_loss_percent: optionalPositive('stop_loss_percent', MAX_PROTECTION_PERCENT),
  take_profit_percent: optionalPositive('take_profit_percent', MAX_PROTECTION_PERCENT),
  signal_time: signalTime,
  max_lag: maxLag,
  reduce_only: reduceOnly,
};

/** Fields where bots and alert templates write "nothing" as null, "" or 0: taken as absent. */
const BLANK_MEANS_ABSENT = ['qty_unit', 'leverage', 'stop_loss', 'take_profit', 'stop_loss_percent', 'take_profit_percent', 'signal_time', 'reduce_only'] as const;
/** Fields where 0 is a value (a flat target) but null and "" are nothing. */
const EMPTY_MEANS_ABSENT = ['target_position', 'max_lag'] as const;

/** The shaping fields a body says "nothing" in, which count as absent. */
export function unusedShapingFields(body: Record<string, unknown>): string[] {
  return [...BLANK_MEANS_ABSENT.filter((key) => key in body && isBlank(body[key]) && body[key] !== false), ...EMPTY_MEANS_ABSENT.filter((key) => key in body && isEmpty(body[key]))];
}

type ShapingOutput = { [K in keyof typeof shapingFieldShape]?: z.output<(typeof shapingFieldShape)[K]> };

/**
 * Why `value` (a qty, or a target either way) cannot be meant in `unit`, a percent; null when it can,
 * or the unit is not a percent. `fromStrategy`: the unit is the strategy's default, which the message
 * says, as the request does not show it.
 */
export function percentAboveCap(field: 'qty' | 'target_position', unit: QtyUnit, value: number, fromStrategy = false): string | null {
  if (!PERCENT_UNITS.includes(unit)) return null;
  const max = unit === 'position_percent' ? 100 : MAX_PERCENT;
  if (Math.abs(value) <= max) return null;
  return `${field}: with ${fromStrategy ? "the strategy's " : ''}qty_unit ${unit} it is a percent, expected at most ${max}${field === 'target_position' ? ' either way' : ''}, got ${value}`;
}

/** The rules between shaping fields and the side, that need nothing but the request. */
export function checkShapingCombinations(value: ShapingOutput & { side: { side: string; intent: SideIntent }; qty?: number | undefined }, ctx: Ctx): void {
  const { intent, side } = value.side;
  if (value.qty_unit !== undefined) {
    // a unit the strategy gives is checked before the journal (before-journal.ts), once the strategy is known
    const qtyAbove = value.qty === undefined ? null : percentAboveCap('qty', value.qty_unit, value.qty);
    if (qtyAbove) issue(ctx, 'qty', 'invalid_field', qtyAbove);
    // position_percent cannot size a target at all, which is refused below
    const targetAbove = value.target_position === undefined || value.qty_unit === 'position_percent' ? null : percentAboveCap('target_position', value.qty_unit, value.target_position);
    if (targetAbove) issue(ctx, 'target_position', 'invalid_field', targetAbove);
  }
  if (value.stop_loss !== undefined && value.stop_loss_percent !== undefined) {
    issue(ctx, 'stop_loss_percent', 'conflicting_fields', 'stop_loss_percent: give a stop-loss as a price (stop_loss) or as a percent (stop_loss_percent), not both');
  }
  if (value.take_profit !== undefined && value.take_profit_percent !== undefined) {
    issue(ctx, 'take_profit_percent', 'conflicting_fields', 'take_profit_percent: give a take-profit as a price (take_profit) or as a percent (take_profit_percent), not both');
  }
  if (value.qty_unit === 'position_percent' && intent !== 'close') {
    issue(ctx, 'qty_unit', 'invalid_field', `qty_unit: position_percent closes a share of the open position, so it goes with side Close only, not ${side}`);
  }
  if (value.target_position !== undefined) {
    if (intent === 'close' && value.target_position !== 0) {
      issue(ctx, 'target_position', 'conflicting_fields', `target_position: side ${side} closes the position, but target_position asks for ${value.target_position}; send target_position 0 or another side`);
    }
    if (value.qty_unit === 'position_percent') issue(ctx, 'qty_unit', 'invalid_field', 'qty_unit: position_percent cannot size a target position');
    if (value.reduce_only !== undefined) issue(ctx, 'reduce_only', 'invalid_field', 'reduce_only: a target position decides for itself whether it only shrinks the position; leave reduce_only out');
  }
  if (value.reduce_only !== undefined) {
    if (intent === 'sarbuy' || intent === 'sarsell') issue(ctx, 'reduce_only', 'invalid_field', 'reduce_only: stop and reverse (Sarbuy/Sarsell) opens the other side, so it cannot be reduce-only');
    if (intent === 'close' && value.reduce_only === false) issue(ctx, 'reduce_only', 'invalid_field', 'reduce_only: a Close is always reduce-only');
  }
  const protection = (['stop_loss', 'take_profit', 'stop_loss_percent', 'take_profit_percent'] as const).find((field) => value[field] !== undefined);
  if (protection) {
    if (intent === 'close') issue(ctx, protection, 'protection_not_allowed', `${protection}: a Close only shrinks the position; protection goes on the order that opens or grows it`);
    else if (value.reduce_only === true) issue(ctx, protection, 'protection_not_allowed', `${protection}: a reduce-only order only shrinks the position; protection goes on the order that opens or grows it`);
    else if (value.target_position === 0) issue(ctx, protection, 'protection_not_allowed', `${protection}: target_position 0 closes the position; protection goes on the order that opens or grows it`);
  }
  if (value.max_lag !== undefined && value.signal_time === undefined) {
    issue(ctx, 'signal_time', 'missing_field', 'signal_time is required with max_lag: it says when the signal was made (TradingView: {{timenow}})');
  }
}

export function toShapingFields(out: ShapingOutput): ShapingFields {
  return {
    qtyUnit: out.qty_unit ?? null,
    targetPosition: out.target_position ?? null,
    leverage: out.leverage ?? null,
    stopLoss: out.stop_loss ?? null,
    takeProfit: out.take_profit ?? null,
    stopLossPercent: out.stop_loss_percent ?? null,
    takeProfitPercent: out.take_profit_percent ?? null,
    signalTime: out.signal_time ?? null,
    maxLag: out.max_lag ?? null,
    reduceOnly: out.reduce_only ?? null,
  };
}
