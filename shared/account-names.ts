import type { ExchangeName } from './exchange-names.js';

/**
 * An exchange account's name (README "Several accounts per exchange"): the exchange says which
 * exchange, the name which of its accounts, e.g. `bybit` `main` and `bybit` `sub2`. Accounts set up
 * before names existed are `default`, and so is an account set without a name.
 */
export const DEFAULT_ACCOUNT = 'default';
export const ACCOUNT_NAME_TEXT = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$/;
export const ACCOUNT_NAME_HINT = 'an account name: up to 32 letters, digits, _ . - (starting with a letter or digit)';

export interface AccountRef {
  exchange: ExchangeName;
  account: string;
}

export function isAccountName(value: string): boolean {
  return ACCOUNT_NAME_TEXT.test(value);
}

/** One string per account, for maps and logs: `bybit/main`. */
export function accountKey(ref: { exchange: string; account: string }): string {
  return `${ref.exchange}/${ref.account}`;
}

/** The accounts a strategy may use on an exchange, its default first: those it names, else `default`. */
export function accountsAllowed(accounts: Partial<Record<ExchangeName, readonly string[]>>, exchange: ExchangeName): readonly string[] {
  const named = accounts[exchange];
  return named && named.length > 0 ? named : [DEFAULT_ACCOUNT];
}

/** An exchange's `default` account. */
export function defaultAccountOf(exchange: ExchangeName): AccountRef {
  return { exchange, account: DEFAULT_ACCOUNT };
}
