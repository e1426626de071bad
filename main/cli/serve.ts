import { parseArgs } from 'node:util';
import { startEngine } from '../engine/engine.js';
import { resolveDataDir } from '../engine/config/data-dir.js';
import { UsageError } from './usage-error.js';

export async function serveCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      host: { type: 'string' },
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      json: { type: 'boolean', default: false },
      tunnel: { type: 'string' },
    },
  });
  // Digits only: Number('') is 0, which would quietly pick a random port.
  const port = values.port === undefined ? undefined : /^\d{1,5}$/.test(values.port.trim()) ? Number(values.port.trim()) : Number.NaN;
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) throw new UsageError(`--port: expected a port number from 0 to 65535, got ${JSON.stringify(values.port)}`);
  if (values.host !== undefined && values.host.trim() === '') throw new UsageError('--host: expected an address to listen on, such as 127.0.0.1');
  if (values.tunnel !== undefined && values.tunnel !== 'cloudflared' && values.tunnel !== 'ngrok') throw new UsageError(`--tunnel: expected cloudflared or ngrok, got ${values.tunnel}`);

  // Listen for stop signals before anything is printed: a supervisor may send one the moment it reads the URL.
  let stopRequested: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => (stopRequested = resolve));
  const onSignal = () => stopRequested();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  // A closed terminal or SSH session: stop the same way, draining the orders under way.
  if (process.platform !== 'win32') process.once('SIGHUP', onSignal);

  const engine = await startEngine({ dataDir: resolveDataDir(values['data-dir']), ...(values.host ? { host: values.host } : {}), ...(port !== undefined ? { port } : {}) });
  const ui = engine.createUiUrl();
  let webhook: string | null = null;
  if (values.tunnel) webhook = `${await engine.startTunnel(values.tunnel)}/v1/order`;
  if (values.json) {
    console.log(JSON.stringify({ url: engine.url, ui, ...(webhook ? { webhook } : {}) }));
  } else {
    console.log(`apisify is listening on ${engine.url}`);
    console.log(`  orders:  POST ${engine.url}/v1/order`);
    console.log(`  the UI:  ${ui}  (opens once, within 10 minutes; \`apisify ui\` prints a new link)`);
    if (webhook) console.log(`  TradingView webhook URL: ${webhook}`);
    console.log('Ctrl+C stops it.');
  }

  await stopped;
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  if (process.platform !== 'win32') process.off('SIGHUP', onSignal);
  await engine.stop();
}
