import { describe, expect, it } from 'vitest';
import { accountFigures, applyFill, type ContractTerms, type HeldPosition, type MarginedPosition, requiredFor, type RestingOrder, type SimulatedFill } from '../../main/engine/exchanges/dry-run-accounting.js';
import { fillAt, limitCrossed, triggerReached } from '../../main/engine/exchanges/dry-run-matching.js';

const LINEAR: ContractTerms = { contract: 'linear', contractSize: 1, base: 'BTC', quote: 'USDT', settle: 'USDT', maker: 0.0002, taker: 0.0006 };
const SMALL_CONTRACT: ContractTerms = { ...LINEAR, base: 'ETH', contractSize: 0.01, taker: 0.0005 };
const INVERSE: ContractTerms = { contract: 'inverse', contractSize: 1, base: 'BTC', quote: 'USD', settle: 'BTC', maker: 0.0001, taker: 0.0006 };
const SPOT: ContractTerms = { contract: null, contractSize: 1, base: 'BTC', quote: 'USDT', settle: 'USDT', maker: 0.001, taker: 0.001 };

const flat: HeldPosition = { qty: 0, entryPrice: null };
const fill = (side: 'buy' | 'sell', amount: number, price: number, liquidity: SimulatedFill['liquidity'] = 'taker'): SimulatedFill => ({ side, amount, price, liquidity });

describe('a simulated fill on a contract', () => {
  it.each([
    ['opens a long from flat, paying the taker fee on its value', flat, fill('buy', 0.1, 60_000), LINEAR, { qty: 0.1, entryPrice: 60_000 }, 0, 3.6, -3.6],
    ['adds to a long at the maker rate, averaging the entry by amount', { qty: 0.1, entryPrice: 60_000 }, fill('buy', 0.1, 62_000, 'maker'), LINEAR, { qty: 0.2, entryPrice: 61_000 }, 0, 1.24, -1.24],
    ['reduces a long: realises the part sold, keeps the entry', { qty: 0.2, entryPrice: 61_000 }, fill('sell', 0.05, 63_000), LINEAR, { qty: 0.15, entryPrice: 61_000 }, 100, 1.89, 98.11],
    ['closes a short at a profit', { qty: -0.1, entryPrice: 60_000 }, fill('buy', 0.1, 59_000), LINEAR, { qty: 0, entryPrice: null }, 100, 3.54, 96.46],
    ['closes a long at a loss', { qty: 0.1, entryPrice: 60_000 }, fill('sell', 0.1, 57_000), LINEAR, { qty: 0, entryPrice: null }, -300, 3.42, -303.42],
    ['crosses zero: realises the long, opens the short at the fill price', { qty: 0.1, entryPrice: 60_000 }, fill('sell', 0.3, 61_000), LINEAR, { qty: -0.2, entryPrice: 61_000 }, 100, 10.98, 89.02],
    ['counts the contract size in the value and the PnL', { qty: 10, entryPrice: 3_000 }, fill('sell', 10, 3_100), SMALL_CONTRACT, { qty: 0, entryPrice: null }, 10, 0.155, 9.845],
  ] as const)('%s', (_what, position, simulated, terms, next, realized, fee, moved) => {
    const effect = applyFill(position, simulated, terms);
    expect(effect.position).toEqual(next);
    expect(effect.realizedPnl).toBe(realized);
    expect(effect.fee).toBe(fee);
    expect(effect.feeCurrency).toBe('USDT');
    expect(effect.moved).toEqual([{ currency: 'USDT', amount: moved }]);
  });

  it('on an inverse contract counts value in the coin, averages the entry harmonically and realises in the coin', () => {
    const opened = applyFill(flat, fill('buy', 6_000, 60_000), INVERSE);
    // 6 000 USD contracts at 60 000 are worth 0.1 BTC: the fee is 0.06 % of that, in BTC
    expect(opened).toMatchObject({ position: { qty: 6_000, entryPrice: 60_000 }, fee: 0.00006, feeCurrency: 'BTC', moved: [{ currency: 'BTC', amount: -0.00006 }] });
    const added = applyFill(opened.position, fill('buy', 6_000, 40_000), INVERSE);
    // 12 000 contracts bought for 0.1 + 0.15 BTC: an entry of 48 000
    expect(added.position.qty).toBe(12_000);
    expect(added.position.entryPrice).toBeCloseTo(48_000, 8);
    const closed = applyFill(added.position, fill('sell', 12_000, 60_000), INVERSE);
    expect(closed.position).toEqual({ qty: 0, entryPrice: null });
    expect(closed.realizedPnl).toBeCloseTo(0.05, 12);
    expect(closed.fee).toBeCloseTo(0.00012, 12);
  });

  it('with no fee rates (a market guessed offline) charges nothing and moves nothing until PnL is realised', () => {
    const free: ContractTerms = { ...LINEAR, maker: 0, taker: 0 };
    expect(applyFill(flat, fill('buy', 1, 100), free)).toEqual({ position: { qty: 1, entryPrice: 100 }, realizedPnl: 0, fee: 0, feeCurrency: 'USDT', moved: [] });
  });
});

