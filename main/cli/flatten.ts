import type { Command } from 'commander';
import { ACCOUNT_NAME_HINT, isAccountName } from '../../shared/account-names.js';
import { EXCHANGE_NAMES, isExchangeName } from '../../shared/exchange-names.js';
import type { FlattenAnswer, FlattenClose, FlattenRequest } from '../../shared/flatten-api.js';
import { FINAL_STATUSES, type OrderView } from '../../shared/order-view.js';
import type { PositionsAnswer, PositionView } from '../../shared/positions-api.js';
import { canAsk, confirm } from './confirm.js';
import { commandError, type EngineApi } from './engine-api.js';
import { type DataDirOptions, type JsonOptions, withDataDir, withExamples, withJson } from './options.js';
import { printJson, printTable } from './output.js';
import { accountLabel } from './positions.js';
import { UsageError } from './usage-error.js';
import { withEngine } from './with-engine.js';

interface FlattenOptions extends DataDirOptions, JsonOptions {
  account?: string;
  strategy?: string;
  pause?: boolean;
  yes?: boolean;
}

/** How long the command waits for its Closes to settle (each is a Market order) before it reports them as they are. */
const SETTLE_WAIT_MS = 30_000;
const SETTLE_POLL_MS = 250;
const FAILED = new Set(['rejected', 'error', 'not_sent']);

/** The options as POST /api/flatten takes them; `--account bybit` is every bybit account, `bybit/main` one. */
function requestOf(options: FlattenOptions): FlattenRequest {
  const request: FlattenRequest = {};
  if (options.account !== undefined) {
    const [exchangeText = '', account, ...rest] = options.account.trim().split('/');
    const exchange = exchangeText.toLowerCase();
    if (!isExchangeName(exchange) || rest.length > 0) throw new UsageError(`--account: expected EXCHANGE or EXCHANGE/NAME with EXCHANGE one of ${EXCHANGE_NAMES.join(', ')}, got ${JSON.stringify(options.account)}`);
    if (account !== undefined && !isAccountName(account)) throw new UsageError(`--account: expected ${ACCOUNT_NAME_HINT} after ${exchange}/, got ${JSON.stringify(options.account)}`);
    request.exchange = exchange;
    if (account !== undefined) request.account = account;
  }
  if (options.strategy !== undefined) request.strategy = options.strategy;
  if (options.pause) request.pause = true;
  return request;
}

function scopeText(request: FlattenRequest): string {
  const where = request.exchange === undefined ? 'every account (live and dry run)' : request.account === undefined ? `every ${request.exchange} account` : `${request.exchange}/${request.account}`;
  return request.strategy === undefined ? where : `strategy ${request.strategy} on ${where}`;
}

/** What the confirmation lists: the open positions in the scope as far as the command can tell (the engine decides). */
function inScope(position: PositionView, request: FlattenRequest): boolean {
  if (request.exchange !== undefined && position.exchange !== request.exchange) return false;
  if (request.account !== undefined && position.account !== request.account) return false;
  if (request.strategy === undefined) return true;
  return position.dryRun ? position.strategy === request.strategy : position.strategies.some((share) => share.strategy === request.strategy);
}

async function confirmed(api: EngineApi, request: FlattenRequest): Promise<boolean> {
  const open = (await api.get<PositionsAnswer>('/api/positions')).positions.filter((position) => inScope(position, request));
  const lines = open.map((position) => `  ${accountLabel(position)}  ${position.symbol}  ${position.side} ${position.size}${position.dryRun ? '' : '  (real money)'}`);
  const question = [
    `This closes at market every position of ${scopeText(request)} and cancels its open orders (resting entries, stop-losses and take-profits).`,
    open.length === 0 ? 'No position is open there now (there may be open orders to cancel).' : `Open now:\n${lines.join('\n')}`,
    ...(request.strategy === undefined ? [] : ['On the live accounts the strategy may use, positions on the symbols it may trade are closed too.']),
    ...(request.pause ? ['Trading is paused first: new orders are refused until apisify resume.'] : []),
    'Type yes to flatten: ',
  ].join('\n');
  return confirm(question);
}

