import { describe, expect, it } from 'vitest';
import type { AccountReadState, BalanceView } from '../../shared/positions-api.js';
import { balanceRow, builtBy, positionRow, settleOf } from '../../renderer/src/state/position-format.js';
import { closeOrderBody, closeStrategyChoice, closeSymbol, needsMarkets } from '../../renderer/src/state/position-close.js';
import { accountGroups, groupTitle, INITIAL_POSITIONS, positionsReducer, type PositionsAction, type PositionsState } from '../../renderer/src/state/positions-state.js';
import { position, strategy } from './position-fixtures.js';

function balance(changes: Partial<BalanceView> = {}): BalanceView {
  return { exchange: 'bybit', account: 'default', dryRun: false, strategy: null, wallet: 'unified', currency: 'USDT', total: '10000', free: '9890', used: '110', ...changes };
}

function read(changes: Partial<AccountReadState> = {}): AccountReadState {
  return { exchange: 'bybit', account: 'default', dryRun: false, strategy: null, state: 'ok', live: false, message: null, readAt: '2025-03-02T10:00:00.000Z', ...changes };
}

function run(...actions: PositionsAction[]): PositionsState {
  return actions.reduce(positionsReducer, INITIAL_POSITIONS);
}

const AT = '2025-03-02T10:00:05.000Z';
const sub2 = position({ account: 'sub2', side: 'short', size: '0.05', strategies: [] });
const paper = position({ dryRun: true, strategy: 'paper', symbol: 'BTCUSDT', size: '0.01', strategies: [{ strategy: 'paper', qty: '0.01' }] });

describe('the positions reducer', () => {
  const loaded = run(
    { type: 'reading' },
    { type: 'positions-read', answer: { positions: [position(), sub2, paper], accounts: [read(), read({ account: 'sub2' })] } },
    { type: 'balances-read', answer: { balances: [balance(), balance({ account: 'sub2' }), balance({ dryRun: true, strategy: 'paper', wallet: null })], accounts: [read(), read({ account: 'sub2' })] } },
  );

  it('is loaded once both reads answered, and only then', () => {
    expect(run({ type: 'reading' }, { type: 'positions-read', answer: { positions: [], accounts: [] } }).loaded).toBe(false);
    expect(loaded.loaded).toBe(true);
  });

  it("replaces one live account's rows with its pushed list, leaving the others and the dry runs", () => {
    const pushed = positionsReducer(loaded, { type: 'positions-pushed', push: { exchange: 'bybit', account: 'default', positions: [position({ symbol: 'ETH/USDT:USDT', size: '1' })] }, at: AT });
    expect(pushed.positions.map((row) => `${row.dryRun ? 'dry' : row.account} ${row.symbol}`)).toEqual(['default ETH/USDT:USDT', 'sub2 BTC/USDT:USDT', 'dry BTCUSDT']);
    const flat = positionsReducer(pushed, { type: 'positions-pushed', push: { exchange: 'bybit', account: 'default', positions: [] }, at: AT });
    expect(flat.positions.map((row) => row.account)).toEqual(['sub2', 'default']);
    expect(flat.pushedAt).toEqual({ 'bybit/default': AT });
  });

  it('replaces pushed balances the same way', () => {
    const pushed = positionsReducer(loaded, { type: 'balances-pushed', push: { exchange: 'bybit', account: 'sub2', balances: [balance({ account: 'sub2', free: '5' })] }, at: AT });
    expect(pushed.balances.map((row) => `${row.dryRun ? 'dry' : row.account} ${row.free}`)).toEqual(['default 9890', 'sub2 5', 'dry 9890']);
  });

  it('keeps a push that came while a read was on its way, on top of what the read answers', () => {
    const state = run(
      { type: 'reading' },
      { type: 'positions-pushed', push: { exchange: 'bybit', account: 'sub2', positions: [] }, at: AT },
      // the read was taken before the push: it still lists sub2's position
      { type: 'positions-read', answer: { positions: [position(), sub2], accounts: [read(), read({ account: 'sub2' })] } },
    );
    expect(state.positions.map((row) => row.account)).toEqual(['default']);
    // once answered, a later read no longer replays it
    const again = run({ type: 'positions-read', answer: { positions: [sub2], accounts: [] } });
    expect(again.positions.map((row) => row.account)).toEqual(['sub2']);
  });

  it('replaces only the dry runs with their own read', () => {
    const state = positionsReducer(loaded, { type: 'dry-runs-read', positions: { positions: [position({ dryRun: true, strategy: 'paper', symbol: 'ETHUSDT', size: '2' })], accounts: [] }, balances: { balances: [], accounts: [] } });
    expect(state.positions.map((row) => `${row.dryRun ? 'dry' : row.account} ${row.symbol}`)).toEqual(['default BTC/USDT:USDT', 'sub2 BTC/USDT:USDT', 'dry ETHUSDT']);
    expect(state.balances.map((row) => row.account + (row.dryRun ? ' dry' : ''))).toEqual(['default', 'sub2']);
  });

  it('says what failed to read', () => {
    const state = run({ type: 'reading' }, { type: 'read-failed', what: 'balances', error: 'apisify is not answering' }, { type: 'positions-read', answer: { positions: [], accounts: [] } });
    expect(state).toMatchObject({ loaded: true, error: 'The balances could not be read: apisify is not answering' });
  });
});

