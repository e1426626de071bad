import { describe, expect, it } from 'vitest';
import type { StrategyPnl } from '../../shared/pnl-api.js';
import { equityCurves, formatMoney, openLotRows, periodRows, pnlCell, toneOf, winRateText } from '../../renderer/src/state/strategy-pnl.js';

const periods = (today: string, days7: string, days30: string, all: string) => ({ today, days7, days30, all });

/** A strategy as GET /api/pnl answers it: a USDT linear round trip and a BTC spot fee. */
const swing: StrategyPnl = {
  strategy: 'swing',
  currencies: [
    { currency: 'BTC', realized: periods('0', '0', '0', '0'), fees: periods('0.00001', '0.00001', '0.00001', '0.00001'), net: periods('-0.00001', '-0.00001', '-0.00001', '-0.00001') },
    { currency: 'USDT', realized: periods('10', '10', '-2.5', '1234.5'), fees: periods('0.6655', '0.6655', '0.9', '12.25'), net: periods('9.3345', '9.3345', '-3.4', '1222.25') },
  ],
  trades: 3,
  winRate: 2 / 3,
  open: [
    { exchange: 'bybit', account: 'main', dryRun: false, symbol: 'BTC/USDT:USDT', qty: '-0.02', averageCost: '61000', currency: 'USDT', markPrice: '60000', unrealized: '20' },
    { exchange: 'bybit', account: 'default', dryRun: true, symbol: 'ETHUSDT', qty: '0.5', averageCost: '3000.123456789', currency: 'USDT', markPrice: null, unrealized: null },
  ],
  unpriced: 0,
};

describe('PnL for reading', () => {
  it('signs gains, groups thousands and stops at 8 decimals', () => {
    expect(formatMoney('9.3345')).toBe('+9.3345');
    expect(formatMoney('-1234.5')).toBe('-1,234.5');
    expect(formatMoney('0')).toBe('0');
    expect(formatMoney('-0.000000001')).toBe('0');
    expect(formatMoney('0.123456789012')).toBe('+0.12345679');
    expect(formatMoney('12.25', false)).toBe('12.25');
    expect(formatMoney('100')).toBe('+100');
    expect([toneOf('1'), toneOf('-0.1'), toneOf('0')]).toEqual(['gain', 'loss', 'flat']);
  });

  it("fills the table's cell per currency with net today and all", () => {
    expect(pnlCell(swing)).toEqual([
      { currency: 'BTC', today: '-0.00001', all: '-0.00001', tone: 'loss' },
      { currency: 'USDT', today: '+9.3345', all: '+1,222.25', tone: 'gain' },
    ]);
    expect(pnlCell(undefined)).toEqual([]);
  });

  it('lays out each period with realized and fees apart, then net', () => {
    expect(periodRows(swing.currencies[1] as StrategyPnl['currencies'][number])).toEqual([
      { label: 'Today', realized: '+10', fees: '0.6655', net: '+9.3345', tone: 'gain' },
      { label: '7 d', realized: '+10', fees: '0.6655', net: '+9.3345', tone: 'gain' },
      { label: '30 d', realized: '-2.5', fees: '0.9', net: '-3.4', tone: 'loss' },
      { label: 'All', realized: '+1,234.5', fees: '12.25', net: '+1,222.25', tone: 'gain' },
    ]);
  });

  it('says the win rate with the count, and before the first trade that there is none', () => {
    expect(winRateText(swing)).toBe('67 % (2 of 3)');
    expect(winRateText({ trades: 0, winRate: null })).toBe('no closed trade yet');
  });

  it('lists what is open with its side, and no unrealized without a price', () => {
    expect(openLotRows(swing.open)).toEqual([
      { key: 'bybit|main|live|BTC/USDT:USDT', account: 'bybit · main', symbol: 'BTC/USDT:USDT', side: 'short', qty: '0.02', averageCost: '61,000', mark: '60,000', unrealized: '+20 USDT', tone: 'gain' },
      { key: 'bybit|default|dry|ETHUSDT', account: 'bybit · dry run', symbol: 'ETHUSDT', side: 'long', qty: '0.5', averageCost: '3,000.12345679', mark: '—', unrealized: '—', tone: 'flat' },
    ]);
  });

  it("turns the curve's decimal text into a chart's points", () => {
    expect(equityCurves([{ of: 'swing', currency: 'USDT', points: [{ time: 1764590400, value: '-0.33' }, { time: 1764590460, value: '9.3345' }] }])).toEqual([
      { currency: 'USDT', points: [{ time: 1764590400, value: -0.33 }, { time: 1764590460, value: 9.3345 }], last: '+9.3345' },
    ]);
    expect(equityCurves([{ of: 'swing', currency: 'BTC', points: [{ time: 1764590400, value: '-0.00001' }] }])[0]?.last).toBe('-0.00001');
  });
});
