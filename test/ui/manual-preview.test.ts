import { describe, expect, it } from 'vitest';
import type { MarketEntry, MarketsAnswer } from '../../shared/manual-order-api.js';
import { EMPTY_MANUAL_ORDER } from '../../renderer/src/state/manual-order.js';
import { canConfirm, EDITING, type EnginePreview, fieldErrorOf, manualOrderFlow, type ManualOrderFlow, readPreviewAnswer } from '../../renderer/src/state/manual-order-flow.js';
import { describePreview, describeSizing } from '../../renderer/src/state/order-preview.js';
import { describeEntry, describeSource, filterSuggestions, sourceDetail, localSuggestions, marketOf, moveHighlight, sizeRules } from '../../renderer/src/state/symbol-suggestions.js';

/** Shaped as the engine answers POST /api/orders/preview (test/integration/manual-order-api.test.ts checks the engine's side). */
const closePreview: EnginePreview = {
  strategy: 'perp',
  exchange: 'bybit',
  account: 'default',
  symbol: 'ETHUSDT',
  market: 'ETH/USDT:USDT',
  market_type: 'swap',
  dry_run: false,
  side: 'Close',
  order_type: 'market',
  plan: 'Close: sell 1 to go from +1 to 0',
  skipped: false,
  position: { qty: '1', kind: 'position', read_at: '2026-01-02T10:11:12.000Z' },
  orders: [{ side: 'sell', type: 'market', amount: '1', price: null, reduce_only: true }],
};
const body = { strategy: 'perp', exchange: 'bybit', order_type: 'Market', side: 'Close', symbol: 'ETHUSDT' };

describe('the manual order flow: a confirm only for the body the engine previewed', () => {
  const asked = (ticket: number): ManualOrderFlow => manualOrderFlow(EDITING, { type: 'preview-requested', ticket, body });

  it('previews, then confirms, then starts over', () => {
    const waiting = asked(1);
    expect(canConfirm(waiting)).toBe(false);
    const shown = manualOrderFlow(waiting, { type: 'preview-answered', ticket: 1, status: 200, json: { ok: true, preview: closePreview } });
    expect(shown).toEqual({ kind: 'previewed', body, preview: closePreview });
    expect(canConfirm(shown)).toBe(true);
    const sending = manualOrderFlow(shown, { type: 'confirmed' });
    expect(sending.kind).toBe('sending');
    expect(canConfirm(sending)).toBe(false);
    // An edit while sending does not pretend to change the order under way.
    expect(manualOrderFlow(sending, { type: 'edited' })).toBe(sending);
    expect(manualOrderFlow(sending, { type: 'finished' })).toEqual(EDITING);
  });

  it('any edit drops the preview, and an answer to a request made before the edit is ignored', () => {
    const shown = manualOrderFlow(asked(1), { type: 'preview-answered', ticket: 1, status: 200, json: { ok: true, preview: closePreview } });
    expect(manualOrderFlow(shown, { type: 'edited' })).toEqual(EDITING);
    const edited = manualOrderFlow(asked(2), { type: 'edited' });
    expect(manualOrderFlow(edited, { type: 'preview-answered', ticket: 2, status: 200, json: { ok: true, preview: closePreview } })).toEqual(EDITING);
    // Two requests in a row: only the latest one's answer counts.
    const second = manualOrderFlow(asked(3), { type: 'preview-requested', ticket: 4, body });
    expect(manualOrderFlow(second, { type: 'preview-answered', ticket: 3, status: 200, json: { ok: true, preview: closePreview } })).toBe(second);
    expect(manualOrderFlow(EDITING, { type: 'confirmed' })).toEqual(EDITING);
  });

  it('a refusal is the API error, on its field too, and cannot be confirmed', () => {
    const refused = manualOrderFlow(asked(1), { type: 'preview-answered', ticket: 1, status: 400, json: { ok: false, error: { code: 'unknown_symbol', message: 'symbol: no perpetual market "X"', field: 'symbol' } } });
    expect(refused).toEqual({ kind: 'refused', body, status: 400, error: { code: 'unknown_symbol', message: 'symbol: no perpetual market "X"', field: 'symbol' } });
    expect(canConfirm(refused)).toBe(false);
    expect(fieldErrorOf(refused, EMPTY_MANUAL_ORDER)).toEqual({ symbol: 'symbol: no perpetual market "X"' });
    expect(fieldErrorOf(manualOrderFlow(asked(1), { type: 'preview-answered', ticket: 1, status: 503, json: { ok: false, error: { code: 'trading_paused', message: 'paused' } } }), EMPTY_MANUAL_ORDER)).toEqual({});
    const lost = manualOrderFlow(asked(1), { type: 'preview-failed', ticket: 1, error: { code: 'engine_unreachable', message: 'apisify is not answering' } });
    expect(lost).toMatchObject({ kind: 'refused', status: 0, error: { code: 'engine_unreachable' } });
  });

  it('reads an answer that is neither a preview nor an error as a failure', () => {
    expect(readPreviewAnswer(200, { ok: true })).toMatchObject({ ok: false, error: { code: 'http_error' } });
    expect(readPreviewAnswer(502, '<html>')).toMatchObject({ ok: false, error: { message: 'the preview answered HTTP 502 without a preview' } });
  });
});

