import { parseArgs } from 'node:util';
import { startEngine } from '../engine/engine.js';
import { resolveDataDir } from '../engine/config/data-dir.js';
import type { TunnelState } from '../../shared/engine-status.js';
import { UsageError } from './usage-error.js';

export async function serveCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      host: { type: 'string' },
      port: { type: 'string' },
      'tunnel-port': { type: 'string' },
      'data-dir': { type: 'string' },
      json: { type: 'boolean', default: false },
      tunnel: { type: 'string' },
    },
  });
  const port = portOption('--port', values.port);
  const tunnelPort = portOption('--tunnel-port', values['tunnel-port']);
  if (values.host !== undefined && values.host.trim() === '') throw new UsageError('--host: expected an address to listen on, such as 127.0.0.1');
  if (values.tunnel !== undefined && values.tunnel !== 'cloudflared' && values.tunnel !== 'ngrok') throw new UsageError(`--tunnel: expected cloudflared or ngrok, got ${values.tunnel}`);

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
      dataDir: resolveDataDir(values['data-dir']),
      ...(values.host ? { host: values.host } : {}),
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
    if (values.tunnel) {
      // A tunnel that cannot start ends the command (non-zero, the engine stopped): a headless server
      // the user believes reachable, and is not, is worse than one that did not start.
      const started = await Promise.race([engine.startTunnel(values.tunnel), stopped]);
      if (started === 'stop') return;
      webhook = `${started}/v1/order`;
    }
    const notice = tunnelNotice(engine.status().tunnel);
    if (values.json) {
      console.log(JSON.stringify({ url: engine.url, ui, tunnelListener: engine.tunnelUrl, ...(webhook ? { webhook } : {}), ...(notice ? { notice } : {}) }));
    } else {
      console.log(`apisify is listening on ${engine.url}`);
      console.log(`  orders:  POST ${engine.url}/v1/order`);
      console.log(`  the UI:  ${ui}  (opens once, within 10 minutes; \`apisify ui\` prints a new link)`);
      console.log(`  for a tunnel or reverse proxy: ${engine.tunnelUrl} (POST /v1/order only)`);
      if (webhook) console.log(`  TradingView webhook URL: ${webhook}`);
      if (notice) console.log(`  note: ${notice}`);
      console.log('Ctrl+C stops it.');
    }
    await stopped;
  } finally {
    stopListening();
    await engine.stop();
  }
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
