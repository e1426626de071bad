import type { OrderError, OrderStatus, OrderView } from './order-view.js';

/** The order as POST /v1/order answers it: the journal id, its status and the exchange order ids. */
export interface OrderReceipt {
  id: number;
  status: OrderStatus;
  strategy: string;
  exchange: string;
  symbol: string;
  side: string;
  order_type: 'market' | 'limit';
  qty: string | null;
  price: string | null;
  dry_run: boolean;
  plan: string | null;
  orders: {
    client_order_id: string;
    exchange_order_id: string | null;
    side: 'buy' | 'sell';
    type: 'market' | 'limit';
    amount: string;
    price: string | null;
    reduce_only: boolean;
    status: OrderStatus;
    filled: string;
    average_price: string | null;
  }[];
  error: OrderError | null;
}

export interface ApiErrorBody {
  code: string;
  message: string;
  field?: string;
}

export type OrderResponse =
  | { ok: true; duplicate?: true; order: OrderReceipt }
  | { ok: false; error: ApiErrorBody; order?: OrderReceipt };

export function toReceipt(order: OrderView): OrderReceipt {
  return {
    id: order.id,
    status: order.status,
    strategy: order.strategy,
    exchange: order.exchange,
    symbol: order.symbol,
    side: order.side,
    order_type: order.orderType,
    qty: order.qty,
    price: order.price,
    dry_run: order.dryRun,
    plan: order.plan,
    orders: order.legs.map((leg) => ({
      client_order_id: leg.clientOrderId,
      exchange_order_id: leg.exchangeOrderId,
      side: leg.side,
      type: leg.type,
      amount: leg.amount,
      price: leg.price,
      reduce_only: leg.reduceOnly,
      status: leg.status,
      filled: leg.filled,
      average_price: leg.averagePrice,
    })),
    error: order.error,
  };
}