describe('the account sections', () => {
  it('lists every live account read (with or without positions), then each dry run, with its rows', () => {
    const state = run(
      { type: 'positions-read', answer: { positions: [sub2, paper], accounts: [read(), read({ account: 'sub2', live: true })] } },
      { type: 'balances-read', answer: { balances: [balance()], accounts: [read(), read({ account: 'sub2' })] } },
    );
    const groups = accountGroups(state);
    expect(groups.map((group) => [group.key, groupTitle(group), group.positions.length, group.balances.length])).toEqual([
      ['bybit/default', 'bybit · default', 0, 1],
      ['bybit/sub2', 'bybit · sub2', 1, 0],
      ['dry-run/bybit/paper', 'paper on bybit', 1, 0],
    ]);
    expect(groups.map((group) => group.standing)).toEqual([{ kind: 'read', at: '2025-03-02T10:00:00.000Z' }, { kind: 'live', since: null }, { kind: 'dry-run' }]);
  });

  it('an account is live once it pushed, failing when either read failed, with its message', () => {
    const state = run(
      { type: 'positions-read', answer: { positions: [], accounts: [read(), read({ account: 'sub2' })] } },
      { type: 'balances-read', answer: { balances: [], accounts: [read(), read({ account: 'sub2', state: 'failing', message: 'bybit: the exchange could not be reached' })] } },
      { type: 'balances-pushed', push: { exchange: 'bybit', account: 'default', balances: [] }, at: AT },
    );
    expect(accountGroups(state).map((group) => group.standing)).toEqual([
      { kind: 'live', since: AT },
      { kind: 'failing', message: 'bybit: the exchange could not be reached' },
    ]);
  });

  it('has no section before any account or dry run exists', () => {
    expect(accountGroups(run({ type: 'positions-read', answer: { positions: [], accounts: [] } }, { type: 'balances-read', answer: { balances: [], accounts: [] } }))).toEqual([]);
  });
});

describe('a position row', () => {
  it('reads prices rounded and grouped, PnL signed in the settle currency, leverage with its margin mode where known', () => {
    expect(positionRow(position({ size: '1200.5' }))).toMatchObject({ symbol: 'BTC/USDT:USDT', side: 'long', size: '1,200.5', entry: '60,000', mark: '61,234.57', pnl: { text: '+37.037 USDT', tone: 'good' }, leverage: '10x cross', liquidation: '54,321.1' });
    expect(positionRow(position({ marginMode: null })).leverage).toBe('10x');
    expect(positionRow(position({ leverage: null, marginMode: 'isolated' })).leverage).toBe('isolated');
    expect(positionRow(position({ unrealizedPnl: '-0.00012345', symbol: 'BTC/USD:BTC' })).pnl).toEqual({ text: '-0.00012345 BTC', tone: 'bad' });
    expect(positionRow(position({ entryPrice: null, markPrice: null, unrealizedPnl: null, leverage: null, marginMode: null, liquidationPrice: null }))).toMatchObject({ entry: '—', mark: '—', pnl: { text: '—', tone: 'muted' }, leverage: '—', liquidation: '—' });
  });

  it('names each protective order with its trigger and who holds it', () => {
    const row = positionRow(
      position({
        protection: [
          { role: 'stop_loss', triggerPrice: '59100', orderId: 7, status: 'open' },
          { role: 'take_profit', triggerPrice: '63000', orderId: null, status: 'attached' },
        ],
      }),
    );
    expect(row.protection).toEqual([
      { text: 'SL 59,100', title: 'Stop-loss at 59100: order #7, open' },
      { text: 'TP 63,000', title: 'Take-profit at 63000: held by the exchange on the position (not placed by apisify)' },
    ]);
  });

  it('says who built it: one strategy, several with their shares, and what was opened outside apisify', () => {
    expect(builtBy(position())).toEqual([{ strategy: 'perp', label: 'perp' }]);
    expect(builtBy(position({ strategies: [] }))).toEqual([{ strategy: null, label: 'opened outside apisify' }]);
    expect(builtBy(position({ size: '0.03', strategies: [{ strategy: 'perp', qty: '0.01' }] })).map((part) => part.label)).toEqual(['perp 0.01', '0.02 from outside apisify']);
    expect(builtBy(position({ side: 'short', size: '3', strategies: [{ strategy: 'a', qty: '-1' }, { strategy: 'b', qty: '-2' }] })).map((part) => part.label)).toEqual(['a 1', 'b 2']);
  });

  it('finds the settle currency in a unified symbol', () => {
    expect([settleOf('BTC/USDT:USDT'), settleOf('BTC/USD:BTC'), settleOf('BTC/USDT:USDT-250328'), settleOf('BTCUSDT')]).toEqual(['USDT', 'BTC', 'USDT', null]);
  });

  it('reads a balance by wallet, with the dry run as simulated', () => {
    expect(balanceRow(balance({ total: '12345.6', used: null }))).toEqual({ key: 'unified trading/USDT', wallet: 'unified trading', currency: 'USDT', total: '12,345.6', free: '9,890', used: '—' });
    expect(balanceRow(balance({ wallet: 'futures' })).wallet).toBe('USDⓈ-M futures');
    expect(balanceRow(balance({ dryRun: true, wallet: null })).wallet).toBe('simulated');
  });
});

