import { describe, expect, it } from 'vitest';
import { DEFAULT_STRATEGY_SHAPING } from '../../shared/api-types.js';
import type { StrategyOverview } from '../../renderer/src/state/api-types.js';
import { type ExchangeAccount, newAccount, normalizeExchangeAccounts } from '../../renderer/src/state/exchanges.js';
import { accountRows, accountsBody, accountsSummary, addAccount, makeDefault, removeAccount, sameAccounts } from '../../renderer/src/state/strategy-accounts.js';
import { strategyChanges, strategyInput, strategyToForm, EMPTY_STRATEGY_FORM } from '../../renderer/src/state/strategy-form.js';

/** As GET /api/exchanges lists them: bybit's default, main and sub2; binance's default only. */
const CONFIGURED: ExchangeAccount[] = normalizeExchangeAccounts([
  { exchange: 'bybit', account: 'default', apiKeyMasked: 'ab…cd' },
  { exchange: 'bybit', account: 'sub2', apiKeyMasked: 'ef…gh' },
  { exchange: 'bybit', account: 'main', apiKeyMasked: 'ij…kl' },
  { exchange: 'binance', account: 'default', apiKeyMasked: 'mn…op' },
]);

const strategy: StrategyOverview = {
  ...DEFAULT_STRATEGY_SHAPING,
  id: 1,
  name: 'bound',
  mode: 'live',
  marketType: 'swap',
  maxQty: null,
  symbols: [],
  exchanges: ['bybit', 'binance'],
  accounts: { bybit: ['main', 'sub3'] },
  enabled: true,
  createdAt: '2026-12-01T10:00:00.000Z',
  updatedAt: '2026-12-01T10:00:00.000Z',
  ordersToday: 0,
  lastSignalAt: null,
  positions: [],
};

describe('Add an account (the Exchanges page)', () => {
  it('takes an exchange and a name as the engine checks names, then an account to set up', () => {
    expect(newAccount({ exchange: 'bybit', name: ' anna.2 ' }, CONFIGURED)).toEqual({ ok: true, value: { exchange: 'bybit', account: 'anna.2', configured: false, apiKeyMasked: null, baseUrl: null, updatedAt: null, note: null } });
    // binance has no main yet: a name another exchange uses is fine
    expect(newAccount({ exchange: 'binance', name: 'main' }, CONFIGURED)).toMatchObject({ ok: true, value: { exchange: 'binance', account: 'main' } });
  });

  it.each([
    [{ exchange: '', name: 'main' }, 'exchange', 'Exchange: pick the exchange the account is on'],
    [{ exchange: 'bybit', name: '  ' }, 'name', 'Name: expected a name for the account, e.g. main or sub2'],
    [{ exchange: 'bybit', name: 'my main' }, 'name', 'Name: expected an account name: up to 32 letters, digits, _ . - (starting with a letter or digit), got "my main"'],
    [{ exchange: 'bybit', name: '-main' }, 'name', 'Name: expected an account name: up to 32 letters, digits, _ . - (starting with a letter or digit), got "-main"'],
    [{ exchange: 'bybit', name: 'a'.repeat(33) }, 'name', `Name: expected an account name: up to 32 letters, digits, _ . - (starting with a letter or digit), got "${'a'.repeat(33)}"`],
    [{ exchange: 'bybit', name: 'default' }, 'name', "Name: default is bybit's own account, whose card is on this page; pick another name"],
    [{ exchange: 'bybit', name: 'sub2' }, 'name', 'Name: bybit already has an account named sub2; replace its credentials on its card'],
  ] as const)('refuses %j on its field', (form, field, message) => {
    expect(newAccount(form, CONFIGURED)).toEqual({ ok: false, field, message });
  });
});

describe("the strategy form's accounts", () => {
  it('offers a choice only on exchanges it trades on that have more than their default, or where it names some', () => {
    const rows = accountRows(['bybit', 'binance'], CONFIGURED, strategy.accounts);
    expect(rows).toEqual([
      {
        exchange: 'bybit',
        // in its order, the first the default; sub3 is named but not set up
        chosen: [
          { name: 'main', configured: true },
          { name: 'sub3', configured: false },
        ],
        addable: [
          { name: 'default', configured: true },
          { name: 'sub2', configured: true },
        ],
      },
    ]);
    // any exchange: still only bybit has a choice
    expect(accountRows([], CONFIGURED, {}).map((row) => row.exchange)).toEqual(['bybit']);
    // not on bybit: nothing to choose
    expect(accountRows(['binance'], CONFIGURED, {})).toEqual([]);
  });

  it('adds at the end, makes one the default by moving it first, and removes', () => {
    let accounts = addAccount({}, 'bybit', 'sub2');
    expect(accounts).toEqual({ bybit: ['sub2'] });
    accounts = addAccount(accounts, 'bybit', 'main');
    accounts = addAccount(accounts, 'bybit', 'main');
    expect(accounts).toEqual({ bybit: ['sub2', 'main'] });
    expect(makeDefault(accounts, 'bybit', 'main')).toEqual({ bybit: ['main', 'sub2'] });
    expect(removeAccount(removeAccount(accounts, 'bybit', 'sub2'), 'bybit', 'main')).toEqual({});
  });

  it('sends only the exchanges it trades on, and none that names only its default', () => {
    expect(accountsBody({ bybit: ['main', 'sub2'], binance: ['default'], bybit_testnet: ['x'] }, ['bybit', 'binance'])).toEqual({ bybit: ['main', 'sub2'] });
    expect(accountsBody({ bybit_testnet: ['x'] }, [])).toEqual({ bybit_testnet: ['x'] });
    expect(sameAccounts({ bybit: ['main', 'sub2'] }, { bybit: ['sub2', 'main'] })).toBe(false);
    expect(sameAccounts({ bybit: [] }, {})).toBe(true);
  });

  it('puts them in the POST body and a PATCH only when they changed, in order', () => {
    expect(strategyInput({ ...EMPTY_STRATEGY_FORM, name: 'x', exchanges: ['bybit'], accounts: { bybit: ['main'], binance: ['sub'] } })).toMatchObject({ ok: true, value: { accounts: { bybit: ['main'] } } });
    const form = strategyToForm(strategy);
    expect(form.accounts).toEqual({ bybit: ['main', 'sub3'] });
    expect(strategyChanges(strategy, form)).toEqual({ ok: true, value: {} });
    expect(strategyChanges(strategy, { ...form, accounts: makeDefault(form.accounts, 'bybit', 'sub3') })).toEqual({ ok: true, value: { accounts: { bybit: ['sub3', 'main'] } } });
    expect(strategyChanges(strategy, { ...form, accounts: {} })).toEqual({ ok: true, value: { accounts: {} } });
    // no longer on bybit: its accounts go with it, and that alone is no change of the accounts
    expect(strategyChanges(strategy, { ...form, exchanges: ['binance'] })).toEqual({ ok: true, value: { exchanges: ['binance'] } });
    // the form's copy is its own: editing it leaves the strategy as loaded
    form.accounts.bybit?.push('sub2');
    expect(strategy.accounts).toEqual({ bybit: ['main', 'sub3'] });
  });

  it('shows them in the table per exchange, the default first', () => {
    expect(accountsSummary({ binance: ['spot'], bybit: ['main', 'sub2'] })).toEqual(['bybit: main, sub2', 'binance: spot']);
    expect(accountsSummary({})).toEqual([]);
  });
});