describe('a simulated fill on spot', () => {
  it('a buy pays the quote and receives the coin less its fee; a sell gives the coin and receives the quote less its fee', () => {
    const bought = applyFill(flat, fill('buy', 0.1, 60_000), SPOT);
    expect(bought).toMatchObject({ fee: 0.0001, feeCurrency: 'BTC', realizedPnl: 0 });
    expect(bought.moved).toEqual([
      { currency: 'USDT', amount: -6_000 },
      { currency: 'BTC', amount: 0.0999 },
    ]);
    // the average cost of a coin held, its fee included
    expect(bought.position.qty).toBe(0.0999);
    expect(bought.position.entryPrice).toBeCloseTo(6_000 / 0.0999, 8);
    const sold = applyFill(bought.position, fill('sell', 0.0999, 61_000), SPOT);
    expect(sold.position).toEqual({ qty: 0, entryPrice: null });
    expect(sold.fee).toBeCloseTo(6.0939, 10);
    expect(sold.feeCurrency).toBe('USDT');
    expect(sold.realizedPnl).toBeCloseTo(93.9, 8);
    expect(sold.moved[0]).toEqual({ currency: 'BTC', amount: -0.0999 });
    expect(sold.moved[1]?.amount).toBeCloseTo(6_093.9 - 6.0939, 8);
  });
});

const position = (qty: number, entryPrice: number, mark: number | null, leverage: number, terms: ContractTerms = LINEAR): MarginedPosition => ({ qty, entryPrice, mark, leverage, terms });
const resting = (order: Partial<RestingOrder>): RestingOrder => ({ side: 'buy', kind: 'limit', amount: 0.1, price: 59_000, reduceOnly: false, terms: LINEAR, leverage: 10, ...order });

describe("a simulated account's figures (ccxt's total and free)", () => {
  it.each([
    ['a wallet alone', 10_000, [], [], { total: 10_000, free: 10_000, unrealizedPnl: 0, positionMargin: 0, orderMargin: 0 }],
    ['a long in profit at its mark: equity up, margin at its leverage', 10_000, [position(0.1, 60_000, 61_000, 10)], [], { total: 10_100, free: 9_500, unrealizedPnl: 100, positionMargin: 600 }],
    ['a short in loss', 10_000, [position(-0.1, 60_000, 61_000, 5)], [], { total: 9_900, free: 8_700, unrealizedPnl: -100, positionMargin: 1_200 }],
    ['no mark yet: the entry (no unrealised PnL)', 10_000, [position(0.1, 60_000, null, 10)], [], { total: 10_000, free: 9_400 }],
    ['a resting Limit holds its margin at its leverage', 10_000, [position(0.1, 60_000, 61_000, 10)], [resting({})], { total: 10_100, free: 8_910, orderMargin: 590 }],
    ['reduce-only and protective orders hold nothing', 10_000, [], [resting({ reduceOnly: true }), resting({ kind: 'stop_loss', price: null }), resting({ kind: 'take_profit', price: null })], { total: 10_000, free: 10_000, orderMargin: 0 }],
    ['a loss beyond the free margin leaves nothing free, never less', 1_000, [position(1, 60_000, 59_000, 1)], [], { total: 0, free: 0, unrealizedPnl: -1_000 }],
    ['positions settled in another currency do not count', 10_000, [position(0.1, 60_000, 50_000, 1, { ...LINEAR, quote: 'USDC', settle: 'USDC' })], [resting({ terms: { ...LINEAR, settle: 'USDC', quote: 'USDC' } })], { total: 10_000, free: 10_000 }],
  ] as const)('%s', (_what, wallet, positions, orders, expected) => {
    expect(accountFigures('USDT', wallet, positions, orders)).toMatchObject({ currency: 'USDT', wallet, ...expected });
  });

  it('an inverse position counts in its coin: PnL and margin in BTC', () => {
    const figures = accountFigures('BTC', 1, [position(6_000, 60_000, 50_000, 2, INVERSE)], []);
    // 6 000 USD long from 60 000 to 50 000: 6 000 x (1/60 000 - 1/50 000) = -0.02 BTC; margin 0.1 BTC / 2
    expect(figures.unrealizedPnl).toBeCloseTo(-0.02, 12);
    expect(figures.positionMargin).toBeCloseTo(0.05, 12);
    expect(figures.total).toBeCloseTo(0.98, 12);
    expect(figures.free).toBeCloseTo(0.93, 12);
  });

  it('on spot a resting buy holds the quote it would pay, a resting sell the coins it would give', () => {
    const orders = [resting({ terms: SPOT, side: 'buy', amount: 0.01, price: 50_000 }), resting({ terms: SPOT, side: 'sell', amount: 0.05, price: 70_000 })];
    expect(accountFigures('USDT', 1_000, [], orders)).toMatchObject({ total: 1_000, free: 500, orderMargin: 500 });
    expect(accountFigures('BTC', 0.1, [], orders)).toMatchObject({ total: 0.1, free: 0.05, orderMargin: 0.05 });
  });
});