describe("a row's Close", () => {
  const bound = strategy('perp', { accounts: { bybit: ['default', 'sub2'] } });

  it("goes under a dry run's own strategy", () => {
    expect(closeStrategyChoice(paper, [])).toEqual({ kind: 'fixed', strategy: 'paper', why: 'the dry run this simulated position belongs to' });
  });

  it('goes under the one strategy that built it, when it may still trade there', () => {
    expect(closeStrategyChoice(position(), [bound, strategy('other')])).toMatchObject({ kind: 'fixed', strategy: 'perp' });
  });

  it('lets the user pick among the strategies that may trade on the account, the builders first', () => {
    const shared = position({ strategies: [{ strategy: 'b', qty: '0.01' }, { strategy: 'perp', qty: '0.02' }] });
    const choice = closeStrategyChoice(shared, [strategy('a'), bound, strategy('b'), strategy('paper', { mode: 'dry-run' }), strategy('off', { enabled: false }), strategy('spot', { marketType: 'spot' }), strategy('binance', { exchanges: ['binance'] })]);
    expect(choice).toEqual({ kind: 'pick', options: ['perp', 'b', 'a'], suggested: 'perp', why: 'Built by b and perp: the Close (the whole position) is journaled under the strategy you pick.' });
  });

  it('offers the others when the builder may not trade there, and says why when none may', () => {
    const onSub2 = position({ account: 'sub2' });
    expect(closeStrategyChoice(onSub2, [strategy('perp'), strategy('sub2only', { accounts: { bybit: ['sub2'] } })])).toMatchObject({ kind: 'pick', options: ['sub2only'], why: expect.stringMatching(/^Built by perp, which may not trade on bybit · sub2 now/) });
    expect(closeStrategyChoice(position({ strategies: [] }), [strategy('a')])).toMatchObject({ kind: 'pick', why: 'Opened outside apisify: pick the strategy to journal the Close under.' });
    expect(closeStrategyChoice(onSub2, [strategy('perp')])).toEqual({ kind: 'none', why: 'No enabled live strategy may trade on bybit · sub2: allow one on the Strategies page, or use Flatten account, which needs none.' });
  });

  it("spells the symbol as the strategy's allowed list does, from its markets", () => {
    const markets = [{ input: 'BTCUSDT', id: 'BTCUSDT', unified: 'BTC/USDT:USDT', tradingView: 'BTCUSDT.P', base: 'BTC', quote: 'USDT', type: 'swap' as const, contract: 'linear' as const, minAmount: '0.001', amountStep: '0.001' }];
    const listed = strategy('perp', { symbols: ['BTCUSDT'] });
    expect(needsMarkets(position(), listed)).toBe(true);
    expect(needsMarkets(position(), strategy('any'))).toBe(false);
    expect(needsMarkets(paper, listed)).toBe(false);
    expect(closeSymbol(position(), listed, markets)).toBe('BTCUSDT');
    expect(closeSymbol(position({ symbol: 'ETH/USDT:USDT' }), listed, markets)).toBe('ETH/USDT:USDT');
    expect(closeSymbol(position(), strategy('any'), markets)).toBe('BTC/USDT:USDT');
  });

  it("is the manual form's Close: live with the account, a dry run with the mark as its price", () => {
    expect(closeOrderBody(position({ account: 'sub2' }), 'perp', 'BTCUSDT')).toEqual({ strategy: 'perp', exchange: 'bybit', account: 'sub2', order_type: 'Market', side: 'Close', symbol: 'BTCUSDT' });
    expect(closeOrderBody(paper, 'paper', 'BTCUSDT')).toEqual({ strategy: 'paper', exchange: 'bybit', order_type: 'Market', side: 'Close', symbol: 'BTCUSDT', price: '61234.5678' });
    expect(closeOrderBody({ ...paper, markPrice: null }, 'paper', 'BTCUSDT')).not.toHaveProperty('price');
  });
});
