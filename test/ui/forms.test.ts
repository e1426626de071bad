import { describe, expect, it } from 'vitest';
import type { Settings, StrategyOverview } from '../../renderer/src/state/api-types.js';
import { needsRestart, settingsChanges, settingsToForm } from '../../renderer/src/state/settings-form.js';
import { EMPTY_STRATEGY_FORM, splitSymbols, strategyChanges, strategyInput, strategyToForm } from '../../renderer/src/state/strategy-form.js';
import { strategyChangesSchema, strategyInputSchema } from '../../shared/ui-schemas.js';

const strategy: StrategyOverview = {
  id: 1,
  name: 'alpha',
  mode: 'dry-run',
  marketType: 'swap',
  maxQty: null,
  symbols: ['BTCUSDT'],
  exchanges: ['bybit'],
  enabled: true,
  createdAt: '2025-03-02T10:00:00.000Z',
  updatedAt: '2025-03-02T10:00:00.000Z',
  ordersToday: 0,
  lastSignalAt: null,
  positions: [],
};

describe('the strategy form', () => {
  it('splits symbol lists however they are typed', () => {
    expect(splitSymbols(' BTCUSDT, ETHUSDT;SOLUSDT\nBTCUSDT  ')).toEqual(['BTCUSDT', 'ETHUSDT', 'SOLUSDT']);
    expect(splitSymbols('')).toEqual([]);
  });

  it('makes the POST body with the shared schema', () => {
    const result = strategyInput({ ...EMPTY_STRATEGY_FORM, name: 'beta', maxQty: '0.5', symbols: 'BTCUSDT ETHUSDT', exchanges: ['binance'] });
    expect(result).toEqual({ ok: true, value: { name: 'beta', mode: 'dry-run', marketType: 'swap', maxQty: 0.5, symbols: ['BTCUSDT', 'ETHUSDT'], exchanges: ['binance'], enabled: true } });
    expect(strategyInput({ ...EMPTY_STRATEGY_FORM, name: 'no spaces allowed' })).toMatchObject({ ok: false, field: 'name' });
    expect(strategyInput({ ...EMPTY_STRATEGY_FORM, name: 'x', maxQty: '-2' })).toMatchObject({ ok: false, field: 'maxQty' });
  });

  it('sends only what changed in a PATCH', () => {
    const form = strategyToForm(strategy);
    expect(strategyChanges(strategy, form)).toEqual({ ok: true, value: {} });
    expect(strategyChanges(strategy, { ...form, mode: 'live', maxQty: '3', symbols: 'BTCUSDT, ETHUSDT' })).toEqual({ ok: true, value: { mode: 'live', maxQty: 3, symbols: ['BTCUSDT', 'ETHUSDT'] } });
    expect(strategyChanges(strategy, { ...form, enabled: false })).toEqual({ ok: true, value: { enabled: false } });
  });

  it('parses a change as touching only the fields it names (the engine and the CLI parse PATCHes with this schema)', () => {
    // zod applies defaults even under .partial(): a bare {enabled:false} once came out with symbols, limits and market type reset.
    expect(strategyChangesSchema.parse({ enabled: false })).toEqual({ enabled: false });
    expect(strategyChangesSchema.parse({ maxQty: null })).toEqual({ maxQty: null });
    expect(strategyInputSchema.parse({ name: 'x', mode: 'live' })).toEqual({ name: 'x', mode: 'live', marketType: 'swap', maxQty: null, symbols: [], exchanges: [], enabled: true });
  });
});

