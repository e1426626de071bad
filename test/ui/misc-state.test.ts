import { describe, expect, it } from 'vitest';
import { credentialsBody, describeTestResult, normalizeExchangeAccounts } from '../../renderer/src/state/exchanges.js';
import { curlHint, pythonHint } from '../../renderer/src/state/first-order-hint.js';
import { retryDelayMs } from '../../renderer/src/state/reconnect.js';
import { PAGES, pageForPath, pathOf } from '../../renderer/src/state/routes.js';

describe('exchange accounts', () => {
  it('lists every exchange name once, configured or not, from a list answer', () => {
    // The engine's answer: [{ exchange, apiKeyMasked, baseUrl, updatedAt }] for the accounts that are set.
    const accounts = normalizeExchangeAccounts([
      { exchange: 'binance', apiKeyMasked: 'abc…wxyz', baseUrl: 'http://127.0.0.1:9999', updatedAt: '2025-03-02T10:00:00.000Z' },
      { exchange: 'kraken', apiKeyMasked: 'x' },
    ]);
    expect(accounts.map((account) => account.exchange)).toEqual(['bybit', 'bybit_testnet', 'binance', 'binance_testnet']);
    expect(accounts[2]).toEqual({ exchange: 'binance', account: 'default', configured: true, apiKeyMasked: 'abc…wxyz', baseUrl: 'http://127.0.0.1:9999', updatedAt: '2025-03-02T10:00:00.000Z', note: null });
    expect(accounts[0]?.configured).toBe(false);
  });

  it('reads an answer keyed by name, or wrapped, too', () => {
    expect(normalizeExchangeAccounts({ bybit_testnet: { masked: 'k…1' } })[1]).toMatchObject({ configured: true, apiKeyMasked: 'k…1' });
    expect(normalizeExchangeAccounts({ exchanges: [{ name: 'BYBIT', configured: true }] })[0]).toMatchObject({ exchange: 'bybit', configured: true });
    expect(normalizeExchangeAccounts(null).every((account) => !account.configured)).toBe(true);
  });

  it('checks the credentials form', () => {
    expect(credentialsBody({ apiKey: ' k ', secret: ' s ', baseUrl: '' })).toEqual({ ok: true, value: { apiKey: 'k', secret: 's' } });
    expect(credentialsBody({ apiKey: 'k', secret: 's', baseUrl: 'http://127.0.0.1:9000' })).toEqual({ ok: true, value: { apiKey: 'k', secret: 's', baseUrl: 'http://127.0.0.1:9000' } });
    expect(credentialsBody({ apiKey: '', secret: 's', baseUrl: '' })).toMatchObject({ ok: false, field: 'apiKey' });
    expect(credentialsBody({ apiKey: 'k', secret: '', baseUrl: '' })).toMatchObject({ ok: false, field: 'secret' });
    expect(credentialsBody({ apiKey: 'k', secret: 's', baseUrl: 'api.bybit.com' })).toMatchObject({ ok: false, field: 'baseUrl' });
  });

  it('reads a connection test answer', () => {
    expect(describeTestResult({ ok: true, message: 'balance read: 1000 USDT' })).toEqual({ ok: true, message: 'balance read: 1000 USDT' });
    expect(describeTestResult({ ok: false, error: { code: 'exchange_auth_failed', message: 'bybit refused the API key' } })).toEqual({ ok: false, message: 'bybit refused the API key' });
    expect(describeTestResult({ ok: false, code: 'exchange_not_configured', message: 'no API credentials for bybit' })).toEqual({ ok: false, message: 'no API credentials for bybit' });
    expect(describeTestResult({ ok: true, currencies: 3 }).message).toContain('3 currencies');
    expect(describeTestResult({ ok: true })).toEqual({ ok: true, message: 'The exchange accepted the credentials.' });
    expect(describeTestResult(undefined).ok).toBe(false);
  });
});

describe('routes', () => {
  it('maps paths to pages and back', () => {
    expect(pageForPath('/')).toBe('orders');
    expect(pageForPath('/strategies/')).toBe('strategies');
    expect(pageForPath('/nowhere')).toBe('orders');
    for (const page of PAGES) expect(pageForPath(pathOf(page.id))).toBe(page.id);
  });
});

describe('reconnecting the event stream', () => {
  it('backs off, then retries every 10 s', () => {
    expect([0, 1, 2, 3, 4, 5, 50].map(retryDelayMs)).toEqual([500, 1000, 2000, 5000, 10000, 10000, 10000]);
  });
});

describe('the first order hint', () => {
  it('points curl and Python at this server, signed the spec way', () => {
    const curl = curlHint({ url: 'http://127.0.0.1:8470/' });
    expect(curl).toContain("URL='http://127.0.0.1:8470/v1/order'");
    expect(curl).toContain('openssl dgst -sha256 -hmac');
    expect(curl).toContain('"strategy":"test_strategy"');
    const python = pythonHint({ url: 'http://127.0.0.1:8470' });
    expect(python).toContain("url = 'http://127.0.0.1:8470/v1/order'");
    expect(python).toContain("f'{ts}POST{url}'");
  });
});
