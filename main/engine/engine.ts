import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type Koa from 'koa';
import { join } from 'node:path';
import type { Engine, StartEngineOptions } from './engine-types.js';
import { lockDataDir } from './data-dir-lock.js';
import { limitHeapGrowth } from './heap-growth.js';
import { createApps } from './http/app.js';
import { UiSessions } from './http/ui-session.js';
import { createLogger, type Logger } from './log.js';
import { openSecretStore } from './secrets/open-secret-store.js';
import type { SecretStore } from './secrets/secret-store.js';
import { createServices, type EngineServices } from './services.js';
import { recordServerUrl } from './store/server-url.js';
import { endLeftoverTunnel, TUNNEL_RECORD_FILE } from './tunnel/leftover-tunnel.js';
import { TunnelService } from './tunnel/tunnel-service.js';

export type { Engine, StartEngineOptions } from './engine-types.js';

export interface EngineInternals {
  /** For tests and hosts that need more than the Engine interface (e.g. `serve` prints, tests create keys). */
  services: EngineServices;
}

const STOP_GRACE_MS = 5_000;
/** The tunnel's listener is on loopback whatever the main one's host (http/listener.ts). */
const TUNNEL_LISTENER_HOST = '127.0.0.1';

function urlOf(address: AddressInfo): string {
  const host = address.address === '0.0.0.0' || address.address === '::' ? '127.0.0.1' : address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}

/** Both listeners are configured alike: slow senders must not hold connections open. */
function createListener(app: Koa, log: Logger): Server {
  // A sender that vanished or was cut off mid-request: one log line, not Koa's default stack on stderr.
  app.on('error', (error: NodeJS.ErrnoException) => log.warn('client connection failed', { code: error.code ?? error.name }));
  // The whole request within 10 s, headers within 5 s. Node enforces both only when it checks its
  // connections (every 30 s by default): check every second. Without a Host header the Host guard,
  // not Node's bare 400, says what is wrong.
  const server = createServer({ connectionsCheckingInterval: 1_000, requireHostHeader: false }, app.callback());
  server.requestTimeout = 10_000;
  server.headersTimeout = 5_000;
  server.keepAliveTimeout = 5_000;
  return server;
}

async function listenOrExplain(server: Server, port: number, host: string, what: string, option: string): Promise<AddressInfo> {
  try {
    return await listen(server, port, host);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new Error(`${what} ${port} on ${host} is in use; is apisify already running? Use ${option} to pick another (0: any free port)`);
    throw error;
  }
}

function closeListener(server: Server): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise<void>((resolve) => server.close(() => resolve()));
}

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

/** Starts the engine: secrets, SQLite, the order pipeline and the HTTP server. Used by `apisify serve`, the desktop shell and tests. */
export async function startEngine(options: StartEngineOptions & { secrets?: SecretStore; log?: Logger }): Promise<Engine & EngineInternals> {
  limitHeapGrowth();
  const unlock = lockDataDir(options.dataDir);
  try {
    return await startLocked(options, unlock);
  } catch (error) {
    unlock();
    throw error;
  }
}

async function startLocked(options: StartEngineOptions & { secrets?: SecretStore; log?: Logger }, unlock: () => void): Promise<Engine & EngineInternals> {
  // The engine's own log file is closed when it stops; a host's log (tests, the shell) is the host's.
  const ownLog = options.log ? null : createLogger(join(options.dataDir, 'logs', 'apisify.log'));
  const log: Logger = options.log ?? (ownLog as Logger);
  const secrets = options.secrets ?? (await openSecretStore(options.dataDir));
  let url = '';
  // Before anything listens: a cloudflared left by a killed engine would forward the public URL to us.
  const tunnelRecord = join(options.dataDir, TUNNEL_RECORD_FILE);
  const leftover = endLeftoverTunnel(tunnelRecord);
  if (leftover !== 'none') log.warn('tunnel process left by an earlier run', { outcome: leftover });
  const tunnel = new TunnelService({ log, cloudflared: { recordFile: tunnelRecord }, ngrok: { recordFile: tunnelRecord } });
  const services = createServices({ dataDir: options.dataDir, secrets, log, url: () => url, tunnel: () => tunnel.state(), followerTiming: options.followerTiming });
  tunnel.onChange(() => services.publishStatus());
  services.journal.openForOrders();
  const lost = services.journal.possiblyLostIds();
  if (lost) log.warn('the last run stopped with the computer: orders it was sending may have reached an exchange unrecorded', { fromOrderId: lost.from, reservedThrough: lost.through });
  const settings = services.settings.get();
  const host = options.host ?? settings.host;
  const sessions = new UiSessions(services.db, () => Number(new URL(url).port));
  const apps = createApps(services, sessions);
  const server = createListener(apps.local, log);
  const tunnelServer = createListener(apps.tunnel, log);
  const port = options.port ?? settings.port;
  // `--port 0` (any free port, as tests and second instances ask) frees the tunnel's port too, unless it is given.
  const tunnelPort = options.tunnelPort ?? (port === 0 ? 0 : settings.tunnelPort);

  let address: AddressInfo;
  let tunnelAddress: AddressInfo;
  try {
    address = await listenOrExplain(server, port, host, 'port', '--port');
    // Loopback only, whatever the main host: its forwarded headers are believed, so only a tunnel on this machine may reach it.
    tunnelAddress = await listenOrExplain(tunnelServer, tunnelPort, TUNNEL_LISTENER_HOST, 'the tunnel port', '--tunnel-port');
  } catch (error) {
    await Promise.all([closeListener(server), closeListener(tunnelServer)]);
    services.close();
    await ownLog?.close();
    throw error;
  }
  url = urlOf(address);
  const tunnelUrl = urlOf(tunnelAddress);
  recordServerUrl(services.db, url);
  // Nobody awaits these: a failure is logged, never left to end the process.
  services.orders.recoverAfterRestart().catch((error: unknown) => log.error('settling the orders left unfinished failed', { error: (error as Error)?.name ?? 'Error' }));
  void services.warmUp();
  log.info('engine started', { url, tunnelUrl, keychain: secrets.kind });

  let stopped = false;
  return {
    services,
    get url() {
      return url;
    },
    tunnelUrl,
    createUiUrl: () => `${url}/?token=${sessions.mintToken()}`,
    status: () => services.status(),
    subscribe: (listener) => services.events.subscribe(listener),
    setPaused: (paused) => services.setPaused(paused),
    async flatten(request) {
      const answer = await services.flatten.flatten(request);
      if (answer.paused) services.publishStatus();
      return answer;
    },
    startTunnel: (kind) => tunnel.start(kind, tunnelUrl),
    stopTunnel: () => tunnel.stop(),
    async stop() {
      if (stopped) return;
      stopped = true;
      await tunnel.stop();
      const closed = Promise.all([closeListener(server), closeListener(tunnelServer)]);
      server.closeIdleConnections();
      tunnelServer.closeIdleConnections();
      // Orders under way get their answer recorded before the journal closes.
      await Promise.race([services.orders.drain(), new Promise((resolve) => setTimeout(resolve, STOP_GRACE_MS).unref())]);
      server.closeAllConnections();
      tunnelServer.closeAllConnections();
      await closed;
      // the exchanges' account streams close before the journal they write to
      services.orders.follower.stop();
      await services.accounts.stop();
      recordServerUrl(services.db, null);
      // its status said so for the whole run, and recovery asked the exchange about every order it could
      if (services.orders.recovery.settledAll()) services.journal.clearPossiblyLostIds();
      log.info('engine stopped');
      services.close();
      await ownLog?.close();
      unlock();
    },
  };
}