describe('the settings form', () => {
  const settings: Settings = {
    host: '127.0.0.1',
    port: 8470,
    publicUrl: null,
    tunnelPort: 8471,
    trustProxyHeaders: false,
    signatureWindowMs: 30_000,
    orderWaitMs: 2_500,
    exchangeTimeoutMs: 8_000,
    duplicateWindowMs: 30_000,
    paused: false,
    notifications: true,
    tradingViewAddressCheck: false,
    keyRatePerSecond: 10,
    keyBurst: 20,
    addressRatePerSecond: 20,
    addressBurst: 40,
  };

  it('shows durations in seconds and sends milliseconds, only for what changed', () => {
    const form = settingsToForm(settings);
    expect(form.orderWaitS).toBe('2.5');
    expect(settingsChanges(settings, form)).toEqual({ ok: true, value: {} });
    expect(settingsChanges(settings, { ...form, orderWaitS: '4', publicUrl: 'https://abc.trycloudflare.com', notifications: false })).toEqual({
      ok: true,
      value: { orderWaitMs: 4000, publicUrl: 'https://abc.trycloudflare.com', notifications: false },
    });
    expect(settingsChanges({ ...settings, publicUrl: 'https://x.example' }, { ...settingsToForm({ ...settings, publicUrl: 'https://x.example' }), publicUrl: ' ' })).toEqual({ ok: true, value: { publicUrl: null } });
  });

  it('refuses what the server would refuse, naming the field', () => {
    const form = settingsToForm(settings);
    expect(settingsChanges(settings, { ...form, port: '70000' })).toMatchObject({ ok: false, field: 'port' });
    expect(settingsChanges(settings, { ...form, port: 'abc' })).toMatchObject({ ok: false, field: 'port' });
    expect(settingsChanges(settings, { ...form, signatureWindowS: '0.5' })).toEqual({ ok: false, field: 'signatureWindowS', message: 'Signature window: expected 1 to 300 seconds' });
    expect(settingsChanges(settings, { ...form, orderWaitS: '61' })).toMatchObject({ ok: false, field: 'orderWaitS' });
    expect(settingsChanges(settings, { ...form, publicUrl: 'ftp://x' })).toMatchObject({ ok: false, field: 'publicUrl' });
    expect(settingsChanges(settings, { ...form, orderWaitS: 'soon' })).toMatchObject({ ok: false, field: 'orderWaitS' });
    expect(settingsChanges(settings, { ...form, orderWaitS: '0' })).toEqual({ ok: true, value: { orderWaitMs: 0 } });
  });

  it('edits the exchange timeout in seconds, within its range', () => {
    const form = settingsToForm(settings);
    expect(form.exchangeTimeoutS).toBe('8');
    expect(settingsChanges(settings, { ...form, exchangeTimeoutS: '5' })).toEqual({ ok: true, value: { exchangeTimeoutMs: 5000 } });
    expect(settingsChanges(settings, { ...form, exchangeTimeoutS: '0.1' })).toMatchObject({ ok: false, field: 'exchangeTimeoutS' });
  });

  it('edits the rate limits, 0 turning a rate off, a burst of at least one', () => {
    const form = settingsToForm(settings);
    expect(form.keyRatePerSecond).toBe('10');
    expect(settingsChanges(settings, { ...form, keyRatePerSecond: '2.5', addressBurst: '100' })).toEqual({ ok: true, value: { keyRatePerSecond: 2.5, addressBurst: 100 } });
    expect(settingsChanges(settings, { ...form, addressRatePerSecond: '0' })).toEqual({ ok: true, value: { addressRatePerSecond: 0 } });
    expect(settingsChanges(settings, { ...form, keyBurst: '0' })).toEqual({ ok: false, field: 'keyBurst', message: 'Burst per API key: expected a whole number from 1 to 100000' });
    expect(settingsChanges(settings, { ...form, keyBurst: '1.5' })).toMatchObject({ ok: false, field: 'keyBurst' });
    expect(settingsChanges(settings, { ...form, addressRatePerSecond: '-1' })).toMatchObject({ ok: false, field: 'addressRatePerSecond' });
  });

  it('knows host and port wait for a restart', () => {
    expect(needsRestart({ port: 9000 })).toBe(true);
    expect(needsRestart({ host: '0.0.0.0' })).toBe(true);
    expect(needsRestart({ orderWaitMs: 1000 })).toBe(false);
  });
});
