import type { FeeInterface, Order } from 'ccxt';
import type { LegOutcome } from '../venue.js';

/** A leg's state from ccxt's unified order, whether a REST answer or a websocket push. */
export function outcomeOf(order: Order): LegOutcome {
  const algo = algoStateOf(order);
  if (algo) return algoOutcomeOf(order, algo);
  const filled = order.filled ?? 0;
  const status: LegOutcome['status'] =
    order.status === 'closed'
      ? 'filled'
      : order.status === 'canceled' || order.status === 'expired'
        ? 'cancelled'
        : order.status === 'rejected'
          ? 'rejected'
          : order.status === 'open'
            ? filled > 0
              ? 'partially_filled'
              : 'open'
            : 'submitted';
  // Binance prints "0" as the average of an order with no fill yet: that is no price
  const average = order.average ? order.average : null;
  // the time of the order's last change on the exchange's clock: a position row at or after it includes its fills
  const updatedAt = order.lastUpdateTimestamp ?? order.lastTradeTimestamp ?? order.timestamp ?? null;
  return { exchangeOrderId: order.id ?? null, status, filled, averagePrice: average ?? (filled > 0 ? (order.price ?? null) : null), updatedAt: typeof updatedAt === 'number' ? updatedAt : null, fee: feeOf(order) };
}

/**
 * The order's fee so far, in one currency: ccxt's `fee`, else its `fees` when they are all in one
 * currency (Bybit's cumFeeDetail). Fees in several currencies are left to the order's trades.
 */
function feeOf(order: Order): LegOutcome['fee'] {
  // ccxt fills `fees` at run time, though its Order type names only `fee`
  const listed = (order as Order & { fees?: (FeeInterface | undefined)[] }).fees;
  const fees = listed && listed.length > 0 ? listed : order.fee ? [order.fee] : [];
  const known = fees.flatMap((fee) => (fee && typeof fee.cost === 'number' && Number.isFinite(fee.cost) && typeof fee.currency === 'string' ? [{ cost: fee.cost, currency: fee.currency }] : []));
  const currency = known[0]?.currency;
  if (currency === undefined || known.length !== fees.length || known.some((fee) => fee.currency !== currency)) return null;
  return { cost: known.reduce((sum, fee) => sum + fee.cost, 0), currency };
}

/**
 * A Binance USDⓈ-M algo-service (conditional) order as the exchange tells it: `algoStatus` in a REST
 * answer, `X` in an ALGO_UPDATE push. ccxt 4.5.84 reads TRIGGERED and FINISHED both as `closed`, and
 * with no fill field to read it reports a triggered order filled in full (a push) or by 0 (a REST
 * answer). Triggered is only the moment its order goes to the books; what filled is that order's.
 */
export interface AlgoState {
  status: 'NEW' | 'TRIGGERING' | 'TRIGGERED' | 'FINISHED' | 'CANCELED' | 'EXPIRED' | 'REJECTED';
  /** The order it placed in the books once triggered; null before. */
  actualOrderId: string | null;
  /** What that order filled, and at what average: pushed (`aq`, `ap`); null where the answer does not say (REST). */
  filled: number | null;
  average: number | null;
  /** Its trigger was reached (its trigger time is set), whether or not the books took its order. */
  triggered: boolean;
  /** Why the exchange ended it (`rm`), when it said. */
  reason: string | null;
}

const ALGO_STATUSES: readonly AlgoState['status'][] = ['NEW', 'TRIGGERING', 'TRIGGERED', 'FINISHED', 'CANCELED', 'EXPIRED', 'REJECTED'];

export function algoStateOf(order: Order): AlgoState | null {
  const info = order.info as Record<string, unknown> | undefined;
  if (!info) return null;
  const pushed = 'aid' in info;
  const raw = pushed ? info['X'] : info['algoStatus'];
  if (!pushed && !('algoId' in info)) return null;
  const status = ALGO_STATUSES.find((known) => known === raw);
  if (status === undefined) return null;
  const actual = text(pushed ? info['ai'] : info['actualOrderId']);
  return {
    status,
    actualOrderId: actual === '' ? null : actual,
    filled: pushed ? positiveOrZero(info['aq']) : null,
    average: pushed ? positive(info['ap']) : positive(info['actualPrice']),
    triggered: actual !== '' || status === 'TRIGGERING' || status === 'TRIGGERED' || status === 'FINISHED' || (positive(pushed ? info['tt'] : info['triggerTime']) ?? 0) > 0,
    reason: text(info['rm']) || null,
  };
}

/** The triggered order placed in the books: its own state is the leg's (REST, where the algo order tells no fill). */
export function algoOutcomeWithActual(algo: AlgoState, actual: Order): LegOutcome {
  return { ...outcomeOf(actual), triggered: true, reason: algo.reason };
}

function algoOutcomeOf(order: Order, algo: AlgoState): LegOutcome {
  const filled = algo.filled ?? 0;
  const amount = order.amount ?? 0;
  const status: LegOutcome['status'] =
    algo.status === 'NEW' || algo.status === 'TRIGGERING' || algo.status === 'TRIGGERED'
      ? filled > 0
        ? 'partially_filled'
        : 'open'
      : algo.status === 'REJECTED'
        ? 'rejected'
        : algo.status === 'FINISHED' && filled > 0 && (amount === 0 || filled >= amount)
          ? 'filled'
          : 'cancelled';
  const updatedAt = order.lastUpdateTimestamp ?? order.timestamp ?? null;
  return {
    // once triggered, the order in the books is the one that trades: its trades and pushes carry its id
    exchangeOrderId: algo.actualOrderId ?? order.id ?? null,
    status,
    filled,
    averagePrice: filled > 0 ? algo.average : null,
    updatedAt: typeof updatedAt === 'number' ? updatedAt : null,
    fee: null,
    ...(algo.triggered ? { triggered: true } : {}),
    ...(algo.reason ? { reason: algo.reason } : {}),
  };
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
}

function positiveOrZero(value: unknown): number {
  return positive(value) ?? 0;
}

function positive(value: unknown): number | null {
  const number = Number(text(value));
  return Number.isFinite(number) && number > 0 ? number : null;
}
