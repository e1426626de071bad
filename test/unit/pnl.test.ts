import { describe, expect, it } from 'vitest';
import { pnlTermsOf } from '../../main/engine/pnl/market-terms.js';
import { PnlLedger } from '../../main/engine/pnl/pnl-ledger.js';
import { periodStarts, pnlCurves, strategyPnl } from '../../main/engine/pnl/pnl-report.js';
import type { Fill } from '../../main/engine/store/fills.js';

const NOW = new Date('2026-11-30T12:00:00.000Z');
const STARTS = periodStarts(NOW, '2026-11-30T00:00:00.000Z');
const TODAY = (hour: number) => `2026-11-30T${String(hour).padStart(2, '0')}:00:00.000Z`;
const DAYS_AGO = (days: number) => new Date(NOW.getTime() - days * 86_400_000).toISOString();

let nextId = 1;
function fill(side: 'buy' | 'sell', amount: string, price: string | null, fee: string | null, at: string, changes: Partial<Fill> = {}): Fill {
  const id = nextId++;
  return { id, orderId: id, leg: 1, strategy: 'trend', exchange: 'bybit', account: 'default', dryRun: false, marketSymbol: 'BTC/USDT:USDT', marketType: 'swap', side, amount, price, fee, feeCurrency: fee === null ? null : 'USDT', source: 'order', tradeId: null, at, ...changes };
}

describe('PnL by average cost over a strategy’s own fills', () => {
  // Worked by hand:
  //   BTC: buy 1 @ 100 (fee 0.1), buy 1 @ 110 (0.11): long 2 at an average of 105
  //        sell 1.5 @ 120 (0.18): realizes 1.5 × (120 − 105) = 22.5, long 0.5
  //        sell 1 @ 100 (0.1): closes 0.5, realizing 0.5 × (100 − 105) = −2.5; the trip made 20 less
  //          0.44 of fees (0.1 + 0.11 + 0.18 + half of 0.1): a win; the other 0.5 opens a short at 100
  //        buy 0.5 @ 90 (0.045): realizes 0.5 × (100 − 90) = 5, less 0.05 + 0.045 of fees: a win
  //   ETH: buy 2 @ 50 (0.05) 40 days ago, sell 2 @ 49 (0.049) 10 days ago: realizes −2: a loss
  const fills = [
    fill('buy', '2', '50', '0.05', DAYS_AGO(40), { marketSymbol: 'ETH/USDT:USDT' }),
    fill('sell', '2', '49', '0.049', DAYS_AGO(10), { marketSymbol: 'ETH/USDT:USDT' }),
    fill('buy', '1', '100', '0.1', DAYS_AGO(3)),
    fill('buy', '1', '110', '0.11', DAYS_AGO(2)),
    fill('sell', '1.5', '120', '0.18', TODAY(1)),
    fill('sell', '1', '100', '0.1', TODAY(2)),
    fill('buy', '0.5', '90', '0.045', TODAY(3)),
  ];

  it('matches the hand-computed table: realized per period, fees apart, trades and win rate', () => {
    const pnl = strategyPnl('trend', PnlLedger.of(fills), STARTS);
    expect(pnl.currencies).toEqual([
      {
        currency: 'USDT',
        // today 22.5 − 2.5 + 5; within 7 days the same; within 30 also ETH's −2 (sold 10 days ago)
        realized: { today: '25', days7: '25', days30: '23', all: '23' },
        fees: { today: '0.325', days7: '0.535', days30: '0.584', all: '0.634' },
        net: { today: '24.675', days7: '24.465', days30: '22.416', all: '22.366' },
      },
    ]);
    expect(pnl.trades).toBe(3);
    expect(pnl.winRate).toBeCloseTo(2 / 3, 10);
    expect(pnl.open).toEqual([]);
    expect(pnl.unpriced).toBe(0);
  });

  it('values what is left open at the price now, and counts a fill without a price apart', () => {
    const open = [fill('buy', '0.2', '100', null, TODAY(1)), fill('buy', '0.2', '120', null, TODAY(2)), fill('buy', '1', null, null, TODAY(3))];
    const pnl = strategyPnl('trend', PnlLedger.of(open), STARTS, () => 130);
    expect(pnl.open).toEqual([{ exchange: 'bybit', account: 'default', dryRun: false, symbol: 'BTC/USDT:USDT', qty: '0.4', averageCost: '110', currency: 'USDT', markPrice: '130', unrealized: '8' }]);
    expect(pnl.unpriced).toBe(1);
    expect(strategyPnl('trend', PnlLedger.of(open), STARTS).open[0]).toMatchObject({ markPrice: null, unrealized: null });
  });

  it('averages an inverse contract’s entry harmonically and realizes in the coin', () => {
    // 100 USD contracts at 50 000 and 100 at 40 000: 200 / (100/50 000 + 100/40 000) = 44 444.4…;
    // selling the 200 at 50 000 realizes 200 × (1/44 444.4… − 1/50 000) = 0.0005 BTC
    const inverse = (side: 'buy' | 'sell', price: string, amount = '100') => fill(side, amount, price, null, TODAY(1), { marketSymbol: 'BTC/USD:BTC' });
    const pnl = strategyPnl('trend', PnlLedger.of([inverse('buy', '50000'), inverse('buy', '40000'), inverse('sell', '50000', '200')]), STARTS);
    expect(pnl.currencies).toEqual([{ currency: 'BTC', realized: { today: '0.0005', days7: '0.0005', days30: '0.0005', all: '0.0005' }, fees: { today: '0', days7: '0', days30: '0', all: '0' }, net: { today: '0.0005', days7: '0.0005', days30: '0.0005', all: '0.0005' } }]);
  });

  it('keeps each account’s market apart: the same symbol on another account is another position', () => {
    const pnl = strategyPnl('trend', PnlLedger.of([fill('buy', '1', '100', null, TODAY(1)), fill('sell', '1', '90', null, TODAY(2), { account: 'main' })]), STARTS);
    expect(pnl.currencies).toEqual([]); // nothing realized: each fill opened a position of its own
    expect(pnl.open.map((lot) => `${lot.account}:${lot.qty}`).sort()).toEqual(['default:1', 'main:-1']);
  });

  it('draws the cumulative net PnL curve, one point per second', () => {
    const [curve] = pnlCurves('trend', PnlLedger.of(fills.slice(2)));
    expect(curve?.currency).toBe('USDT');
    expect(curve?.points.map((point) => point.value)).toEqual(['-0.1', '-0.21', '22.11', '19.51', '24.465']);
    expect(curve?.points.map((point) => point.time)).toEqual(fills.slice(2).map((item) => Math.floor(Date.parse(item.at) / 1000)));
  });

  it('reads the terms from the symbol: unified on live accounts, the simulator’s name in dry runs', () => {
    expect(pnlTermsOf('BTC/USDT:USDT', 'swap')).toEqual({ kind: 'linear', currency: 'USDT' });
    expect(pnlTermsOf('BTC/USD:BTC', 'swap')).toEqual({ kind: 'inverse', currency: 'BTC' });
    expect(pnlTermsOf('ETH/USDC', 'spot')).toEqual({ kind: 'spot', currency: 'USDC' });
    expect(pnlTermsOf('BTCUSDT', 'swap')).toEqual({ kind: 'linear', currency: 'USDT' });
    expect(pnlTermsOf('BTCUSD', 'swap')).toEqual({ kind: 'inverse', currency: 'BTC' });
  });
});
