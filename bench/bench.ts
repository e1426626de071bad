// `npm run bench`. Two parts, each against fake exchanges in processes of their own and the engine as
// `apisify serve` on 127.0.0.1, set up through the command as a user would:
// 1. The exchange edge as users run it: the engine's request scheduler on, fakes that enforce the
//    exchanges' published limits and answer after a round trip (default 50 ms). Per side and exchange,
//    the time from a request's arrival to its create leaving the engine and the requests made before
//    it; a burst of 50 orders on 25 symbols.
// 2. The engine's own capacity, with the scheduler off against a fake without limits (an exchange
//    would allow 10 creates a second, which measures the exchange, not the engine): added latency at
//    a steady rate against the same orders sent straight through ccxt, throughput at a fixed
//    concurrency, cold start, memory, and that nothing was lost.
// Prints each figure beside its target and writes them to JSON. A measurement, not a test: it exits 0
// when a target is missed.

import { rmSync } from 'node:fs';
import { cpus, loadavg, platform, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type ServeProcess, startServe } from './apisify-cli.js';
import { measureColdStart } from './cold-start.js';
import { type DiskSync, measureDiskSync } from './disk-sync.js';
import { DIRECT_CLIENT_ID_PREFIX, DirectCcxt } from './direct-ccxt.js';
import { type FakeExchangeProcess, startFakeExchangeProcess } from './fake-exchange-process.js';
import { checkIntegrity } from './integrity.js';
import { auditJournal } from './journal-audit.js';
import { measureLatency } from './latency.js';
import { atConcurrency } from './load.js';
import { BALANCES, nthOrder } from './order-mix.js';
import { cpuSpent, cpuTime, residentBytes } from './process-usage.js';
import { type BurstFigures, EDGE_STRATEGY, type EdgeExchange, type EdgeLatency, measureBurst, measureEdgeLatency, prepareEdgeDataDir } from './edge-latency.js';
import { fillJournalHistory, type PnlReadTimes, timePnlReads } from './journal-history.js';
import { edgeFiguresOf, figuresOf, MB } from './figures.js';
import { formatTable, passes, writeJson } from './report.js';
import { EXCHANGE_CREDENTIALS, prepareDataDir } from './setup.js';
import { type OrderAnswer, SignedOrderClient } from './signed-orders.js';
import { measureThroughput } from './throughput.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
/** The whole run stops by itself: past this, the processes it started are ended and it fails. */
const RUN_LIMIT_MS = 15 * 60_000;

