import type { Fill } from '../../main/engine/store/fills.js';

const NOW = new Date('2026-11-30T12:00:00.000Z');

/** A seeded walk of fills over about 32 days before 30 November 2026, noon: three markets (one inverse), two accounts, fees in two currencies, some unpriced, some at the same time. */
export function walkOfFills(count: number, seed = 7): Fill[] {
  let state = seed;
  const random = () => ((state = (state * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
  const markets = ['BTC/USDT:USDT', 'ETH/USDT:USDT', 'BTC/USD:BTC'];
  const start = NOW.getTime() - 35 * 86_400_000;
  const fills: Fill[] = [];
  let time = start;
  for (let id = 1; id <= count; id += 1) {
    if (random() > 0.2) time += Math.floor(random() * (40 * 86_400_000 / count) * 2);
    const marketSymbol = markets[Math.floor(random() * markets.length)] as string;
    const inverse = marketSymbol === 'BTC/USD:BTC';
    const price = (inverse ? 40_000 : marketSymbol.startsWith('BTC') ? 60_000 : 3_000) * (0.9 + random() * 0.2);
    const feeInBnb = random() < 0.2;
    fills.push({
      id,
      orderId: id,
      leg: 1,
      strategy: 'walk',
      exchange: 'bybit',
      account: random() < 0.8 ? 'default' : 'main',
      dryRun: false,
      marketSymbol,
      marketType: 'swap',
      side: random() < 0.5 ? 'buy' : 'sell',
      amount: inverse ? String(100 * (1 + Math.floor(random() * 5))) : (0.001 * (1 + Math.floor(random() * 20))).toFixed(3),
      price: random() < 0.02 ? null : price.toFixed(2),
      fee: random() < 0.1 ? null : (feeInBnb ? 0.0001 : 0.05).toFixed(4),
      feeCurrency: feeInBnb ? 'BNB' : inverse ? 'BTC' : 'USDT',
      source: 'order',
      tradeId: null,
      at: new Date(time).toISOString(),
    });
  }
  return fills;
}
