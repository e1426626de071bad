import { Router } from '@koa/router';
import { formatAmount } from '../../../shared/decimal.js';
import type { OrderPreviewAnswer } from '../../../shared/manual-order-api.js';
import type { OrderFields } from '../../../shared/order-request.js';
import type { OrderDecision, SettledOrder } from '../orders/order-decision.js';
import type { EngineServices } from '../services.js';
import { readOrderFields } from './ui-order-body.js';

/**
 * POST /api/orders/preview: the manual form's fields, through the order pipeline's own decision steps
 * (OrderService.preview): authorize, settle the market, read the position for Close and SAR, plan, round
 * and check minimums. Nothing is journaled or sent; a refusal is the API's error, as POST /api/orders gives it.
 */
export function uiOrderPreviewRouter(services: EngineServices): Router {
  const router = new Router({ prefix: '/api' });

  router.post('/orders/preview', async (ctx) => {
    const { fields } = await readOrderFields(ctx);
    const decided = await services.orders.preview(fields, { kind: 'ui' });
    ctx.body = previewAnswer(fields, decided, new Date());
  });

  return router;
}

function previewAnswer(fields: OrderFields, decided: SettledOrder & OrderDecision, readAt: Date): OrderPreviewAnswer {
  const { market, venue, position, sizing, protection } = decided;
  const facts = venue.facts(market);
  return {
    ok: true,
    preview: {
      strategy: decided.strategy.name,
      exchange: fields.exchange,
      account: decided.account.account,
      symbol: fields.symbol,
      market: market.symbol,
      market_type: market.type,
      dry_run: venue.dryRun,
      side: fields.side,
      order_type: fields.orderType,
      plan: decided.description,
      skipped: decided.skipped,
      position: position === null ? null : { qty: formatAmount(position.qty), kind: market.type === 'spot' ? 'free_balance' : 'position', read_at: readAt.toISOString() },
      orders: decided.legs.map((leg) => ({
        side: leg.side,
        type: leg.type,
        amount: formatAmount(leg.amount),
        price: leg.price === null ? null : formatAmount(leg.price),
        reduce_only: leg.reduceOnly,
      })),
      units: { amount: facts.contract === 'inverse' ? 'contracts' : facts.base, value: facts.contract === 'inverse' ? 'USD' : facts.quote },
      ...(sizing ? { sizing: { unit: sizing.unit, input: formatAmount(sizing.input), basis: sizing.basis && { ...sizing.basis, value: formatAmount(sizing.basis.value) }, reference_price: text(sizing.referencePrice), amount: formatAmount(sizing.amount), notional: text(sizing.notional) } } : {}),
      ...(protection ? { protection: { stop_loss: text(protection.stopLoss), take_profit: text(protection.takeProfit), style: protection.style, reference_price: formatAmount(protection.referencePrice) } } : {}),
      ...(decided.leverage !== null ? { leverage: formatAmount(decided.leverage) } : {}),
      ...(decided.marginMode !== null ? { margin_mode: decided.marginMode } : {}),
      ...(decided.skipReason ? { skip_reason: { code: decided.skipReason.code, message: decided.skipReason.message } } : {}),
    },
  };
}

function text(value: number | null): string | null {
  return value === null ? null : formatAmount(value);
}
