import type { ColdStart } from './cold-start.js';
import type { DiskSync } from './disk-sync.js';
import { type BurstFigures, EDGE_SIDES, type EdgeExchange, type EdgeLatency } from './edge-latency.js';
import type { Integrity } from './integrity.js';
import type { LatencyResult } from './latency.js';
import type { Figure } from './report.js';
import type { PnlReadTimes } from './journal-history.js';
import type { ThroughputResult } from './throughput.js';

export const MB = 1_000_000;

export interface RunResults {
  latency: LatencyResult;
  throughput: ThroughputResult;
  /** Engine CPU (user + kernel) while the throughput orders went through. */
  engineCpuMs: number;
  coldStart: ColdStart;
  firstOrderMs: number;
  /** Engine RSS in bytes. */
  memory: { idle: number; afterWarmUp: number; after: number };
  integrity: Integrity;
}

/** The exchange edge's figures: per exchange and side, then the bursts. */
export function edgeFiguresOf(latency: EdgeLatency, bursts: Record<EdgeExchange, BurstFigures>, diskSync: DiskSync, journalOrders: number, pnlReads: PnlReadTimes): Figure[] {
  const figures: Figure[] = [
    { key: 'edge_journal_history_orders', label: 'ended orders in the journal before the edge runs', value: journalOrders, unit: '' },
    { key: 'pnl_first_report_ms', label: `first PnL report of every strategy after start, over ${pnlReads.fills.toLocaleString('en-US')} fills`, value: pnlReads.firstReportMs, unit: 'ms' },
    { key: 'pnl_first_report_longest_block_ms', label: "the engine's thread held at once meanwhile, at most", value: pnlReads.firstReportLongestBlockMs, unit: 'ms' },
    { key: 'pnl_report_ms', label: 'PnL report of every strategy after one more fill, on the engine\'s thread', value: pnlReads.reportMs, unit: 'ms' },
    { key: 'pnl_curve_ms', label: "a strategy's PnL curve after one more fill, on the engine's thread", value: pnlReads.curveMs, unit: 'ms' },
    { key: 'pnl_rewrite_report_ms', label: "PnL report after the newest fill was replaced by the exchange's trades", value: pnlReads.rewriteReportMs, unit: 'ms' },
    { key: 'disk_sync_p50_ms', label: "disk sync of an order's journal pages (fdatasync), p50", value: diskSync.p50Ms, unit: 'ms' },
    { key: 'disk_sync_p99_ms', label: 'disk sync, p99', value: diskSync.p99Ms, unit: 'ms' },
  ];
  for (const exchange of ['bybit', 'binance'] as const) {
    const name = exchange === 'bybit' ? 'Bybit' : 'Binance USDⓈ-M';
    const floor = latency.loopbackFloor[exchange];
    figures.push({ key: `edge_${exchange}_loopback_floor_p50_ms`, label: `${name}: two loopback hops, no engine between, p50`, value: floor.p50Ms, unit: 'ms' });
    for (const side of EDGE_SIDES) {
      const measured = latency.bySide[exchange][side];
      const key = `edge_${exchange}_${side.toLowerCase()}`;
      figures.push(
        { key: `${key}_p50_ms`, label: `${name} ${side}: request to create arriving, p50`, value: measured.p50Ms, unit: 'ms' },
        { key: `${key}_own_p50_ms`, label: `${name} ${side}: the engine's own (less the hops), p50`, value: measured.ownP50Ms, unit: 'ms', target: { op: '<=', value: 2 } },
        { key: `${key}_p99_ms`, label: `${name} ${side}: request to create arriving, p99`, value: measured.p99Ms, unit: 'ms' },
        { key: `${key}_extra_requests`, label: `${name} ${side}: requests before the create (mean)`, value: measured.extraRequestsMean, unit: '', target: { op: '=', value: 0 } },
        { key: `${key}_background_requests`, label: `${name} ${side}: background reads meanwhile (mean)`, value: measured.backgroundRequestsMean, unit: '' },
      );
    }
    const burst = bursts[exchange];
    figures.push(
      { key: `edge_${exchange}_burst_floor_ms`, label: `${name}: what its create limit makes ${burst.orders} orders wait`, value: burst.limitFloorMs, unit: 'ms' },
      { key: `edge_${exchange}_burst_counted_floor_ms`, label: `${name}: the same, a window counted from each answer`, value: burst.countedFloorMs, unit: 'ms' },
      { key: `edge_${exchange}_burst_in_order_floor_ms`, label: `${name}: each symbol's orders in arrival order, a round trip apart`, value: burst.inOrderFloorMs, unit: 'ms' },
      { key: `edge_${exchange}_burst_sent_ms`, label: `${name}: the bot had sent all ${burst.orders} after`, value: burst.lastSentMs, unit: 'ms' },
      { key: `edge_${exchange}_burst_first_ms`, label: `${name}: the first create left after`, value: burst.firstCreateMs, unit: 'ms' },
      { key: `edge_${exchange}_burst_ms`, label: `${name}: ${burst.orders} orders on ${burst.symbols} symbols, last create left after`, value: burst.lastCreateMs, unit: 'ms', target: { op: '<=', value: burst.limitFloorMs + 50 } },
    );
  }
  return figures;
}

