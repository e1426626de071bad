import type { AccountReadState, BalanceView, BalancesAnswer, PositionView, PositionsAnswer } from '../../../shared/positions-api.js';

/**
 * The Positions page's figures: one read of GET /api/positions and /api/balances when it opens, then
 * what the event stream pushes. A live account's `positions` or `balances` event is its whole list and
 * replaces that account's rows; the dry runs are read again (a local read) after a dry-run order.
 * Pushes that arrive while a read is on its way are applied at once and again on top of its answer,
 * since a push is never older than a read that was still under way.
 */
export interface PositionsState {
  positions: PositionView[];
  balances: BalanceView[];
  /** How each live account's positions were read, and its balances. */
  positionReads: AccountReadState[];
  balanceReads: AccountReadState[];
  /** When each live account's stream last pushed (accountKey → ISO): it is connected. */
  pushedAt: Record<string, string>;
  /** Per kind, while a read is on its way: the pushes it must not lose, kept until it answers; null when none is. */
  reading: { positions: PositionsPush[] | null; balances: BalancesPush[] | null };
  /** The first read has answered (an empty page before it would say there is nothing). */
  loaded: boolean;
  error: string | null;
}

export interface PositionsPush {
  exchange: string;
  account: string;
  positions: PositionView[];
}

export interface BalancesPush {
  exchange: string;
  account: string;
  balances: BalanceView[];
}

export type PositionsAction =
  | { type: 'reading' }
  | { type: 'positions-read'; answer: PositionsAnswer }
  | { type: 'balances-read'; answer: BalancesAnswer }
  | { type: 'read-failed'; what: 'positions' | 'balances'; error: string }
  | { type: 'dry-runs-read'; positions: PositionsAnswer; balances: BalancesAnswer }
  | { type: 'positions-pushed'; push: PositionsPush; at: string }
  | { type: 'balances-pushed'; push: BalancesPush; at: string };

export const INITIAL_POSITIONS: PositionsState = {
  positions: [],
  balances: [],
  positionReads: [],
  balanceReads: [],
  pushedAt: {},
  reading: { positions: [], balances: [] },
  loaded: false,
  error: null,
};

/** One live account (or a dry run's strategy on its exchange) as a key. */
export function liveAccountKey(exchange: string, account: string): string {
  return `${exchange}/${account}`;
}

function onLiveAccount(row: { exchange: string; account: string; dryRun: boolean }, exchange: string, account: string): boolean {
  return !row.dryRun && row.exchange === exchange && row.account === account;
}

function byAccountThenName<T extends { exchange: string; account: string; dryRun: boolean; strategy: string | null }>(name: (row: T) => string): (a: T, b: T) => number {
  return (a, b) => Number(a.dryRun) - Number(b.dryRun) || a.exchange.localeCompare(b.exchange) || a.account.localeCompare(b.account) || (a.strategy ?? '').localeCompare(b.strategy ?? '') || name(a).localeCompare(name(b));
}

const positionOrder = byAccountThenName<PositionView>((row) => `${row.symbol} ${row.side}`);
const balanceOrder = byAccountThenName<BalanceView>((row) => `${row.wallet ?? ''} ${row.currency}`);

function withPositions(list: readonly PositionView[], push: PositionsPush): PositionView[] {
  return [...list.filter((row) => !onLiveAccount(row, push.exchange, push.account)), ...push.positions].sort(positionOrder);
}

function withBalances(list: readonly BalanceView[], push: BalancesPush): BalanceView[] {
  return [...list.filter((row) => !onLiveAccount(row, push.exchange, push.account)), ...push.balances].sort(balanceOrder);
}

export function positionsReducer(state: PositionsState, action: PositionsAction): PositionsState {
  switch (action.type) {
    case 'reading':
      return { ...state, reading: { positions: [], balances: [] }, error: null };
    case 'positions-read': {
      const positions = (state.reading.positions ?? []).reduce(withPositions, [...action.answer.positions].sort(positionOrder));
      const reading = { ...state.reading, positions: null };
      return { ...state, positions, positionReads: action.answer.accounts, reading, loaded: state.loaded || reading.balances === null };
    }
    case 'balances-read': {
      const balances = (state.reading.balances ?? []).reduce(withBalances, [...action.answer.balances].sort(balanceOrder));
      const reading = { ...state.reading, balances: null };
      return { ...state, balances, balanceReads: action.answer.accounts, reading, loaded: state.loaded || reading.positions === null };
    }
    case 'read-failed': {
      const reading = { ...state.reading, [action.what]: null };
      return { ...state, reading, loaded: state.loaded || (reading.positions === null && reading.balances === null), error: `The ${action.what} could not be read: ${action.error}` };
    }
    case 'dry-runs-read':
      return {
        ...state,
        positions: [...state.positions.filter((row) => !row.dryRun), ...action.positions.positions.filter((row) => row.dryRun)].sort(positionOrder),
        balances: [...state.balances.filter((row) => !row.dryRun), ...action.balances.balances.filter((row) => row.dryRun)].sort(balanceOrder),
      };
    case 'positions-pushed': {
      const waiting = state.reading.positions;
      return {
        ...state,
        positions: withPositions(state.positions, action.push),
        pushedAt: { ...state.pushedAt, [liveAccountKey(action.push.exchange, action.push.account)]: action.at },
        reading: waiting ? { ...state.reading, positions: [...waiting, action.push] } : state.reading,
      };
    }
    case 'balances-pushed': {
      const waiting = state.reading.balances;
      return {
        ...state,
        balances: withBalances(state.balances, action.push),
        pushedAt: { ...state.pushedAt, [liveAccountKey(action.push.exchange, action.push.account)]: action.at },
        reading: waiting ? { ...state.reading, balances: [...waiting, action.push] } : state.reading,
      };
    }
  }
}