describe("the engine's preview, in words", () => {
  it('names the plan, the position it used, and each leg as it would be sent', () => {
    const view = describePreview(closePreview, null);
    expect(view.mode).toBe('live');
    expect(view.headline).toBe('Close: sell 1 to go from +1 to 0');
    expect(view.market).toBe('ETHUSDT (ETH/USDT:USDT) on bybit, Market');
    expect(view.position).toMatch(/^Position now: \+1 \(read from bybit at (\d{4}-\d\d-\d\d )?\d\d:\d\d:\d\d\)$/);
    expect(view.legs).toEqual([{ side: 'sell', type: 'market', amount: '1', price: 'market', reduceOnly: true }]);
    expect(view.notes).toContain('If the position changes before you confirm, the engine reads it again and plans from what it finds then.');
    expect(view.notes).toContain('LIVE: a real order goes to bybit.');
  });

  it('short positions, free balances, skipped plans, dry runs and Buy without a position', () => {
    expect(describePreview({ ...closePreview, position: { ...closePreview.position!, qty: '-1.5' } }, null).position).toMatch(/^Position now: -1\.5 /);
    expect(describePreview({ ...closePreview, position: { ...closePreview.position!, qty: '0.5', kind: 'free_balance' } }, null).position).toMatch(/^Free base balance now: 0\.5 /);
    const skipped = describePreview({ ...closePreview, plan: 'Close: no open position', skipped: true, orders: [], position: { ...closePreview.position!, qty: '0' } }, null);
    expect(skipped.legs).toEqual([]);
    expect(skipped.position).toMatch(/^Position now: 0 /);
    expect(skipped.notes[0]).toBe('Nothing will be sent: confirming records the order in the journal as skipped.');
    const dry = describePreview({ ...closePreview, dry_run: true, market: 'ETHUSDT' }, '3000');
    expect(dry.mode).toBe('dry-run');
    expect(dry.market).toBe('ETHUSDT on bybit, Market');
    // the default account goes unsaid; a named one is shown, as the order will go there
    expect(describePreview({ ...closePreview, account: 'main' }, null).market).toBe('ETHUSDT (ETH/USDT:USDT) on bybit (account main), Market');
    expect(dry.position).toContain('the dry-run book of perp');
    expect(dry.notes).toContain('DRY-RUN: simulated at 3000; nothing reaches bybit.');
    const buy = describePreview({ ...closePreview, side: 'Buy', plan: 'buy 2', position: null, order_type: 'limit', orders: [{ side: 'buy', type: 'limit', amount: '2', price: '2999.5', reduce_only: false }] }, '2999.5');
    expect(buy.position).toBeNull();
    expect(buy.legs[0]).toMatchObject({ price: '2999.5', reduceOnly: false });
    expect(describePreview({ ...closePreview, side: 'Buy', position: null }, '65000').notes).toContain('The price is not used for a live Market order.');
  });
});

