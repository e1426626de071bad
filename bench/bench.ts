// `npm run bench`: the performance benchmark (the README's Performance section). Starts the fake exchange (its own process) and the engine as
// `apisify serve` on 127.0.0.1, sets them up through the command, then measures in one run: added
// latency at a steady rate against the same orders sent straight through ccxt, throughput at a
// fixed concurrency, cold start, memory, and that nothing was lost. Prints each figure beside its
// target and writes them to JSON. A measurement, not a test: it exits 0 when a target is missed.

import { rmSync } from 'node:fs';
import { cpus, loadavg, platform, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type ServeProcess, startServe } from './apisify-cli.js';
import { measureColdStart } from './cold-start.js';
import { DIRECT_CLIENT_ID_PREFIX, DirectCcxt } from './direct-ccxt.js';
import { type FakeExchangeProcess, startFakeExchangeProcess } from './fake-exchange-process.js';
import { checkIntegrity } from './integrity.js';
import { auditJournal } from './journal-audit.js';
import { measureLatency } from './latency.js';
import { atConcurrency } from './load.js';
import { BALANCES, nthOrder } from './order-mix.js';
import { cpuSpent, cpuTime, residentBytes } from './process-usage.js';
import { figuresOf, MB } from './figures.js';
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
  },
});
const count = (name: keyof typeof args) => {
  const value = Number(args[name]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name}: expected a positive whole number, got ${String(args[name])}`);
  return value;
};

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
const log = (line: string) => console.log(`[bench] ${line}`);

/** What the run started, so that it is stopped however the run ends. */
const started: { engine: ServeProcess | null; fake: FakeExchangeProcess | null } = { engine: null, fake: null };
const watchdog = setTimeout(() => {
  console.error(`[bench] did not finish within ${RUN_LIMIT_MS / 60_000} min; stopping`);
  if (started.engine) process.kill(started.engine.pid, 'SIGKILL');
  process.exit(1);
}, RUN_LIMIT_MS);
watchdog.unref();

async function main(): Promise<void> {
  const loadBefore = loadavg();
  // --cpu-prof DIR profiles the engine and the fake exchange (one .cpuprofile each, named by pid).
  const profileDir = args['cpu-prof'] ? resolve(args['cpu-prof']) : null;
  const profile = profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [];
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

  const figures = figuresOf({ latency, throughput, engineCpuMs, coldStart, firstOrderMs, memory: { idle: rssIdle, afterWarmUp: rssWarm, after: rssAfter }, integrity });

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

  writeJson(args.out, {
    date: new Date().toISOString(),
    machine: { platform: platform(), cpus: cpus().length, cpuModel: cpus()[0]?.model ?? '', memoryMb: Math.round(totalmem() / MB), node: process.version, loadAverage1mBefore: loadBefore[0], loadAverage1mAfter: loadAfter[0] },
    targets: Object.fromEntries(figures.filter((figure) => figure.target).map((figure) => [figure.key, figure.target])),
    figures: Object.fromEntries(figures.map((figure) => [figure.key, Number(figure.value.toFixed(3))])),
    missed: missed.map((figure) => figure.key),
    details: {
      units: { ms: 'milliseconds', MB: '10^6 bytes of resident memory' },
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
  clearTimeout(watchdog);
}