/** Every figure of a run, in the order printed; the README's targets on those that have one. */
export function figuresOf({ latency, throughput, engineCpuMs, coldStart, firstOrderMs, memory, integrity }: RunResults): Figure[] {
  return [
    { key: 'engine_p50_ms', label: `engine latency p50 (${latency.perSecond}/s)`, value: latency.engine.p50Ms, unit: 'ms' },
    { key: 'engine_p99_ms', label: `engine latency p99 (${latency.perSecond}/s)`, value: latency.engine.p99Ms, unit: 'ms' },
    { key: 'direct_p50_ms', label: 'ccxt direct latency p50', value: latency.direct.p50Ms, unit: 'ms' },
    { key: 'direct_p99_ms', label: 'ccxt direct latency p99', value: latency.direct.p99Ms, unit: 'ms' },
    { key: 'direct_lookup_p50_ms', label: 'ccxt direct create + fetch p50', value: latency.directWithLookUp.p50Ms, unit: 'ms' },
    { key: 'direct_lookup_p99_ms', label: 'ccxt direct create + fetch p99', value: latency.directWithLookUp.p99Ms, unit: 'ms' },
    { key: 'added_p50_ms', label: 'added latency p50', value: latency.addedP50Ms, unit: 'ms', target: { op: '<=', value: 1 } },
    { key: 'added_p99_ms', label: 'added latency p99', value: latency.addedP99Ms, unit: 'ms', target: { op: '<=', value: 5 } },
    { key: 'ratio_p50', label: 'engine / direct p50', value: latency.ratioP50, unit: 'x' },
    { key: 'ratio_p99', label: 'engine / direct p99', value: latency.ratioP99, unit: 'x' },
    { key: 'throughput_per_s', label: `throughput (${throughput.orders} at concurrency ${throughput.concurrency})`, value: throughput.ordersPerSecond, unit: 'orders/s', target: { op: '>=', value: 2000 } },
    { key: 'throughput_p50_ms', label: 'latency p50 under that load', value: throughput.p50Ms, unit: 'ms' },
    { key: 'throughput_p99_ms', label: 'latency p99 under that load', value: throughput.p99Ms, unit: 'ms' },
    { key: 'engine_cpu_per_order_ms', label: 'engine CPU per order under that load', value: engineCpuMs / throughput.orders, unit: 'ms' },
    { key: 'cold_start_ms', label: `cold start to listening (median of ${coldStart.starts.length})`, value: coldStart.medianListeningMs, unit: 'ms', target: { op: '<=', value: 700 } },
    { key: 'cold_start_answer_ms', label: 'cold start to first HTTP answer', value: coldStart.medianFirstAnswerMs, unit: 'ms' },
    { key: 'first_order_ms', label: 'first live order after start', value: firstOrderMs, unit: 'ms' },
    { key: 'rss_idle_mb', label: 'RSS idle (started, no order yet)', value: memory.idle / MB, unit: 'MB' },
    { key: 'rss_warm_mb', label: 'RSS after warm-up (1,000 orders)', value: memory.afterWarmUp / MB, unit: 'MB' },
    { key: 'rss_after_mb', label: `RSS after ${throughput.orders} more orders`, value: memory.after / MB, unit: 'MB', target: { op: '<=', value: 150 } },
    { key: 'orders_sent', label: 'orders sent to the engine', value: integrity.sent, unit: '' },
    { key: 'orders_2xx', label: 'answered 2xx', value: integrity.successful, unit: '' },
    { key: 'journal_rows', label: 'journal rows', value: integrity.journalRows, unit: '' },
    { key: 'exchange_received', label: 'orders the fake exchange received', value: integrity.exchangeReceived, unit: '' },
    // Every order of the run is valid: a refusal or failure means the figures above measured errors.
    { key: 'refused', label: 'answered other than 2xx', value: integrity.sent - integrity.successful, unit: '', target: { op: '=', value: 0 } },
    { key: 'lost', label: 'lost (not in all of: 2xx, journal, exchange)', value: integrity.lost, unit: '', target: { op: '=', value: 0 } },
    { key: 'duplicated', label: 'duplicated client order ids', value: integrity.duplicated, unit: '', target: { op: '=', value: 0 } },
  ];
}
