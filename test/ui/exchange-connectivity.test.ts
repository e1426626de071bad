import { defaultAccountOf } from '../../shared/account-names.js';
import { describe, expect, it } from 'vitest';
import { connectivityOf } from '../../renderer/src/state/exchange-connectivity.js';

const at = '2026-11-24T10:00:00.000Z';
const time = (iso: string) => iso.slice(11, 19);

describe('the status bar’s exchange connectivity', () => {
  it('shows each account with credentials, as the engine last found it', () => {
    const items = connectivityOf(
      [defaultAccountOf('bybit'), { exchange: 'bybit', account: 'sub2' }, defaultAccountOf('binance'), defaultAccountOf('binance_testnet')],
      [
        { exchange: 'bybit', account: 'default', state: 'ok', at, message: null },
        { exchange: 'bybit', account: 'sub2', state: 'failing', at, message: 'bybit rejected the API key' },
        { exchange: 'binance', account: 'default', state: 'failing', at, message: 'binance is unreachable or failing (503)' },
        { exchange: 'bybit_testnet', account: 'default', state: 'ok', at, message: null }, // no credentials any more: not shown
      ],
      time,
    );
    expect(items).toEqual([
      { exchange: 'bybit', tone: 'ok', text: 'bybit: connected', title: 'Answered at 10:00:00' },
      { exchange: 'bybit/sub2', tone: 'failing', text: 'bybit/sub2: failing', title: 'bybit rejected the API key (10:00:00)' },
      { exchange: 'binance', tone: 'failing', text: 'binance: failing', title: 'binance is unreachable or failing (503) (10:00:00)' },
      { exchange: 'binance_testnet', tone: 'unknown', text: 'binance_testnet: not used yet', title: 'No request since apisify started; Exchanges page: Test connection' },
    ]);
  });

  it("says clock when the exchange refuses the computer's timestamps", () => {
    const [item] = connectivityOf([defaultAccountOf('binance')], [{ exchange: 'binance', account: 'default', state: 'clock', at, message: 'the clock is off' }], time);
    expect(item).toEqual({ exchange: 'binance', tone: 'failing', text: 'binance: clock', title: 'the clock is off (10:00:00)' });
  });

  it('is empty without accounts (dry run only)', () => {
    expect(connectivityOf([], [{ exchange: 'bybit', account: 'default', state: 'ok', at, message: null }], time)).toEqual([]);
  });
});
