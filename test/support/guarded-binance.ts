import type { StartEngineOptions } from '../../main/engine/engine.js';
import { defaultAccountOf } from '../../shared/account-names.js';
import { startFakeExchange, type FakeExchange } from '../fake-exchange/index.js';
import type { Settings } from '../../main/engine/store/settings.js';
import { tempDataDir } from './apisify-process.js';
import { startTestEngine, type TestEngine } from './engine.js';

export interface GuardedBinance {
  engine: TestEngine;
  fake: FakeExchange;
  key: { apikey: string; secret: string };
  stop(): Promise<void>;
}

/**
 * The set-up of the protection tests: a fake Binance USDⓈ-M with 100 000 USDT and BTCUSDT at 60 000,
 * and an engine whose default Binance account trades it, with one live swap strategy `guarded` and an
 * API key for all strategies. `streams: 'refuse'`: the account's private stream cannot connect (REST
 * look-ups only).
 */
export async function startGuardedBinance(options: {
  credentials: { apiKey: string; secret: string };
  settings?: Partial<Settings>;
  followerTiming?: StartEngineOptions['followerTiming'];
  streams?: 'refuse';
}): Promise<GuardedBinance> {
  const { apiKey, secret } = options.credentials;
  const fake = await startFakeExchange({ venue: 'binance', apiKey, secret });
  fake.setBalance('USDT', 100_000);
  fake.setPrice('BTCUSDT', 60_000);
  if (options.streams === 'refuse') fake.failWebsockets('refuse');
  const engine = await startTestEngine({ orderWaitMs: 8_000, exchangeTimeoutMs: 3_000, ...options.settings }, tempDataDir(), { followerTiming: options.followerTiming });
  await engine.services.exchanges.set(defaultAccountOf('binance'), { apiKey, secret }, fake.url);
  engine.services.strategies.add({ name: 'guarded', mode: 'live', marketType: 'swap', maxQty: null, symbols: [], exchanges: [] });
  const key = await engine.services.apiKeys.create({ label: 'bot', tradingview: false, strategies: [] });
  return {
    engine,
    fake,
    key,
    async stop() {
      await engine.stop();
      await fake.close();
    },
  };
}
