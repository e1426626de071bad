import type { ExchangeOrderView, OrderView } from '../../../shared/order-view.js';
import type { Fill } from '../store/fills.js';
import type { CsvColumn } from './csv-writer.js';

/**
 * Orders as CSV, three levels flattened: one record per fill of each leg (its price, amount, fee), a
 * leg with no fill one record with the fill's columns empty, an order without legs (a skipped Close)
 * one record with the leg's empty too. A spreadsheet sums `fill_amount` and `fill_fee`; the leg's
 * `filled` and the order's columns repeat on each of its fills.
 */
export interface OrderCsvRow {
  order: OrderView;
  leg: ExchangeOrderView | null;
  fill: Fill | null;
}

export type FillsOfLeg = (orderId: number, leg: number) => Fill[];

export function orderCsvRows(order: OrderView, fillsOf: FillsOfLeg): OrderCsvRow[] {
  if (order.legs.length === 0) return [{ order, leg: null, fill: null }];
  return order.legs.flatMap((leg): OrderCsvRow[] => {
    const fills = fillsOf(order.id, leg.leg);
    return fills.length === 0 ? [{ order, leg, fill: null }] : fills.map((fill) => ({ order, leg, fill }));
  });
}

const ofLeg = <K extends keyof ExchangeOrderView>(key: K) => (row: OrderCsvRow) => (row.leg ? (row.leg[key] as ExchangeOrderView[K]) : null);
const ofFill = <K extends keyof Fill>(key: K) => (row: OrderCsvRow) => (row.fill ? (row.fill[key] as Fill[K]) : null);

export const ORDER_CSV_COLUMNS: readonly CsvColumn<OrderCsvRow>[] = [
  { header: 'order_id', cell: ({ order }) => order.id },
  { header: 'received_at', cell: ({ order }) => order.receivedAt },
  { header: 'updated_at', cell: ({ order }) => order.updatedAt },
  { header: 'source', cell: ({ order }) => order.source },
  { header: 'api_key', cell: ({ order }) => order.apiKeyLabel },
  { header: 'strategy', cell: ({ order }) => order.strategy },
  { header: 'exchange', cell: ({ order }) => order.exchange },
  { header: 'account', cell: ({ order }) => order.account },
  { header: 'dry_run', cell: ({ order }) => order.dryRun },
  { header: 'market', cell: ({ order }) => order.market?.symbol ?? null },
  { header: 'market_type', cell: ({ order }) => order.market?.type ?? null },
  { header: 'symbol', cell: ({ order }) => order.symbol },
  { header: 'side', cell: ({ order }) => order.side },
  { header: 'order_type', cell: ({ order }) => order.orderType },
  { header: 'qty', cell: ({ order }) => order.qty },
  { header: 'price', cell: ({ order }) => order.price },
  { header: 'memo', cell: ({ order }) => order.memo },
  { header: 'status', cell: ({ order }) => order.status },
  { header: 'plan', cell: ({ order }) => order.plan },
  { header: 'error_code', cell: ({ order }) => order.error?.code ?? null },
  { header: 'error_field', cell: ({ order }) => order.error?.field ?? null },
  { header: 'error_message', cell: ({ order }) => order.error?.message ?? null },
  { header: 'qty_unit', cell: ({ order }) => order.sizing?.unit ?? null },
  { header: 'sized_amount', cell: ({ order }) => order.sizing?.amount ?? null },
  { header: 'stop_loss', cell: ({ order }) => order.protection?.stopLoss ?? null },
  { header: 'take_profit', cell: ({ order }) => order.protection?.takeProfit ?? null },
  { header: 'leg', cell: ofLeg('leg') },
  { header: 'leg_role', cell: ofLeg('role') },
  { header: 'trigger_price', cell: ofLeg('triggerPrice') },
  { header: 'client_order_id', cell: ofLeg('clientOrderId') },
  { header: 'exchange_order_id', cell: ofLeg('exchangeOrderId') },
  { header: 'leg_side', cell: ofLeg('side') },
  { header: 'leg_type', cell: ofLeg('type') },
  { header: 'leg_amount', cell: ofLeg('amount') },
  { header: 'leg_price', cell: ofLeg('price') },
  { header: 'reduce_only', cell: ofLeg('reduceOnly') },
  { header: 'leg_status', cell: ofLeg('status') },
  { header: 'filled', cell: ofLeg('filled') },
  { header: 'average_price', cell: ofLeg('averagePrice') },
  { header: 'sent_at', cell: ofLeg('sentAt') },
  { header: 'answered_at', cell: ofLeg('answeredAt') },
  { header: 'leg_error', cell: ofLeg('error') },
  { header: 'fee', cell: ofLeg('fee') },
  { header: 'fee_currency', cell: ofLeg('feeCurrency') },
  { header: 'fill_at', cell: ofFill('at') },
  { header: 'fill_amount', cell: ofFill('amount') },
  { header: 'fill_price', cell: ofFill('price') },
  { header: 'fill_fee', cell: ofFill('fee') },
  { header: 'fill_fee_currency', cell: ofFill('feeCurrency') },
  // trade: the exchange's own trade; order: derived from the order's filled amount, average price and fee
  { header: 'fill_source', cell: ofFill('source') },
  { header: 'trade_id', cell: ofFill('tradeId') },
];
