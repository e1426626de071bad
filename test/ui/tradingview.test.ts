import { describe, expect, it } from 'vitest';
import { parseOrderRequest } from '../../shared/order-request.js';
import { alertFields, alertMessage, alertProblem, alertWarnings, APIKEY_PLACEHOLDER, explainAlert, keyMatchesMasked, plotPlaceholder, protectionAllowed, reduceOnlyAllowed } from '../../renderer/src/state/alert-message.js';
import { webhookProblem, webhookUrl } from '../../renderer/src/state/webhook-url.js';

describe('the TradingView alert message', () => {
  const message = alertMessage({ strategy: 'alpha', exchange: 'bybit', orderType: 'Market', apikey: ' ak_123 ', includePrice: true });

  it('is JSON with TradingView placeholders and the key, and no signature', () => {
    expect(JSON.parse(message)).toEqual({
      strategy: 'alpha',
      exchange: 'bybit',
      order_type: 'Market',
      side: '{{strategy.order.action}}',
      qty: '{{strategy.order.contracts}}',
      symbol: '{{ticker}}',
      price: '{{close}}',
      memo: '{{strategy.order.id}}',
      apikey: 'ak_123',
    });
  });

  it("tells two real orders of one bar apart by the Pine order's id, which a resend keeps", () => {
    const fill = (id: string) => message.replace('{{strategy.order.action}}', 'sell').replace('{{strategy.order.contracts}}', '1').replace('{{ticker}}', 'BTCUSDT.P').replace('{{close}}', '65000').replace('{{strategy.order.id}}', id);
    expect(fill('Close position order')).not.toBe(fill('Short'));
    expect(fill('Short')).toBe(fill('Short'));
  });

  it('is a valid order request once TradingView fills it in', () => {
    const filled = message.replace('{{strategy.order.action}}', 'buy').replace('{{strategy.order.contracts}}', '0.5').replace('{{ticker}}', 'BTCUSDT.P').replace('{{close}}', '65000.5');
    const parsed = parseOrderRequest(JSON.parse(filled));
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.value.fields).toMatchObject({ intent: 'buy', qty: 0.5, symbol: 'BTCUSDT.P', price: 65000.5 });
  });

  it('always carries a price for Limit, a fixed symbol when asked, and a placeholder for a missing key', () => {
    const limit = JSON.parse(alertMessage({ strategy: 's', exchange: 'binance', orderType: 'Limit', apikey: '', symbol: 'ETHUSDT', includePrice: false, memo: 'tv' })) as Record<string, string>;
    expect(limit['price']).toBe('{{close}}');
    expect(limit['symbol']).toBe('ETHUSDT');
    expect(limit['memo']).toBe('tv ({{strategy.order.id}})');
    expect(limit['apikey']).toBe(APIKEY_PLACEHOLDER);
    expect(JSON.parse(alertMessage({ strategy: 's', exchange: 'bybit', orderType: 'Market', apikey: 'k', includePrice: false }))).not.toHaveProperty('price');
  });

  it('checks a pasted key against its masked form', () => {
    expect(keyMatchesMasked('ak_AbCdEfGhIjKlMnOpQr', 'ak_AbC…OpQr')).toBe(true);
    expect(keyMatchesMasked('ak_AbCdEfGhIjKlMnOpQX', 'ak_AbC…OpQr')).toBe(false);
    expect(keyMatchesMasked('', 'ak_AbC…OpQr')).toBe(false);
  });
});

