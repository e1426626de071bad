import { describe, expect, it } from 'vitest';
import { parseOrderRequest } from '../../shared/order-request.js';
import { alertMessage, APIKEY_PLACEHOLDER, keyMatchesMasked } from '../../renderer/src/state/alert-message.js';
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
