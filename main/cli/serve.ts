import { type Command, Option } from 'commander';
import { resolveDataDir } from '../engine/config/data-dir.js';
import { startEngine } from '../engine/engine.js';
import { hostWarning } from '../../shared/settings-fields.js';
import { type DataDirOptions, type JsonOptions, withDataDir, withExamples, withJson } from './options.js';
import { UsageError } from './usage-error.js';

interface ServeOptions extends DataDirOptions, JsonOptions {
  host?: string;
  port?: string;
  tunnel?: 'cloudflared' | 'ngrok';
}

/** Digits only: Number('') is 0, which would quietly pick a random port. */
function portOf(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const port = /^\d{1,5}$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port: expected a port number from 0 to 65535, got ${JSON.stringify(text)}`);
  return port;
}

async function serve(options: ServeOptions): Promise<void> {
  const port = portOf(options.port);
  if (options.host !== undefined && options.host.trim() === '') throw new UsageError('--host: expected an address to listen on, such as 127.0.0.1');
  const warning = options.host === undefined ? null : hostWarning(options.host);
  if (warning) console.error(`apisify: warning: ${warning}`);

  // Listen for stop signals before anything is printed: a supervisor may send one the moment it reads the URL.
  let stopRequested: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => (stopRequested = resolve));
  const onSignal = () => stopRequested();
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];
  // A closed terminal or SSH session: stop the same way, draining the orders under way.
  if (process.platform !== 'win32') signals.push('SIGHUP');
  for (const signal of signals) process.once(signal, onSignal);

  const engine = await startEngine({ dataDir: resolveDataDir(options.dataDir), ...(options.host ? { host: options.host } : {}), ...(port !== undefined ? { port } : {}) });
  const ui = engine.createUiUrl();
  let webhook: string | null = null;
  if (options.tunnel) webhook = `${await engine.startTunnel(options.tunnel)}/v1/order`;
  if (options.json) {
    console.log(JSON.stringify({ url: engine.url, ui, ...(webhook ? { webhook } : {}) }));
  } else {
    console.log(`apisify is listening on ${engine.url}`);
    console.log(`  orders:  POST ${engine.url}/v1/order`);
    console.log(`  the UI:  ${ui}  (opens once, within 10 minutes; \`apisify ui\` prints a new link)`);
    if (webhook) console.log(`  TradingView webhook URL: ${webhook}`);
    console.log('Ctrl+C stops it; `apisify pause` stops trading without stopping the server.');
  }

  await stopped;
  for (const signal of signals) process.off(signal, onSignal);
  await engine.stop();
}

export function registerServe(program: Command): void {
  const command = program
    .command('serve')
    .description('run the engine headless: the order API, the UI and the tunnel, until Ctrl+C, SIGTERM or SIGHUP (orders under way are drained first)')
    .option('--host <address>', 'listen on this address (default: the host setting, 127.0.0.1)')
    .option('--port <port>', 'listen on this port; 0 picks a free one (default: the port setting, 8470)')
    .addOption(new Option('--tunnel <kind>', 'expose /v1/order on the internet for TradingView and make it the public URL').choices(['cloudflared', 'ngrok']));
  withJson(command, 'print one JSON line first: {"url", "ui", "webhook" (with --tunnel)}');
  withDataDir(command);
  withExamples(command, 'apisify serve', 'apisify serve --port 9000 --tunnel cloudflared', 'apisify serve --data-dir /var/lib/apisify --json');
  command.action((options: ServeOptions) => serve(options));
}