describe("the engine's sizing, protection, leverage and margin mode, in words", () => {
  const buy: EnginePreview = {
    ...closePreview,
    side: 'Buy',
    market: 'BTC/USDT:USDT',
    symbol: 'BTCUSDT',
    plan: 'buy 0.016',
    position: { qty: '0', kind: 'position', read_at: '2026-01-02T10:11:12.000Z' },
    orders: [{ side: 'buy', type: 'market', amount: '0.016', price: null, reduce_only: false }],
    units: { amount: 'BTC', value: 'USDT' },
    sizing: { unit: 'equity_percent', input: '10', basis: { kind: 'equity', value: '10000', currency: 'USDT' }, reference_price: '60000', amount: '0.016', notional: '960' },
  };

  it('names the computed amount and what it came from', () => {
    expect(describePreview(buy, null).sizing).toBe('10 % of equity 10,000 USDT at 60,000 = 0.016 BTC (worth 960 USDT)');
    expect(describeSizing({ ...buy, sizing: { ...buy.sizing!, unit: 'available_percent', basis: { kind: 'free', value: '8000.5', currency: 'USDT' }, amount: '0.013', notional: '780' } })).toBe('10 % of free balance 8,000.5 USDT at 60,000 = 0.013 BTC (worth 780 USDT)');
    expect(describeSizing({ ...buy, sizing: { unit: 'quote', input: '500', basis: null, reference_price: '60000', amount: '0.008', notional: '480' } })).toBe('500 USDT at 60,000 = 0.008 BTC');
    expect(describeSizing({ ...buy, sizing: { unit: 'position_percent', input: '50', basis: { kind: 'position', value: '0.03', currency: 'BTC' }, reference_price: null, amount: '0.015', notional: null } })).toBe('50 % of the position 0.03 BTC = 0.015 BTC');
    const risk = { ...buy, sizing: { unit: 'risk_percent', input: '1', basis: { kind: 'equity' as const, value: '10000', currency: 'USDT' }, reference_price: '60000', amount: '0.083', notional: '4980' }, protection: { stop_loss: '58800', take_profit: null, style: 'attached' as const, reference_price: '60000' } };
    expect(describeSizing(risk)).toBe('risking 1 % of equity 10,000 USDT to the stop-loss 58,800 at 60,000 = 0.083 BTC (worth 4,980 USDT)');
    expect(describeSizing({ ...buy, units: { amount: 'contracts', value: 'USD' }, sizing: { unit: 'quote', input: '1000', basis: null, reference_price: '60000', amount: '1000', notional: '1000' } })).toBe('1,000 USD at 60,000 = 1,000 contracts');
    expect(describePreview({ ...buy, sizing: undefined }, null).sizing).toBeNull();
  });

  it('names the protective prices, who holds them, the leverage set and the margin mode', () => {
    const attached = describePreview({ ...buy, protection: { stop_loss: '58800', take_profit: '63000', style: 'attached', reference_price: '60000' }, leverage: '5', margin_mode: 'cross' }, null);
    expect(attached.protection).toBe('stop-loss 58,800 · take-profit 63,000 (from 60,000), sent with the order; bybit holds them on the position');
    expect(attached.leverage).toBe("5x, set on bybit before the order where the account's differs");
    expect(attached.marginMode).toBe('cross: checked before the order (Bybit holds it for the whole account; apisify never changes it)');
    const binance = describePreview({ ...buy, exchange: 'binance', protection: { stop_loss: null, take_profit: '66000', style: 'conditional', reference_price: '60000' }, margin_mode: 'isolated' }, null);
    expect(binance.protection).toBe('take-profit 66,000 (from 60,000), placed on binance as reduce-only conditional orders once the entry fills');
    expect(binance.marginMode).toBe('isolated: set on this market before the order where it differs');
    expect(binance.leverage).toBeNull();
    const dry = describePreview({ ...buy, dry_run: true, protection: { stop_loss: '59000', take_profit: null, style: 'attached', reference_price: '60000' }, leverage: '3' }, '60000');
    expect(dry.protection).toBe('stop-loss 59,000 (from 60,000), simulated by the dry run');
    expect(dry.leverage).toBe('3x (a dry run sets nothing on bybit)');
    expect(describePreview(closePreview, null)).toMatchObject({ sizing: null, protection: null, leverage: null, marginMode: null });
  });
});

const market = (changes: Partial<MarketEntry>): MarketEntry => ({
  input: 'BTCUSDT',
  id: 'BTCUSDT',
  unified: 'BTC/USDT:USDT',
  tradingView: 'BTCUSDT.P',
  base: 'BTC',
  quote: 'USDT',
  type: 'swap',
  contract: 'linear',
  minAmount: '0.001',
  amountStep: '0.001',
  ...changes,
});
const markets = [
  market({}),
  market({ input: 'ETHUSDT', id: 'ETHUSDT', unified: 'ETH/USDT:USDT', tradingView: 'ETHUSDT.P', base: 'ETH', minAmount: '0.01', amountStep: '0.01' }),
  market({ input: 'BTCUSD', id: 'BTCUSD', unified: 'BTC/USD:BTC', tradingView: 'BTCUSD.P', quote: 'USD', contract: 'inverse', minAmount: '1', amountStep: '1' }),
  market({ input: 'WBTCUSDT', id: 'WBTCUSDT', unified: 'WBTC/USDT:USDT', tradingView: 'WBTCUSDT.P', base: 'WBTC' }),
  market({ input: 'ETHBTCUSDT', id: 'ETHBTCUSDT', unified: 'ETHBTC/USDT:USDT', tradingView: 'ETHBTCUSDT.P', base: 'ETHBTC' }),
];
const inputs = (list: readonly MarketEntry[]) => list.map((entry) => entry.input);

