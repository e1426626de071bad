import { exchangeCommand } from './cli/exchange.js';
import { keysCommand } from './cli/keys.js';
import { ordersCommand } from './cli/orders.js';
import { serveCommand } from './cli/serve.js';
import { settingsCommand } from './cli/settings.js';
import { strategyCommand } from './cli/strategy.js';
import { uiCommand } from './cli/ui.js';
import { UsageError } from './cli/usage-error.js';

const HELP = `apisify: turns signed order requests and TradingView alerts into exchange orders

  apisify serve [--host 127.0.0.1] [--port N] [--data-dir DIR] [--json] [--tunnel cloudflared|ngrok]
  apisify keys create --label TEXT [--tradingview] [--strategy NAME]... [--json]
  apisify keys list [--json] | apisify keys revoke APIKEY
  apisify strategy add NAME [--mode live|dry-run] [--market-type swap|spot] [--max-qty N] [--symbols A,B] [--exchanges X,Y]
  apisify strategy list [--json] | strategy enable NAME | strategy disable NAME
  apisify exchange set EXCHANGE --api-key KEY --secret - [--base-url URL]   (the secret on standard input)
  apisify exchange list [--json] | exchange remove EXCHANGE | exchange test EXCHANGE
  apisify orders [--json] [--limit N]
  apisify settings list [--json] | settings set NAME VALUE [NAME VALUE]...   e.g. settings set keyRatePerSecond 20
  apisify ui                      a new one-time link to the running server's UI

Every command takes --data-dir DIR (else APISIFY_DATA_DIR, else the per-user app data folder).`;

const COMMANDS: Record<string, (args: string[]) => Promise<void>> = {
  serve: serveCommand,
  keys: keysCommand,
  strategy: strategyCommand,
  orders: ordersCommand,
  ui: uiCommand,
  exchange: exchangeCommand,
  settings: settingsCommand,
};

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    console.log(HELP);
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    console.error(`apisify: unknown command ${JSON.stringify(name)}; try apisify --help`);
    return 2;
  }
  try {
    await command(args);
    return 0;
  } catch (error) {
    // One line for every failure; the stack only on request, since most are mistakes in how it was called.
    console.error(`apisify: ${error instanceof Error ? error.message : String(error)}`);
    if (process.env['APISIFY_DEBUG'] && error instanceof Error) console.error(error.stack);
    return isUsageError(error) ? 2 : 1;
  }
}

function isUsageError(error: unknown): boolean {
  return error instanceof UsageError || String((error as { code?: unknown })?.code ?? '').startsWith('ERR_PARSE_ARGS');
}

process.exitCode = await main(process.argv.slice(2));
