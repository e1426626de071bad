import { describe, expect, it } from 'vitest';
import { connectionNotice } from '../../renderer/src/state/connection-notice.js';
import { filterFromSearch, searchOf } from '../../renderer/src/state/order-filter.js';
import { formatPrice, sideLabel } from '../../renderer/src/state/order-format.js';
import { countOf } from '../../renderer/src/state/plural.js';
import { curlHint } from '../../renderer/src/state/first-order-hint.js';

describe('sides by their meaning', () => {
  it.each([
    ['long', 'Buy'],
    ['buy', 'Buy'],
    ['Buy', 'Buy'],
    ['1', 'Buy'],
    ['SHORT', 'Sell'],
    ['-1', 'Sell'],
    ['0', 'Close'],
    ['sarbuy', 'SAR buy'],
    ['-2', 'SAR sell'],
    ['sideways', 'sideways'],
  ])('%s reads %s', (side, label) => {
    expect(sideLabel(side)).toBe(label);
  });
});

describe('computed prices, rounded for reading', () => {
  it.each([
    [61333.333333333336, '61333.33'],
    ['61333.333333333336', '61333.33'],
    ['62000', '62000'],
    [3000.5, '3000.5'],
    [1.23456789, '1.2346'],
    [0.000123456789, '0.000123457'],
    [-0, '0'],
  ])('%s as %s', (value, text) => {
    expect(formatPrice(value)).toBe(text);
  });

  it('leaves nothing as nothing', () => {
    expect(formatPrice(null)).toBeNull();
    expect(formatPrice('')).toBeNull();
  });
});

describe('the disconnected screen', () => {
  it('says nothing while live or connecting for the first time', () => {
    expect(connectionNotice('live', null)).toBeNull();
    expect(connectionNotice('connecting', null)).toBeNull();
  });

  it('says the data is stale while the engine does not answer, and that it reconnects by itself', () => {
    expect(connectionNotice('reconnecting', '14:03:07')).toEqual({ title: 'Not connected to apisify', detail: expect.stringMatching(/since 14:03:07: what is shown below may be out of date/), howBack: null });
  });

  it('says how to get back in once a restart ended the session', () => {
    const notice = connectionNotice('session-lost', '14:03:07');
    expect(notice?.detail).toMatch(/connection dropped at 14:03:07/);
    expect(notice?.howBack).toMatch(/Open apisify from the tray, or run "apisify ui"/);
  });
});

describe('small words', () => {
  it('counts in the right number', () => {
    expect(countOf(1, 'strategy', 'strategies')).toBe('1 strategy');
    expect(countOf(0, 'strategy', 'strategies')).toBe('0 strategies');
    expect(countOf(2, 'strategy', 'strategies')).toBe('2 strategies');
  });

  it('keeps the filters and the open order in the address', () => {
    const filter = { strategy: 'swing', exchange: 'bybit', status: 'filled' as const, text: ' BTC ' };
    const search = searchOf(filter, 7);
    expect(search).toBe('?strategy=swing&exchange=bybit&status=filled&text=BTC&order=7');
    expect(filterFromSearch(search)).toEqual({ ...filter, text: 'BTC' });
    expect(filterFromSearch('?status=bogus')).toEqual({ strategy: '', exchange: '', status: '', text: '' });
    expect(searchOf({ strategy: '', exchange: '', status: '', text: '' }, null)).toBe('');
  });

  it("the curl sample stamps milliseconds, so two runs in one second are two orders", () => {
    expect(curlHint({ url: 'http://127.0.0.1:8470' })).toContain(`TS=$(perl -MTime::HiRes=time -e 'printf "%d", time * 1000')`);
  });
});
