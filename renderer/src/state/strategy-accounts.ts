import { DEFAULT_ACCOUNT } from '../../../shared/account-names.js';
import type { StrategyAccounts } from '../../../shared/api-types.js';
import { EXCHANGE_NAMES, type ExchangeName } from '../../../shared/exchange-names.js';
import type { ExchangeAccount } from './exchanges.js';

/**
 * The accounts a strategy may use per exchange (README "Several accounts per exchange"), as the
 * strategy form edits them: per exchange an ordered list, the first the default; an exchange with
 * none named trades on its `default` account.
 */

export interface AccountChoice {
  name: string;
  /** Credentials are saved for it; one that is not can be named now and set up later (orders are refused until then). */
  configured: boolean;
}

export interface ExchangeAccountsRow {
  exchange: ExchangeName;
  /** In the order the strategy uses them, the first its default; empty: the exchange's default account. */
  chosen: AccountChoice[];
  /** What can be added: the exchange's other accounts, `default` first. */
  addable: AccountChoice[];
}

function allowedExchanges(exchanges: readonly ExchangeName[]): readonly ExchangeName[] {
  return exchanges.length === 0 ? EXCHANGE_NAMES : EXCHANGE_NAMES.filter((exchange) => exchanges.includes(exchange));
}

/**
 * One row per exchange the strategy may trade on where there is a choice to make: the exchange has
 * accounts besides its default, or the strategy already names some. An exchange with only its default
 * account has nothing to choose.
 */
export function accountRows(exchanges: readonly ExchangeName[], configured: readonly ExchangeAccount[], accounts: StrategyAccounts): ExchangeAccountsRow[] {
  return allowedExchanges(exchanges).flatMap((exchange) => {
    const named = accounts[exchange] ?? [];
    const set = configured.filter((account) => account.exchange === exchange && account.configured);
    if (named.length === 0 && !set.some((account) => account.account !== DEFAULT_ACCOUNT)) return [];
    const isSet = (name: string) => set.some((account) => account.account === name);
    const known = [DEFAULT_ACCOUNT, ...set.map((account) => account.account).filter((name) => name !== DEFAULT_ACCOUNT).sort((a, b) => a.localeCompare(b))];
    return [
      {
        exchange,
        chosen: named.map((name) => ({ name, configured: isSet(name) })),
        addable: known.filter((name) => !named.includes(name)).map((name) => ({ name, configured: isSet(name) })),
      },
    ];
  });
}

function withList(accounts: StrategyAccounts, exchange: ExchangeName, list: string[]): StrategyAccounts {
  const next: StrategyAccounts = { ...accounts };
  if (list.length === 0) delete next[exchange];
  else next[exchange] = list;
  return next;
}

/** Adds an account at the end (the first one added becomes the exchange's default for the strategy). */
export function addAccount(accounts: StrategyAccounts, exchange: ExchangeName, name: string): StrategyAccounts {
  const list = accounts[exchange] ?? [];
  return list.includes(name) ? accounts : withList(accounts, exchange, [...list, name]);
}

export function removeAccount(accounts: StrategyAccounts, exchange: ExchangeName, name: string): StrategyAccounts {
  return withList(accounts, exchange, (accounts[exchange] ?? []).filter((item) => item !== name));
}

/** Moves an account to the front: orders that name no account then go to it. */
export function makeDefault(accounts: StrategyAccounts, exchange: ExchangeName, name: string): StrategyAccounts {
  const list = accounts[exchange] ?? [];
  return list.includes(name) ? withList(accounts, exchange, [name, ...list.filter((item) => item !== name)]) : accounts;
}

/**
 * What the form sends: only the exchanges the strategy may trade on, and none that names only its
 * default account (the same as naming none), so an untouched strategy compares equal to its form.
 */
export function accountsBody(accounts: StrategyAccounts, exchanges: readonly ExchangeName[]): StrategyAccounts {
  const body: StrategyAccounts = {};
  for (const exchange of allowedExchanges(exchanges)) {
    const list = accounts[exchange] ?? [];
    if (list.length === 0 || (list.length === 1 && list[0] === DEFAULT_ACCOUNT)) continue;
    body[exchange] = [...list];
  }
  return body;
}

export function sameAccounts(a: StrategyAccounts, b: StrategyAccounts): boolean {
  return EXCHANGE_NAMES.every((exchange) => {
    const left = a[exchange] ?? [];
    const right = b[exchange] ?? [];
    return left.length === right.length && left.every((name, index) => name === right[index]);
  });
}

/** The Strategies table's words for them: `bybit: main, sub2` per exchange that names any (the first is the default). */
export function accountsSummary(accounts: StrategyAccounts): string[] {
  return EXCHANGE_NAMES.flatMap((exchange) => {
    const list = accounts[exchange] ?? [];
    return list.length === 0 ? [] : [`${exchange}: ${list.join(', ')}`];
  });
}
