import type { ExchangeOrderView, OrderView } from '../../../shared/order-view.js';
import type { CsvColumn } from './csv-writer.js';

/**
 * Orders as CSV: one record per leg (an order without legs, such as a skipped Close, has one record
 * with the leg's columns empty), so a spreadsheet can sum what each leg filled. A fill's own columns
 * (price, amount, fee) would be a third level: give the row a `fill`, yield one record per fill in
 * orderCsvRows, and add their columns here.
 */
export interface OrderCsvRow {
  order: OrderView;
  leg: ExchangeOrderView | null;
}

export function orderCsvRows(order: OrderView): OrderCsvRow[] {
  return order.legs.length === 0 ? [{ order, leg: null }] : order.legs.map((leg) => ({ order, leg }));
}

const ofLeg = <K extends keyof ExchangeOrderView>(key: K) => (row: OrderCsvRow) => (row.leg ? (row.leg[key] as ExchangeOrderView[K]) : null);

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
];
