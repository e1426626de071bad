import { startEngine, type StartEngineOptions } from '../../main/engine/engine.js';
import type { Logger } from '../../main/engine/log.js';
import type { Settings } from '../../main/engine/store/settings.js';
import { tempDataDir } from './apisify-process.js';

export const silentLog: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** The engine in this process, on a free port, with a fresh data dir and the real keychain. */
export async function startTestEngine(settings: Partial<Settings> = {}, dataDir = tempDataDir(), options: Pick<StartEngineOptions, 'followerTiming'> = {}) {
  const engine = await startEngine({ ...options, dataDir, host: '127.0.0.1', port: 0, log: silentLog });
  // Tests fire orders faster than any strategy would; the limits have their own tests (rate-limit.test.ts).
  engine.services.settings.update({ keyRatePerSecond: 0, addressRatePerSecond: 0, ...settings });
  return Object.assign(engine, { dataDir });
}

export type TestEngine = Awaited<ReturnType<typeof startTestEngine>>;

export function journalCount(engine: TestEngine): number {
  return (engine.services.db.prepare('SELECT count(*) AS n FROM orders').get() as { n: number }).n;
}
