import { atConcurrency } from './load.js';
import { nthOrder } from './order-mix.js';
import type { OrderAnswer, SignedOrderClient } from './signed-orders.js';
import { percentile } from './stats.js';

export interface ThroughputResult {
  orders: number;
  concurrency: number;
  elapsedMs: number;
  ordersPerSecond: number;
  /** Answers by HTTP status, e.g. { "200": 10000 }. */
  byStatus: Record<string, number>;
  p50Ms: number;
  p99Ms: number;
  engineAnswers: OrderAnswer[];
}

/** `orders` signed orders through the engine by `concurrency` callers, each sending its next on an answer. */
export async function measureThroughput(options: { engine: SignedOrderClient; orders: number; concurrency: number; firstEngineOrder: number }): Promise<ThroughputResult> {
  const { calls, elapsedMs } = await atConcurrency(options.orders, options.concurrency, (index) => options.engine.place(nthOrder(options.firstEngineOrder + index)));
  const byStatus: Record<string, number> = {};
  for (const call of calls) byStatus[call.result.status] = (byStatus[call.result.status] ?? 0) + 1;
  const latencies = calls.map((call) => call.latencyMs);
  return {
    orders: options.orders,
    concurrency: options.concurrency,
    elapsedMs,
    ordersPerSecond: (options.orders / elapsedMs) * 1000,
    byStatus,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    engineAnswers: calls.map((call) => call.result),
  };
}