describe('what an order needs free before the simulator takes it', () => {
  const order = (side: 'buy' | 'sell', amount: number, reduceOnly = false) => ({ side, amount, price: 60_000, reduceOnly });
  it.each([
    ['an opening buy: margin at its leverage and the taker fee', 0, order('buy', 0.1), LINEAR, 10, { currency: 'USDT', amount: 603.6 }],
    ['an order that only shrinks the position: its fee', 0.1, order('sell', 0.05), LINEAR, 10, { currency: 'USDT', amount: 1.8 }],
    ['an order that crosses zero: the margin of the part that opens', 0.1, order('sell', 0.3), LINEAR, 10, { currency: 'USDT', amount: 1_210.8 }],
    ['a reduce-only order: nothing', 0.1, order('sell', 0.1, true), LINEAR, 10, { currency: 'USDT', amount: 0 }],
    ['a spot buy: the quote it pays', 0, order('buy', 0.1), SPOT, 1, { currency: 'USDT', amount: 6_000 }],
    ['a spot sell: the coins it gives', 0, order('sell', 0.1), SPOT, 1, { currency: 'BTC', amount: 0.1 }],
  ] as const)('%s', (_what, held, placed, terms, leverage, expected) => {
    expect(requiredFor(held, placed, terms, leverage)).toEqual(expected);
  });
});

describe('when the price fills a simulated order', () => {
  it.each([
    ['buy', 60_000, 59_999, true],
    ['buy', 60_000, 60_000, true],
    ['buy', 60_000, 60_001, false],
    ['sell', 60_000, 60_001, true],
    ['sell', 60_000, 59_999, false],
  ] as const)('a %s Limit at %d trades at %d: %s', (side, limit, price, crossed) => {
    expect(limitCrossed(side, limit, price)).toBe(crossed);
  });

  it.each([
    // a long's protection sells: its stop below, its target above
    ['stop_loss', 'sell', 58_000, 58_000, true],
    ['stop_loss', 'sell', 58_000, 58_100, false],
    ['take_profit', 'sell', 63_000, 63_500, true],
    ['take_profit', 'sell', 63_000, 62_900, false],
    // a short's protection buys: its stop above, its target below
    ['stop_loss', 'buy', 62_000, 62_500, true],
    ['stop_loss', 'buy', 62_000, 61_900, false],
    ['take_profit', 'buy', 57_000, 56_000, true],
    ['take_profit', 'buy', 57_000, 57_100, false],
  ] as const)('a %s %s at %d is reached at %d: %s', (kind, side, trigger, price, reached) => {
    expect(triggerReached(kind, side, trigger, price)).toBe(reached);
  });

  it('a resting Limit fills at its own price as the maker; a triggered stop at the price that reached it, as the taker', () => {
    expect(fillAt({ kind: 'limit', side: 'buy', price: 60_000, triggerPrice: null }, 59_000)).toEqual({ price: 60_000, liquidity: 'maker' });
    expect(fillAt({ kind: 'limit', side: 'buy', price: 60_000, triggerPrice: null }, 61_000)).toBeNull();
    expect(fillAt({ kind: 'stop_loss', side: 'sell', price: null, triggerPrice: 58_000 }, 57_500)).toEqual({ price: 57_500, liquidity: 'taker' });
    expect(fillAt({ kind: 'take_profit', side: 'sell', price: null, triggerPrice: 63_000 }, 62_000)).toBeNull();
    expect(fillAt({ kind: 'market', side: 'buy', price: null, triggerPrice: null }, 60_000)).toBeNull();
  });
});