/** Each Close's order as it stands once settled, or when the wait ends. */
async function settle(api: EngineApi, closes: readonly FlattenClose[]): Promise<FlattenClose[]> {
  const ids = new Set(closes.flatMap((close) => (close.orderId !== null && !FINAL_STATUSES.includes(close.status as OrderView['status']) ? [close.orderId] : [])));
  const latest = new Map<number, OrderView>();
  const until = Date.now() + SETTLE_WAIT_MS;
  while (ids.size > 0 && Date.now() < until) {
    for (const id of [...ids]) {
      const order = await api.get<OrderView>(`/api/orders/${id}`);
      latest.set(id, order);
      if (FINAL_STATUSES.includes(order.status)) ids.delete(id);
    }
    if (ids.size > 0) await new Promise((resolve) => setTimeout(resolve, SETTLE_POLL_MS));
  }
  return closes.map((close) => {
    const order = close.orderId === null ? undefined : latest.get(close.orderId);
    if (!order) return close;
    return { ...close, status: order.status, error: close.error ?? (FAILED.has(order.status) ? (order.error?.message ?? order.status) : null) };
  });
}

function closeFailed(close: FlattenClose): boolean {
  return close.error !== null || close.status === null || !FINAL_STATUSES.includes(close.status as OrderView['status']) || FAILED.has(close.status);
}

function report(answer: FlattenAnswer): void {
  printTable(
    answer.closes.map((close) => ({ order: close.orderId, account: `${close.exchange}/${close.account}`, strategy: close.strategy, symbol: close.symbol, status: close.status ?? 'refused', error: close.error })),
    'Nothing was open to close.',
  );
  if (answer.cancelled.length > 0) console.log(`Cancelled: ${answer.cancelled.map((order) => `#${order.orderId} (${order.status})`).join(', ')}`);
  for (const close of answer.closes) {
    if (close.orderId !== null && !FINAL_STATUSES.includes(close.status as OrderView['status'])) console.log(`Order #${close.orderId} is still ${close.status}: apisify orders shows how it ends.`);
  }
  for (const failure of answer.failures) console.log(`Not done on ${failure.exchange}/${failure.account}${failure.symbol ? ` ${failure.symbol}` : ''}: ${failure.message}`);
  if (answer.paused) console.log('Trading is paused: apisify resume turns it back on.');
}

async function flatten(options: FlattenOptions): Promise<void> {
  const request = requestOf(options);
  // Refused before anything starts: a script must say --yes, and nobody is there to ask.
  if (!options.yes && !canAsk()) throw new UsageError('flatten closes positions at market: give --yes to go ahead (standard input is not a terminal, so there is nobody to ask)');
  let answer: FlattenAnswer | null;
  try {
    answer = await withEngine(options.dataDir, async ({ api }) => {
      if (!options.yes && !(await confirmed(api, request))) return null;
      const placed = await api.post<FlattenAnswer>('/api/flatten', request);
      return { ...placed, closes: await settle(api, placed.closes) };
    });
  } catch (error) {
    throw commandError(error, { strategy: '--strategy', exchange: '--account', account: '--account' });
  }
  if (answer === null) throw new Error('not confirmed: nothing was closed or cancelled');
  if (options.json) printJson(answer);
  else report(answer);
  const failed = answer.closes.filter(closeFailed).length + answer.failures.length;
  if (failed > 0) throw new Error(`${failed} of it could not be done (see above); what is still open is as it was`);
}

export function registerFlatten(program: Command): void {
  const command = program
    .command('flatten')
    .description(
      'close every open position at market and cancel the open orders (resting entries, stop-losses, take-profits) of every account, one account or one strategy, through the running apisify (else an engine started for the command); each Close is journaled under the strategy whose fills built the position, and goes out also while trading is paused',
    )
    .option('--account <exchange[/name]>', `only this exchange's accounts (${EXCHANGE_NAMES.join(', ')}), or one of them: bybit/main`)
    .option('--strategy <name>', "only this strategy's: its dry run's positions, and on the live accounts it may use, the positions it built or on the symbols it may trade")
    .option('--pause', 'pause trading first (the kill switch): new orders are refused until apisify resume')
    .option('--yes', 'do not ask (needed where standard input is not a terminal)');
  withJson(command, "print the answer of POST /api/flatten as JSON, each Close's status as it settled");
  withDataDir(command);
  withExamples(command, 'apisify flatten', 'apisify flatten --account bybit/main', 'apisify flatten --strategy swing --yes', 'apisify flatten --pause --yes      (the kill switch)');
  command.action((options: FlattenOptions) => flatten(options));
}
