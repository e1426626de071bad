import { type Command, Option } from 'commander';
import type { TunnelState } from '../../shared/engine-status.js';
import { hostWarning } from '../../shared/settings-fields.js';
import { resolveDataDir } from '../engine/config/data-dir.js';
import { startEngine } from '../engine/engine.js';
import { type DataDirOptions, type JsonOptions, withDataDir, withExamples, withJson } from './options.js';
import { UsageError } from './usage-error.js';

interface ServeOptions extends DataDirOptions, JsonOptions {
  host?: string;
  port?: string;
  tunnelPort?: string;
  tunnel?: 'cloudflared' | 'ngrok';
}

/** Digits only: Number('') is 0, which would quietly pick a random port. */
function portOption(option: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const port = /^\d{1,5}$/.test(value.trim()) ? Number(value.trim()) : Number.NaN;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`${option}: expected a port number from 0 to 65535, got ${JSON.stringify(value)}`);
  return port;
}

/** What the user should know about a running tunnel, such as an ngrok agent apisify did not start. */
function tunnelNotice(tunnel: TunnelState): string | null {
  return tunnel.state === 'running' && tunnel.notice ? tunnel.notice : null;
}

async function serve(options: ServeOptions): Promise<void> {
  const port = portOption('--port', options.port);
  const tunnelPort = portOption('--tunnel-port', options.tunnelPort);
  if (options.host !== undefined && options.host.trim() === '') throw new UsageError('--host: expected an address to listen on, such as 127.0.0.1');
  const warning = options.host === undefined ? null : hostWarning(options.host);
  if (warning) console.error(`apisify: warning: ${warning}`);

  // Listen for stop signals before anything is printed: a supervisor may send one the moment it reads
  // the URL, or while the engine or its tunnel is still starting. A closed terminal or SSH session
  // (SIGHUP) stops the same way, draining the orders under way. One signal always stops: each is
  // heard once, so a second one while the stop drains ends the process the default way.
  const signals: NodeJS.Signals[] = process.platform === 'win32' ? ['SIGINT', 'SIGTERM'] : ['SIGINT', 'SIGTERM', 'SIGHUP'];
  let stopRequested: () => void = () => undefined;
  const stopped = new Promise<'stop'>((resolve) => (stopRequested = () => resolve('stop')));
  const onSignal = () => stopRequested();
  for (const signal of signals) process.once(signal, onSignal);
  const stopListening = () => {
    for (const signal of signals) process.off(signal, onSignal);
  };

  let engine: Awaited<ReturnType<typeof startEngine>>;
  try {
    engine = await startEngine({
      dataDir: resolveDataDir(options.dataDir),
      ...(options.host ? { host: options.host } : {}),
      ...(port !== undefined ? { port } : {}),
      ...(tunnelPort !== undefined ? { tunnelPort } : {}),
    });
  } catch (error) {
    stopListening();
    throw error;
  }
  try {
    const ui = engine.createUiUrl();
    let webhook: string | null = null;
    if (options.tunnel) {
      // A tunnel that cannot start ends the command (non-zero, the engine stopped): a headless server
      // the user believes reachable, and is not, is worse than one that did not start.
      const started = await Promise.race([engine.startTunnel(options.tunnel), stopped]);
      if (started === 'stop') return;
      webhook = `${started}/v1/order`;
    }
    const notice = tunnelNotice(engine.status().tunnel);
    if (options.json) {
      console.log(JSON.stringify({ url: engine.url, ui, tunnelListener: engine.tunnelUrl, ...(webhook ? { webhook } : {}), ...(notice ? { notice } : {}) }));
    } else {
      console.log(`apisify is listening on ${engine.url}`);
      console.log(`  orders:  POST ${engine.url}/v1/order`);
      console.log(`  the UI:  ${ui}  (opens once, within 10 minutes; \`apisify ui\` prints a new link)`);
      console.log(`  for a tunnel or reverse proxy: ${engine.tunnelUrl} (POST /v1/order only)`);
      if (webhook) console.log(`  TradingView webhook URL: ${webhook}`);
      if (notice) console.log(`  note: ${notice}`);
      console.log('Ctrl+C stops it; `apisify pause` stops trading without stopping the server.');
    }
    await stopped;
  } finally {
    stopListening();
    await engine.stop();
  }
}

export function registerServe(program: Command): void {
  const command = program
    .command('serve')
    .description('run the engine headless: the order API, the UI and the tunnel, until Ctrl+C, SIGTERM or SIGHUP (orders under way are drained first)')
    .option('--host <address>', 'listen on this address (default: the host setting, 127.0.0.1)')
    .option('--port <port>', 'listen on this port; 0 picks a free one (default: the port setting, 8470)')
    .option('--tunnel-port <port>', "the tunnel's own listener on 127.0.0.1, which serves POST /v1/order only; 0 picks a free one (default: the tunnelPort setting, 8471; with --port 0, a free one)")
    .addOption(new Option('--tunnel <kind>', 'expose /v1/order on the internet for TradingView and make it the public URL').choices(['cloudflared', 'ngrok']));
  withJson(command, 'print one JSON line first: {"url", "ui", "tunnelListener", "webhook" (with --tunnel), "notice" (when there is one)}');
  withDataDir(command);
  withExamples(command, 'apisify serve', 'apisify serve --port 9000 --tunnel cloudflared', 'apisify serve --data-dir /var/lib/apisify --json');
  command.action((options: ServeOptions) => serve(options));
}
