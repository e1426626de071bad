import { describe, expect, it } from 'vitest';
import { isFiltered, matchesFilter, NO_FILTER, orderQuery } from '../../renderer/src/state/order-filter.js';
import { order } from './fixtures.js';

describe('order filters', () => {
  it('builds the GET /api/orders query, leaving out what is "any"', () => {
    expect(orderQuery(NO_FILTER, { limit: 100 })).toBe('?limit=100');
    expect(orderQuery({ strategy: 'alpha', exchange: 'bybit', status: 'filled', text: '  btc ' }, { limit: 50, before: 12 })).toBe(
      '?limit=50&before=12&strategy=alpha&exchange=bybit&status=filled&text=btc',
    );
  });

  it('matches as the journal does: exact fields, text anywhere in symbol, memo, strategy or side, any case', () => {
    const item = order(1, { strategy: 'alpha', exchange: 'binance', status: 'open', symbol: 'ETHUSDT', side: 'Sarbuy', memo: 'Breakout' });
    expect(matchesFilter(item, NO_FILTER)).toBe(true);
    expect(matchesFilter(item, { ...NO_FILTER, strategy: 'alpha', exchange: 'binance', status: 'open' })).toBe(true);
    expect(matchesFilter(item, { ...NO_FILTER, strategy: 'alph' })).toBe(false);
    expect(matchesFilter(item, { ...NO_FILTER, exchange: 'bybit' })).toBe(false);
    expect(matchesFilter(item, { ...NO_FILTER, status: 'filled' })).toBe(false);
    for (const text of ['eth', 'SARB', 'breakout', 'ALPHA', ' usdt ']) expect(matchesFilter(item, { ...NO_FILTER, text })).toBe(true);
    expect(matchesFilter(item, { ...NO_FILTER, text: 'binance' })).toBe(false);
  });

  it('knows when a filter is on', () => {
    expect(isFiltered(NO_FILTER)).toBe(false);
    expect(isFiltered({ ...NO_FILTER, text: '   ' })).toBe(false);
    expect(isFiltered({ ...NO_FILTER, status: 'error' })).toBe(true);
  });
});