const { values: args } = parseArgs({
  options: {
    orders: { type: 'string', default: '10000' },
    concurrency: { type: 'string', default: '50' },
    rate: { type: 'string', default: '200' },
    'latency-orders': { type: 'string', default: '2000' },
    'cold-starts': { type: 'string', default: '7' },
    out: { type: 'string', default: resolve(REPO, 'test-output/bench.json') },
    'cpu-prof': { type: 'string' },
    'engine-node-arg': { type: 'string', multiple: true, default: [] },
    keep: { type: 'boolean', default: false },
    'round-trip-ms': { type: 'string', default: '50' },
    'edge-cycles': { type: 'string', default: '20' },
    'edge-only': { type: 'boolean', default: false },
    'journal-orders': { type: 'string', default: '100000' },
  },
});
const count = (name: keyof typeof args) => {
  const value = Number(args[name]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name}: expected a positive whole number, got ${String(args[name])}`);
  return value;
};

/** --cpu-prof DIR profiles the engines and the fake exchange (one .cpuprofile each, named by pid). */
function profileArgs(): string[] {
  return args['cpu-prof'] ? ['--cpu-prof', '--cpu-prof-dir', resolve(args['cpu-prof'])] : [];
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
const log = (line: string) => console.log(`[bench] ${line}`);

/** What the run started, so that it is stopped however the run ends. */
const started: { engine: ServeProcess | null; fake: FakeExchangeProcess | null; edgeFakes: FakeExchangeProcess[] } = { engine: null, fake: null, edgeFakes: [] };
const watchdog = setTimeout(() => {
  console.error(`[bench] did not finish within ${RUN_LIMIT_MS / 60_000} min; stopping`);
  if (started.engine) process.kill(started.engine.pid, 'SIGKILL');
  process.exit(1);
}, RUN_LIMIT_MS);
watchdog.unref();

/** The markets the journal's past orders traded: the fakes' own and their extra ones (the burst's). */
const HISTORY_SYMBOLS = ['BTCUSDT', 'ETHUSDT', ...Array.from({ length: 25 }, (_, index) => `A${index + 1}USDT`)];

/** Part 1: the exchange edge, with everything on as shipped. */
const history = Number(args['journal-orders']);
if (!Number.isInteger(history) || history < 0) throw new Error(`--journal-orders: expected a whole number of orders, got ${String(args['journal-orders'])}`);

async function measureEdge(): Promise<{ latency: EdgeLatency; bursts: Record<EdgeExchange, BurstFigures>; diskSync: DiskSync; history: number; pnlReads: PnlReadTimes }> {
  const roundTripMs = Number(args['round-trip-ms']);
  if (!Number.isFinite(roundTripMs) || roundTripMs < 0) throw new Error(`--round-trip-ms: expected a number of milliseconds, got ${String(args['round-trip-ms'])}`);
  const fakeOptions = { ...EXCHANGE_CREDENTIALS, balances: BALANCES, rateLimits: 'published' as const, roundTripMs, extraMarkets: 25 };
  const fakes = {
    bybit: await startFakeExchangeProcess({ venue: 'bybit', ...fakeOptions }),
    binance: await startFakeExchangeProcess({ venue: 'binance', ...fakeOptions }),
  };
  started.edgeFakes.push(fakes.bybit, fakes.binance);
  const { dataDir, key } = await prepareEdgeDataDir(fakes);
  log(`exchange edge: a journal with a past of ${history} ended orders, as after months of trading`);
  fillJournalHistory(dataDir, { orders: history, strategy: EDGE_STRATEGY, exchanges: ['bybit', 'binance'], symbols: HISTORY_SYMBOLS });
  log('exchange edge: the disk sync that runs beside every create (the answer waits for it), on the data dir\'s disk');
  const diskSync = await measureDiskSync(dataDir);
  // --cpu-prof and --engine-node-arg reach this engine too (the second part's is another process)
  const engine = (started.engine = await startServe(dataDir, { nodeArgs: [...profileArgs(), ...args['engine-node-arg']] }));
  log(`exchange edge: engine at ${engine.url} as shipped (scheduler on), fakes with published limits and a ${roundTripMs} ms round trip`);
  const client = new SignedOrderClient(engine.url, key);
  try {
    const latency = await measureEdgeLatency({ client, fakes, cycles: count('edge-cycles'), roundTripMs, price: 60_000 });
    log('exchange edge: a burst of 50 orders on 25 symbols, each exchange');
    const bursts = {
      bybit: await measureBurst({ client, fake: fakes.bybit, exchange: 'bybit', orders: 50, symbols: 25, roundTripMs }),
      binance: await measureBurst({ client, fake: fakes.binance, exchange: 'binance', orders: 50, symbols: 25, roundTripMs }),
    };
    client.close();
    await engine.stop();
    started.engine = null;
    log('exchange edge: the PnL views over that journal, with the engine\'s code');
    return { latency, bursts, diskSync, history, pnlReads: await timePnlReads(dataDir, EDGE_STRATEGY) };
  } finally {
    client.close();
    if (started.engine) await engine.stop();
    started.engine = null;
    for (const fake of started.edgeFakes.splice(0)) await fake.close();
    if (!args.keep) rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const loadBefore = loadavg();
  const edge = await measureEdge();
  if (args['edge-only']) {
    const figures = edgeFiguresOf(edge.latency, edge.bursts, edge.diskSync, edge.history, edge.pnlReads);
    console.log(`\n${formatTable(figures)}\n`);
    for (const failure of edge.latency.failures) console.log(`Note: exchange edge order not measured: ${failure}`);
    writeJson(args.out, { date: new Date().toISOString(), figures: Object.fromEntries(figures.map((figure) => [figure.key, Number(figure.value.toFixed(3))])), details: { exchangeEdge: edge } });
    return;
  }
  const profileDir = args['cpu-prof'] ? resolve(args['cpu-prof']) : null;
  const profile = profileArgs();
  const fake = (started.fake = await startFakeExchangeProcess({ venue: 'bybit', ...EXCHANGE_CREDENTIALS, balances: BALANCES }, profile));
  const { dataDir, key } = await prepareDataDir(fake.url);
  log(`fake Bybit at ${fake.url} (pid ${fake.pid}); data dir ${dataDir}`);

  log(`cold start: ${count('cold-starts')} starts of apisify serve`);
  const coldStart = await measureColdStart(dataDir, count('cold-starts'));

  const engine = (started.engine = await startServe(dataDir, { env: { APISIFY_EXCHANGE_RATE_LIMIT: 'off' }, nodeArgs: [...profile, ...args['engine-node-arg']] }));
  log(`engine at ${engine.url} (pid ${engine.pid})`);
  await sleep(1_000);
  const rssIdle = residentBytes(engine.pid);

  const client = new SignedOrderClient(engine.url, key);
  const direct = await DirectCcxt.connect(fake.url, EXCHANGE_CREDENTIALS);
  const answers: OrderAnswer[] = [];
  let engineOrders = 0;

  // The first live order builds the ccxt instance (class, markets, clock): a cost paid once per start.
  const firstStarted = performance.now();
  answers.push(await client.place(nthOrder(engineOrders++)));
  const firstOrderMs = performance.now() - firstStarted;

  log('warm-up: 1,000 orders each way');
  const warmEngine = await atConcurrency(999, 10, (index) => client.place(nthOrder(engineOrders + index)));
  engineOrders += 999;
  answers.push(...warmEngine.calls.map((call) => call.result));
  await atConcurrency(1_000, 10, (index) => (index % 2 === 0 ? direct.place(nthOrder(index)) : direct.placeAndLookUp(nthOrder(index))));
  const rssWarm = residentBytes(engine.pid);

  log(`latency: ${count('latency-orders')} orders each way at ${count('rate')}/s`);
  const latency = await measureLatency({ engine: client, direct, perSecond: count('rate'), ordersPerPath: count('latency-orders'), firstEngineOrder: engineOrders });
  engineOrders += latency.engineAnswers.length;
  answers.push(...latency.engineAnswers);

  log(`throughput: ${count('orders')} orders at concurrency ${count('concurrency')}`);
  const rssBeforeThroughput = residentBytes(engine.pid);
  const cpuBefore = { engine: cpuTime(engine.pid), fake: cpuTime(fake.pid), bench: process.cpuUsage() };
  const throughput = await measureThroughput({ engine: client, orders: count('orders'), concurrency: count('concurrency'), firstEngineOrder: engineOrders });
  const benchCpu = process.cpuUsage(cpuBefore.bench);
  // Who used the cores while the 10,000 went through: the engine, the fake exchange, the bench's own client.
  const cpu = {
    engine: cpuSpent(cpuBefore.engine, cpuTime(engine.pid)),
    fakeExchange: cpuSpent(cpuBefore.fake, cpuTime(fake.pid)),
    bench: { userMs: benchCpu.user / 1000, systemMs: benchCpu.system / 1000 },
  };
  const engineCpuMs = cpu.engine ? cpu.engine.userMs + cpu.engine.systemMs : Number.NaN;
  engineOrders += throughput.orders;
  answers.push(...throughput.engineAnswers);
  const rssAfter = residentBytes(engine.pid);
  client.close();

  // Stopped first, so every answer is journaled and the journal is read as it stays on disk.
  const engineExit = await engine.stop();
  started.engine = null;
  const journal = auditJournal(dataDir);
  const exchange = await fake.report('/v5/order/create');
  const engineOnly = (ids: string[]) => ids.filter((id) => !id.startsWith(DIRECT_CLIENT_ID_PREFIX));
  const integrity = checkIntegrity(answers, journal, { accepted: engineOnly(exchange.clientOrderIds), requested: engineOnly(exchange.requestedClientOrderIds) });

  const figures = [...edgeFiguresOf(edge.latency, edge.bursts, edge.diskSync, edge.history, edge.pnlReads), ...figuresOf({ latency, throughput, engineCpuMs, coldStart, firstOrderMs, memory: { idle: rssIdle, afterWarmUp: rssWarm, after: rssAfter }, integrity })];

  const loadAfter = loadavg();
  // The machine may be shared: a busy one slows the engine, the fake and the bench alike.
  console.log(`\n${cpus().length} CPUs; load average (1 min) ${loadBefore[0]?.toFixed(2)} before the run, ${loadAfter[0]?.toFixed(2)} after.`);
  console.log(`\n${formatTable(figures)}\n`);
  const missed = figures.filter((figure) => passes(figure) === false);
  console.log(missed.length === 0 ? 'Every target met.' : `Missed ${missed.length} target(s): ${missed.map((figure) => figure.label).join('; ')}.`);
  if (integrity.sent > integrity.successful) console.log(`Note: answers other than 2xx: ${JSON.stringify(integrity.unsuccessful)}`);
  for (const [name, path] of [['engine', latency.engine], ['ccxt direct', latency.direct], ['ccxt direct create + fetch', latency.directWithLookUp]] as const) {
    if (path.ok < path.orders) console.log(`Note: ${path.orders - path.ok} of the ${path.orders} ${name} orders at ${latency.perSecond}/s failed; its latencies, and the added latency, are not given (NaN)`);
  }
  if (integrity.notFilled > 0) console.log(`Note: ${integrity.notFilled} journaled orders did not end filled: ${JSON.stringify(journal.byStatus)}`);
  for (const failure of edge.latency.failures) console.log(`Note: exchange edge order not measured: ${failure}`);

  writeJson(args.out, {
    date: new Date().toISOString(),
    machine: { platform: platform(), cpus: cpus().length, cpuModel: cpus()[0]?.model ?? '', memoryMb: Math.round(totalmem() / MB), node: process.version, loadAverage1mBefore: loadBefore[0], loadAverage1mAfter: loadAfter[0] },
    targets: Object.fromEntries(figures.filter((figure) => figure.target).map((figure) => [figure.key, figure.target])),
    figures: Object.fromEntries(figures.map((figure) => [figure.key, Number(figure.value.toFixed(3))])),
    missed: missed.map((figure) => figure.key),
    details: {
      units: { ms: 'milliseconds', MB: '10^6 bytes of resident memory' },
      exchangeEdge: edge,
      latency: { perSecond: latency.perSecond, engine: latency.engine, direct: latency.direct, directWithLookUp: latency.directWithLookUp, scheduleLagMs: latency.scheduleLagMs },
      throughput: { orders: throughput.orders, concurrency: throughput.concurrency, elapsedMs: throughput.elapsedMs, byStatus: throughput.byStatus, cpuMs: cpu },
      coldStart,
      memory: { idleMb: rssIdle / MB, afterWarmUpMb: rssWarm / MB, beforeThroughputMb: rssBeforeThroughput / MB, afterThroughputMb: rssAfter / MB },
      integrity,
      journalByStatus: journal.byStatus,
      exchange: { createRequests: exchange.pathRequests, requests: exchange.requests, directOrders: exchange.clientOrderIds.length - integrity.exchangeReceived },
      engineExitCode: engineExit,
      ...(profileDir ? { cpuProfileDir: profileDir } : {}),
    },
  });
  log(`wrote ${args.out}`);
  if (!args.keep) rmSync(dataDir, { recursive: true, force: true });
  else log(`kept the data dir ${dataDir}`);
}

try {
  await main();
} catch (error) {
  console.error(`[bench] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
} finally {
  await started.engine?.stop();
  await started.fake?.close();
  for (const fake of started.edgeFakes) await fake.close();
  clearTimeout(watchdog);
}