describe("the TradingView message's shaping templates", () => {
  const base = { strategy: 'alpha', exchange: 'bybit', orderType: 'Market' as const, apikey: 'ak_123', includePrice: false };
  /** The message as TradingView would post it: every placeholder filled in. */
  const filled = (message: string, values: Record<string, string> = {}) => {
    const sample: Record<string, string> = { '{{strategy.order.action}}': 'sell', '{{strategy.order.contracts}}': '1', '{{strategy.position_size}}': '-0.5', '{{ticker}}': 'BTCUSDT.P', '{{close}}': '65000', '{{strategy.order.id}}': 'Short', '{{timenow}}': '2026-12-01T09:56:00Z', ...values };
    let text = message;
    for (const [placeholder, value] of Object.entries(sample)) text = text.replaceAll(placeholder, value);
    return parseOrderRequest(JSON.parse(text));
  };

  it("follows the strategy's position as a target, in the market's amount even where the strategy counts otherwise", () => {
    const message = alertMessage({ ...base, sizing: { kind: 'position' }, strategyQtyUnit: 'equity_percent' });
    expect(JSON.parse(message)).toMatchObject({ side: '{{strategy.order.action}}', target_position: '{{strategy.position_size}}', qty_unit: 'base', memo: '{{strategy.order.id}}' });
    expect(JSON.parse(message)).not.toHaveProperty('qty');
    const parsed = filled(message);
    expect(parsed.ok && parsed.value.fields).toMatchObject({ intent: 'sell', targetPosition: -0.5, qtyUnit: 'base', qty: null });
    // An exit: Pine's position 0 is a flat target, whatever side the exit order has.
    const flat = filled(message, { '{{strategy.position_size}}': '0', '{{strategy.order.action}}': 'buy' });
    expect(flat.ok && flat.value.fields.targetPosition).toBe(0);
    // The strategy's own orders are amounts too: said as such when the strategy counts in percent.
    expect(JSON.parse(alertMessage({ ...base, strategyQtyUnit: 'quote' }))).toMatchObject({ qty: '{{strategy.order.contracts}}', qty_unit: 'base' });
    expect(JSON.parse(alertMessage({ ...base, strategyQtyUnit: 'base' }))).not.toHaveProperty('qty_unit');
  });

  it('sizes a fixed signal in a percent unit with a fixed number, never a Pine amount, with a stop and target of its own', () => {
    const options = { ...base, sizing: { kind: 'fixed' as const, side: 'Sarbuy' as const, qty: '10', unit: 'equity_percent' as const }, stopLoss: { kind: 'percent' as const, value: '2' }, takeProfit: { kind: 'plot' as const, plot: 'Target' }, leverage: '5', strategyMaxLeverage: 10 };
    const message = alertMessage(options);
    // TradingView's own placeholder syntax, quotes and all: the message is JSON once filled in.
    expect(message).toContain('"take_profit": "{{plot("Target")}}"');
    expect(message).not.toContain('contracts');
    const parsed = filled(message, { '{{plot("Target")}}': '70000' });
    expect(parsed.ok && parsed.value.fields).toMatchObject({ intent: 'sarbuy', qty: 10, qtyUnit: 'equity_percent', stopLossPercent: 2, takeProfit: 70000, leverage: 5, memo: '2026-12-01T09:56:00Z' });
    expect(alertProblem(message)).toBeNull();
    expect(alertWarnings(options)).toEqual([]);
    expect(plotPlaceholder('0')).toBe('{{plot_0}}');
    expect(plotPlaceholder(' Stop "x" ')).toBe('{{plot("Stop x")}}');
  });

  it('closes the whole position without a qty, or a share of it by percent', () => {
    const whole = JSON.parse(alertMessage({ ...base, sizing: { kind: 'fixed', side: 'Close', qty: '3', unit: 'base' }, strategyQtyUnit: 'equity_percent' }));
    expect(whole).not.toHaveProperty('qty');
    expect(whole).not.toHaveProperty('qty_unit');
    expect(JSON.parse(alertMessage({ ...base, sizing: { kind: 'fixed', side: 'Close', qty: '50', unit: 'position_percent' } }))).toMatchObject({ side: 'Close', qty: '50', qty_unit: 'position_percent' });
  });

  it('offers protection only where it cannot make an exit refused, and reduce-only on a fixed Buy or Sell', () => {
    const fixed = (side: 'Buy' | 'Sell' | 'Close' | 'Sarsell') => ({ kind: 'fixed' as const, side, qty: '1', unit: 'base' as const });
    expect(protectionAllowed({ kind: 'orders' }, false, 'swap')).toBe(false);
    expect(protectionAllowed({ kind: 'position' }, false, 'swap')).toBe(false);
    expect(protectionAllowed(fixed('Buy'), false, 'swap')).toBe(true);
    expect(protectionAllowed(fixed('Sarsell'), false, 'swap')).toBe(true);
    expect(protectionAllowed(fixed('Close'), false, 'swap')).toBe(false);
    expect(protectionAllowed(fixed('Sell'), true, 'swap')).toBe(false);
    expect(protectionAllowed(fixed('Buy'), false, 'spot')).toBe(false);
    expect(reduceOnlyAllowed(fixed('Sell'), 'swap')).toBe(true);
    expect(reduceOnlyAllowed(fixed('Sarsell'), 'swap')).toBe(false);
    expect(reduceOnlyAllowed({ kind: 'orders' }, 'swap')).toBe(false);
    const exit = alertMessage({ ...base, sizing: fixed('Sell'), reduceOnly: true });
    expect(JSON.parse(exit)).toMatchObject({ side: 'Sell', qty: '1', reduce_only: true });
    expect(filled(exit).ok).toBe(true);
  });

  it('drops late alerts: signal_time {{timenow}} with max_lag, or alone for the strategy’s own max lag', () => {
    const late = alertMessage({ ...base, maxLag: '30' });
    expect(JSON.parse(late)).toMatchObject({ signal_time: '{{timenow}}', max_lag: '30' });
    const parsed = filled(late);
    expect(parsed.ok && parsed.value.fields).toMatchObject({ signalTime: Date.parse('2026-12-01T09:56:00Z'), maxLag: 30 });
    const strategyLag = JSON.parse(alertMessage({ ...base, strategyMaxLag: 60 }));
    expect(strategyLag).toMatchObject({ signal_time: '{{timenow}}' });
    expect(strategyLag).not.toHaveProperty('max_lag');
    expect(JSON.parse(alertMessage(base))).not.toHaveProperty('signal_time');
  });

  it('says what the engine would refuse once TradingView filled the message in', () => {
    expect(alertProblem(alertMessage({ ...base, sizing: { kind: 'fixed', side: 'Buy', qty: '', unit: 'base' } }))).toBe('qty is required for side Buy');
    expect(alertProblem(alertMessage({ ...base, maxLag: '0' }))).toBe('max_lag: expected a number greater than 0, got "0"');
    expect(alertProblem(alertMessage({ ...base, sizing: { kind: 'fixed', side: 'Close', qty: '150', unit: 'position_percent' } }))).toMatch(/^qty: with qty_unit position_percent it is a percent, expected at most 100/);
    expect(alertProblem(alertMessage({ ...base, sizing: { kind: 'fixed', side: 'Buy', qty: '10', unit: 'position_percent' } }))).toMatch(/^qty_unit: position_percent closes a share of the open position/);
    expect(alertProblem(alertMessage(base))).toBeNull();
  });

  it('warns of what the strategy would refuse, which the message cannot show', () => {
    expect(alertWarnings({ ...base, leverage: '5', strategyMaxLeverage: null })[0]).toMatch(/takes no leverage from an order .*403 leverage_above_limit/);
    expect(alertWarnings({ ...base, leverage: '20', strategyMaxLeverage: 10 })).toEqual(['Strategy alpha allows at most 10x from an order: 20x is refused (403 leverage_above_limit).']);
    expect(alertWarnings({ ...base, sizing: { kind: 'fixed', side: 'Buy', qty: '1', unit: 'risk_percent' } })[0]).toMatch(/^risk_percent sizes the order by what its stop-loss may lose/);
    expect(alertWarnings({ ...base, sizing: { kind: 'fixed', side: 'Buy', qty: '1', unit: 'risk_percent' }, stopLoss: { kind: 'plot', plot: '0' } })).toEqual([]);
    expect(alertWarnings({ ...base, strategyQtyUnit: 'equity_percent' })[0]).toMatch(/counts qty in equity_percent; Pine's figures are amounts, so this message says qty_unit base/);
  });

  it('explains every shaping field the message carries, and only those', () => {
    const options = { ...base, sizing: { kind: 'fixed' as const, side: 'Buy' as const, qty: '2', unit: 'risk_percent' as const }, stopLoss: { kind: 'plot' as const, plot: '1' }, takeProfit: { kind: 'percent' as const, value: '6' }, leverage: '3', maxLag: '20', includePrice: true, strategyMaxLeverage: 5 };
    const fields = alertFields(options);
    const explained = explainAlert(options);
    expect(explained.map((line) => line.field)).toEqual(['side', 'qty', 'qty_unit', 'price', 'leverage', 'stop_loss', 'take_profit_percent', 'signal_time', 'max_lag', 'memo']);
    for (const line of explained) expect(Object.keys(fields)).toContain(line.field);
    expect(explained.find((line) => line.field === 'stop_loss')?.text).toMatch(/^\{\{plot_1\}\}: the value of that plot/);
    expect(explained.find((line) => line.field === 'qty')?.text).toMatch(/^2: the size in percent or value: % of equity lost if the stop-loss is hit/);
    expect(explainAlert({ ...base, sizing: { kind: 'position' } }).map((line) => line.field)).toEqual(['side', 'target_position', 'memo']);
  });
});

describe('the webhook URL', () => {
  it('prefers the public URL, else the local address', () => {
    expect(webhookUrl({ url: 'http://127.0.0.1:8470', publicUrl: 'https://abc.trycloudflare.com/' })).toBe('https://abc.trycloudflare.com/v1/order');
    expect(webhookUrl({ url: 'http://127.0.0.1:8470', publicUrl: null })).toBe('http://127.0.0.1:8470/v1/order');
  });

  it('says why TradingView cannot reach a URL', () => {
    expect(webhookProblem('http://127.0.0.1:8470/v1/order')).toMatch(/only reachable from this computer/);
    expect(webhookProblem('http://192.168.1.5/v1/order')).toMatch(/only reachable/);
    expect(webhookProblem('https://trade.example.com:8443/v1/order')).toMatch(/ports 80 and 443/);
    expect(webhookProblem('https://abc.trycloudflare.com/v1/order')).toBeNull();
    // A public URL saved before https was required (or a proxy's): not offered as if it were fine.
    expect(webhookProblem('http://example.com/v1/order')).toMatch(/plain http: the alert would carry your API key across the internet unencrypted/);
  });
});
