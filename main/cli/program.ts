import { Command, CommanderError } from 'commander';
import { registerExchange } from './exchange.js';
import { registerFlatten } from './flatten.js';
import { registerKeys } from './keys.js';
import { registerOrders } from './orders.js';
import { registerPause } from './pause.js';
import { registerPnl } from './pnl.js';
import { registerPositions } from './positions.js';
import { registerServe } from './serve.js';
import { registerSettings } from './settings.js';
import { registerSignals } from './signals.js';
import { registerStrategy } from './strategy.js';
import { registerUi } from './ui.js';
import { UsageError } from './usage-error.js';

/** What `apisify` exits with; the README's table of exit codes says the same. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** "strategy add" for `apisify strategy add`; "" for the program itself. */
function pathOf(command: Command): string {
  const names: string[] = [];
  for (let at: Command | null = command; at?.parent; at = at.parent) names.unshift(at.name());
  return names.join(' ');
}

function allCommands(command: Command): Command[] {
  return [command, ...command.commands.flatMap(allCommands)];
}

export function buildProgram(): Command {
  const program = new Command('apisify')
    .description('Turns signed order requests and TradingView alerts into Bybit and Binance orders.\nEvery command takes --data-dir DIR (else APISIFY_DATA_DIR, else the per-user app data folder).')
    .helpCommand('help [command]', 'show the help of a command')
    .addHelpText('after', '\nExit codes: 0 done, 1 failed (the keychain, the exchange, the engine), 2 a mistake in the command (an option, a value, a name).\n`apisify COMMAND --help` shows each command\'s options and an example.');

  registerServe(program);
  registerKeys(program);
  registerStrategy(program);
  registerExchange(program);
  registerOrders(program);
  registerSignals(program);
  registerSettings(program);
  registerPause(program);
  // What the engine that owns the data dir sees and does: the accounts, their PnL, flatten.
  registerPositions(program);
  registerPnl(program);
  registerFlatten(program);
  registerUi(program);

  for (const command of allCommands(program)) {
    const path = pathOf(command);
    command.exitOverride();
    command.configureOutput({
      // Commander's own parse errors, as one line that names the command and where to read more.
      outputError: (text, write) => write(`apisify: ${path ? `${path}: ` : ''}${text.replace(/^error: /, '').trim()} (apisify ${path ? `${path} ` : ''}--help shows the options)\n`),
    });
  }
  return program;
}

/** Runs the command line; prints one line for a failure and returns the exit code. */
export async function runCli(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  let running = '';
  program.hook('preAction', (_program, action) => {
    running = pathOf(action);
  });
  if (argv.length === 0) {
    program.outputHelp({ error: true });
    return EXIT.usage;
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Already printed (the help, or the one-line error above).
      return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' ? EXIT.ok : EXIT.usage;
    }
    const message = error instanceof Error ? error.message : String(error);
    console.error(`apisify: ${running ? `${running}: ` : ''}${message}`);
    // The stack only on request: most failures are mistakes in how it was called, or the world's state.
    if (process.env['APISIFY_DEBUG'] && error instanceof Error) console.error(error.stack);
    return error instanceof UsageError || String((error as { code?: unknown })?.code ?? '').startsWith('ERR_PARSE_ARGS') ? EXIT.usage : EXIT.failed;
  }
}