/** How an account's figures stand, in the page's words. */
export type AccountStanding =
  | { kind: 'live'; since: string | null }
  | { kind: 'read'; at: string | null }
  | { kind: 'failing'; message: string }
  | { kind: 'not_set' }
  | { kind: 'dry-run' };

/** One section of the page: a live exchange account, or a dry-run strategy's simulated account on one exchange. */
export interface AccountGroup {
  key: string;
  exchange: string;
  account: string;
  dryRun: boolean;
  strategy: string | null;
  standing: AccountStanding;
  positions: PositionView[];
  balances: BalanceView[];
}

function standingOf(reads: readonly (AccountReadState | undefined)[], pushedAt: string | undefined): AccountStanding {
  const failing = reads.find((read) => read?.state === 'failing');
  if (failing) return { kind: 'failing', message: failing.message ?? 'the account could not be read' };
  if (reads.some((read) => read?.state === 'not_set')) return { kind: 'not_set' };
  // a push says the stream is connected, whatever it was at the read
  if (pushedAt !== undefined || reads.some((read) => read?.live)) return { kind: 'live', since: pushedAt ?? null };
  const readAt = reads.map((read) => read?.readAt ?? null).find((at) => at !== null) ?? null;
  return { kind: 'read', at: readAt };
}

/**
 * The page's sections: every live account the engine read (with or without positions), then every
 * dry-run strategy with a simulated position or balance, each with its rows.
 */
export function accountGroups(state: PositionsState): AccountGroup[] {
  const groups = new Map<string, AccountGroup>();
  const live = [...state.positionReads, ...state.balanceReads.filter((read) => !state.positionReads.some((other) => other.exchange === read.exchange && other.account === read.account))];
  for (const read of [...live].sort((a, b) => a.exchange.localeCompare(b.exchange) || a.account.localeCompare(b.account))) {
    const key = liveAccountKey(read.exchange, read.account);
    const reads = [state.positionReads.find((item) => item.exchange === read.exchange && item.account === read.account), state.balanceReads.find((item) => item.exchange === read.exchange && item.account === read.account)];
    groups.set(key, { key, exchange: read.exchange, account: read.account, dryRun: false, strategy: null, standing: standingOf(reads, state.pushedAt[key]), positions: [], balances: [] });
  }
  const groupOf = (row: { exchange: string; account: string; dryRun: boolean; strategy: string | null }): AccountGroup => {
    const key = row.dryRun ? `dry-run/${row.exchange}/${row.strategy ?? ''}` : liveAccountKey(row.exchange, row.account);
    let group = groups.get(key);
    if (!group) {
      // a pushed account the last read did not list (added since): shown as pushed
      group = { key, exchange: row.exchange, account: row.account, dryRun: row.dryRun, strategy: row.dryRun ? row.strategy : null, standing: row.dryRun ? { kind: 'dry-run' } : { kind: 'live', since: state.pushedAt[key] ?? null }, positions: [], balances: [] };
      groups.set(key, group);
    }
    return group;
  };
  for (const position of state.positions) groupOf(position).positions.push(position);
  for (const balance of state.balances) groupOf(balance).balances.push(balance);
  return [...groups.values()].sort((a, b) => Number(a.dryRun) - Number(b.dryRun) || a.exchange.localeCompare(b.exchange) || a.account.localeCompare(b.account) || (a.strategy ?? '').localeCompare(b.strategy ?? ''));
}

/** What a section is called: "bybit · main", or "paper on bybit" for a dry run. */
export function groupTitle(group: Pick<AccountGroup, 'exchange' | 'account' | 'dryRun' | 'strategy'>): string {
  return group.dryRun ? `${group.strategy ?? ''} on ${group.exchange}` : `${group.exchange} · ${group.account}`;
}
