import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apisify } from './apisify-cli.js';
import { STRATEGY_OF } from './order-mix.js';

export interface ApiKey {
  apikey: string;
  secret: string;
}

/** The fake exchange's credentials: the engine stores them in the keychain, the fake checks every signature. */
export const EXCHANGE_CREDENTIALS = { apiKey: 'bench-exchange-key-0123456789', secret: 'bench-exchange-secret-abcdefghijklmnop' };

/**
 * A fresh data dir set up as a user would, through the command: an API key, a live strategy per
 * market type on `bybit`, the `bybit` account pointed at the fake with --base-url, and the order
 * rate limits off (0): they exist to stop a runaway bot, and the bench is that flood on purpose.
 */
export async function prepareDataDir(fakeUrl: string): Promise<{ dataDir: string; key: ApiKey }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'apisify-bench-'));
  const key = JSON.parse(await apisify(dataDir, ['keys', 'create', '--label', 'bench', '--json'])) as ApiKey;
  for (const [marketType, name] of Object.entries(STRATEGY_OF)) {
    await apisify(dataDir, ['strategy', 'add', name, '--mode', 'live', '--market-type', marketType, '--exchanges', 'bybit']);
  }
  await apisify(dataDir, ['settings', 'set', 'keyRatePerSecond', '0', 'addressRatePerSecond', '0']);
  await apisify(dataDir, ['exchange', 'set', 'bybit', '--api-key', EXCHANGE_CREDENTIALS.apiKey, '--secret', '-', '--base-url', fakeUrl], EXCHANGE_CREDENTIALS.secret);
  return { dataDir, key };
}
