import type { DirectCcxt } from './direct-ccxt.js';
import { atSteadyRate, type Timed } from './load.js';
import { nthOrder } from './order-mix.js';
import type { OrderAnswer, SignedOrderClient } from './signed-orders.js';
import { percentile } from './stats.js';

export interface PathLatency {
  orders: number;
  ok: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface LatencyResult {
  perSecond: number;
  engine: PathLatency;
  direct: PathLatency;
  /** ccxt create, then fetch of the same order: what the engine sends to Bybit for each order. */
  directWithLookUp: PathLatency;
  addedP50Ms: number;
  addedP99Ms: number;
  ratioP50: number;
  ratioP99: number;
  /** How late the bench made its calls at worst (its own timer jitter). */
  scheduleLagMs: number;
  /** Every engine answer, for the run's nothing-lost count. */
  engineAnswers: OrderAnswer[];
}

/**
 * A path's latencies count only when every one of its orders went through: a refusal or a failure
 * takes its own time (a quick 4xx, a slow timeout), which says nothing of an order's. Otherwise they
 * are NaN, which no target passes.
 */
export function summary<T>(calls: Timed<T>[], ok: (result: T) => boolean): PathLatency {
  const latencies = calls.map((call) => call.latencyMs);
  const succeeded = calls.filter((call) => ok(call.result)).length;
  const measured = calls.length > 0 && succeeded === calls.length;
  return {
    orders: calls.length,
    ok: succeeded,
    p50Ms: measured ? percentile(latencies, 50) : Number.NaN,
    p99Ms: measured ? percentile(latencies, 99) : Number.NaN,
    maxMs: measured ? Math.max(...latencies) : Number.NaN,
  };
}

/**
 * The same orders at the same steady rate, through the engine and straight through ccxt (create
 * alone, and create then fetch), in alternating blocks: every path sees the fake exchange (and the
 * machine) in the same states.
 */
export async function measureLatency(options: {
  engine: SignedOrderClient;
  direct: DirectCcxt;
  perSecond: number;
  ordersPerPath: number;
  /** Index of the first engine order in the run's order sequence. */
  firstEngineOrder: number;
}): Promise<LatencyResult> {
  const { engine, direct, perSecond } = options;
  // One-second blocks: each path idles two seconds at most, well within the engine's 5 s keep-alive,
  // so no request of the bench races a server closing an idle connection.
  const perBlock = perSecond;
  const blocks = Math.ceil(options.ordersPerPath / perBlock);
  const engineCalls: Timed<OrderAnswer>[] = [];
  const directCalls: Timed<boolean>[] = [];
  const lookUpCalls: Timed<boolean>[] = [];
  let lag = 0;
  for (let block = 0; block < blocks; block++) {
    const size = Math.min(perBlock, options.ordersPerPath - block * perBlock);
    const viaCcxt = await atSteadyRate(size, perSecond, (index) => direct.place(nthOrder(block * perBlock + index)));
    const withLookUp = await atSteadyRate(size, perSecond, (index) => direct.placeAndLookUp(nthOrder(block * perBlock + index)));
    const viaEngine = await atSteadyRate(size, perSecond, (index) => engine.place(nthOrder(options.firstEngineOrder + block * perBlock + index)));
    directCalls.push(...viaCcxt.calls);
    lookUpCalls.push(...withLookUp.calls);
    engineCalls.push(...viaEngine.calls);
    lag = Math.max(lag, viaCcxt.lagMs, withLookUp.lagMs, viaEngine.lagMs);
  }
  const viaEngine = summary(engineCalls, (answer) => answer.status >= 200 && answer.status < 300);
  const viaCcxt = summary(directCalls, (ok) => ok);
  return {
    perSecond,
    engine: viaEngine,
    direct: viaCcxt,
    directWithLookUp: summary(lookUpCalls, (ok) => ok),
    addedP50Ms: viaEngine.p50Ms - viaCcxt.p50Ms,
    addedP99Ms: viaEngine.p99Ms - viaCcxt.p99Ms,
    ratioP50: viaEngine.p50Ms / viaCcxt.p50Ms,
    ratioP99: viaEngine.p99Ms / viaCcxt.p99Ms,
    scheduleLagMs: lag,
    engineAnswers: engineCalls.map((call) => call.result),
  };
}
