import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { DataDirInUse, lockDataDir } from '../engine/data-dir-lock.js';
import { createApps } from '../engine/http/app.js';
import { UiSessions } from '../engine/http/ui-session.js';
import { createLogger } from '../engine/log.js';
import { openSecretStore } from '../engine/secrets/open-secret-store.js';
import { createServices } from '../engine/services.js';
import { openDatabase } from '../engine/store/database.js';
import { runningServerUrl } from '../engine/store/server-url.js';
import { type EngineApi, openEngineApi } from './engine-api.js';
import { existingDataDir } from './open-store.js';

/** How long an engine that holds the data dir may take to say where it listens (it is starting). */
const STARTING_ENGINE_WAIT_MS = 10_000;

export interface EngineUse {
  api: EngineApi;
  /** No engine ran on the data dir: this command runs one for itself, which ends with it. */
  inProcess: boolean;
}

/**
 * Runs `work` against the engine that owns the data dir, through its UI API, so the command sees
 * what the app sees and its orders go through that engine's symbol queues: the running one (`apisify
 * serve` or the desktop app), found as `apisify ui` finds it; else the engine's services started here
 * for the command, with the same API on a loopback port of their own (one code path, the same
 * answers), holding the data dir's lock so no engine starts beside them, and stopped after, once the
 * orders under way were answered.
 */
export async function withEngine<T>(dataDirFlag: string | undefined, work: (engine: EngineUse) => Promise<T>): Promise<T> {
  const dataDir = existingDataDir(dataDirFlag);
  let unlock: () => void;
  try {
    unlock = lockDataDir(dataDir);
  } catch (error) {
    if (error instanceof DataDirInUse) return work({ api: await runningEngineApi(dataDir, error.pid), inProcess: false });
    throw error;
  }
  try {
    return await withEngineHere(dataDir, work);
  } finally {
    unlock();
  }
}

async function runningEngineApi(dataDir: string, pid: number): Promise<EngineApi> {
  const db = openDatabase(dataDir);
  try {
    const until = Date.now() + STARTING_ENGINE_WAIT_MS;
    let url = runningServerUrl(db);
    while (url === null && Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      url = runningServerUrl(db);
    }
    if (url === null) throw new Error(`the apisify engine (pid ${pid}) on the data dir ${dataDir} does not say where it listens; is it still starting? Try again`);
    const port = Number(new URL(url).port);
    return await openEngineApi(url, new UiSessions(db, () => port).mintToken());
  } finally {
    db.close();
  }
}

async function withEngineHere<T>(dataDir: string, work: (engine: EngineUse) => Promise<T>): Promise<T> {
  const log = createLogger(join(dataDir, 'logs', 'apisify.log'));
  let url = '';
  let services: ReturnType<typeof createServices> | null = null;
  let server: Server | null = null;
  try {
    const secrets = await openSecretStore(dataDir);
    services = createServices({ dataDir, secrets, log, url: () => url });
    const sessions = new UiSessions(services.db, () => Number(new URL(url).port));
    const app = createApps(services, sessions).local;
    app.on('error', (error: NodeJS.ErrnoException) => log.warn('client connection failed', { code: error.code ?? error.name }));
    server = createServer(app.callback());
    url = `http://127.0.0.1:${(await listen(server)).port}`;
    log.info('engine started for a command', { url, keychain: secrets.kind });
    return await work({ api: await openEngineApi(url, sessions.mintToken()), inProcess: true });
  } finally {
    if (server) {
      server.closeAllConnections();
      await new Promise((resolve) => server?.close(resolve));
    }
    if (services) {
      // what the command sent is answered and recorded before the journal closes, as when the engine stops
      await services.orders.drain();
      services.orders.follower.stop();
      await services.accounts.stop();
      services.close();
      log.info('engine stopped after a command');
    }
    await log.close();
  }
}

function listen(server: Server): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server.address() as AddressInfo));
  });
}