describe('symbol suggestions', () => {
  it('filters as the user types, best match first, in any spelling', () => {
    expect(inputs(filterSuggestions(markets, 'btc'))).toEqual(['BTCUSD', 'BTCUSDT', 'WBTCUSDT', 'ETHBTCUSDT']);
    expect(inputs(filterSuggestions(markets, 'BTCUSDT'))).toEqual(['BTCUSDT', 'WBTCUSDT', 'ETHBTCUSDT']);
    expect(inputs(filterSuggestions(markets, 'btc/usdt'))).toEqual(['BTCUSDT', 'WBTCUSDT', 'ETHBTCUSDT']);
    expect(inputs(filterSuggestions(markets, 'ETHUSDT.P'))).toEqual(['ETHUSDT']);
    expect(inputs(filterSuggestions(markets, 'eth'))).toEqual(['ETHUSDT', 'ETHBTCUSDT']);
    expect(inputs(filterSuggestions(markets, 'usd:btc'))).toEqual(['BTCUSD']);
    expect(filterSuggestions(markets, 'doge')).toEqual([]);
    expect(filterSuggestions(markets, '', 2)).toHaveLength(2);
  });

  it('finds the market a typed symbol names, for its size rules', () => {
    expect(marketOf(markets, 'eth/usdt:usdt')?.id).toBe('ETHUSDT');
    expect(marketOf(markets, 'BTCUSD.P')?.contract).toBe('inverse');
    expect(marketOf(markets, 'BTC')).toBeNull();
    expect(sizeRules(marketOf(markets, 'ETHUSDT'))).toBe('ETHUSDT: min 0.01, step 0.01 ETH; a qty between steps is rounded down');
    expect(sizeRules(marketOf(markets, 'BTCUSD'))).toBe('BTCUSD: min 1, step 1 USD contracts; a qty between steps is rounded down');
    expect(sizeRules(localSuggestions(['BTCUSDT'], [], 'swap')[0] ?? null)).toBeNull();
  });

  it('describes each market and where the list came from', () => {
    expect(describeEntry(markets[0] as MarketEntry)).toBe('BTC/USDT:USDT · BTCUSDT.P · linear perpetual · min 0.001');
    expect(describeEntry(market({ type: 'spot', unified: 'BTC/USDT', tradingView: null, contract: null }))).toBe('BTC/USDT · spot · min 0.001');
    const answer: MarketsAnswer = { strategy: 'perp', exchange: 'bybit', marketType: 'swap', source: 'account', note: null, markets };
    expect(describeSource(answer, null)).toBe('5 perpetual markets on your bybit account');
    expect(describeSource({ ...answer, source: 'public', note: 'no API credentials for bybit yet' }, null)).toBe("5 perpetual markets from bybit's public list. No API credentials for bybit yet");
    const unreadable: MarketsAnswer = { ...answer, source: 'strategy', note: "bybit's markets could not be read (bybit GET https://api.bybit.com/v5/market/instruments-info ECONNREFUSED)", markets: [] };
    expect(describeSource(unreadable, null)).toBe("bybit's markets could not be read, and this strategy allows any symbol: type it as the exchange names it (e.g. BTCUSDT)");
    expect(describeSource({ ...unreadable, markets: markets.slice(0, 1) }, null)).toBe("bybit's markets could not be read: suggesting this strategy's allowed symbols");
    expect(describeSource(unreadable, null)).not.toMatch(/ECONNREFUSED/);
    expect(sourceDetail(unreadable)).toMatch(/ECONNREFUSED/);
    expect(sourceDetail(answer)).toBeUndefined();
    expect(describeSource(null, 'GET /api/markets is not available')).toMatch(/unavailable: GET \/api\/markets is not available\)$/);
  });

  it("stands in with the strategy's and recent orders' symbols, each once", () => {
    expect(inputs(localSuggestions(['BTCUSDT', 'ethusdt'], ['ETHUSDT', 'BTCUSD', ' '], 'swap'))).toEqual(['BTCUSDT', 'ethusdt', 'BTCUSD']);
  });

  it('moves the highlight with the arrow keys, wrapping', () => {
    expect(moveHighlight(-1, 3, 1)).toBe(0);
    expect(moveHighlight(-1, 3, -1)).toBe(2);
    expect(moveHighlight(2, 3, 1)).toBe(0);
    expect(moveHighlight(0, 3, -1)).toBe(2);
    expect(moveHighlight(0, 0, 1)).toBe(-1);
  });
});
