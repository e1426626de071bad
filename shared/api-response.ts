import { DEFAULT_ACCOUNT } from './account-names.js';
import type { LegRole, OrderError, OrderStatus, OrderView } from './order-view.js';

/** How an order was sized, as the answer says it (README "Shaping an order"). */
export interface SizingReceipt {
  unit: string;
  input: string;
  basis: { kind: 'equity' | 'free' | 'position'; value: string; currency: string } | null;
  reference_price: string | null;
  amount: string;
  notional: string | null;
}

/** The stop-loss and take-profit the position is held with, as the answer says them. */
export interface ProtectionReceipt {
  stop_loss: string | null;
  take_profit: string | null;
  style: 'attached' | 'conditional';
  reference_price: string;
}

/**
 * The order as POST /v1/order answers it: the journal id, its status and the exchange order ids. An
 * order shaped by the optional fields also carries `sizing` and `protection`, and its protective
 * orders `role` and `trigger_price`, and an order on a named account its `account`; an order shaped by none is answered exactly as the spec's.
 */
export interface OrderReceipt {
  id: number;
  status: OrderStatus;
  strategy: string;
  exchange: string;
  /** Only for an order on a named account (not `default`). */
  account?: string;
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
    role?: Exclude<LegRole, 'entry'>;
    trigger_price?: string | null;
  }[];
  sizing?: SizingReceipt;
  protection?: ProtectionReceipt;
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
    ...(order.account !== DEFAULT_ACCOUNT ? { account: order.account } : {}),
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
      ...(leg.role !== 'entry' ? { role: leg.role, trigger_price: leg.triggerPrice } : {}),
    })),
    ...(order.sizing
      ? {
          sizing: {
            unit: order.sizing.unit,
            input: order.sizing.input,
            basis: order.sizing.basis,
            reference_price: order.sizing.referencePrice,
            amount: order.sizing.amount,
            notional: order.sizing.notional,
          },
        }
      : {}),
    ...(order.protection
      ? { protection: { stop_loss: order.protection.stopLoss, take_profit: order.protection.takeProfit, style: order.protection.style, reference_price: order.protection.referencePrice } }
      : {}),
    error: order.error,
  };
}
