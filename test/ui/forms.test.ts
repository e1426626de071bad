import { describe, expect, it } from 'vitest';
import type { Settings, StrategyOverview } from '../../renderer/src/state/api-types.js';
import { needsRestart, settingsChanges, settingsToForm } from '../../renderer/src/state/settings-form.js';
import { EMPTY_STRATEGY_FORM, strategyChanges, strategyInput, strategyToForm } from '../../renderer/src/state/strategy-form.js';
import { shapingSummary } from '../../renderer/src/state/strategy-shaping.js';
import { DEFAULT_STRATEGY_SHAPING } from '../../shared/api-types.js';
import { SETTING_FIELDS } from '../../shared/settings-fields.js';
import { strategyChangesSchema, strategyInputSchema } from '../../shared/ui-schemas.js';

const strategy: StrategyOverview = {
  ...DEFAULT_STRATEGY_SHAPING,
  id: 1,
  name: 'alpha',
  accounts: {},
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
  it('reads symbol lists as apisify strategy add --symbols does, refusing junk rather than saving it', () => {
    expect(strategyInput({ ...EMPTY_STRATEGY_FORM, name: 'x', symbols: ' BTCUSDT, ETHUSDT,BTCUSDT ' })).toMatchObject({ ok: true, value: { symbols: ['BTCUSDT', 'ETHUSDT'] } });
    expect(strategyInput({ ...EMPTY_STRATEGY_FORM, name: 'x', symbols: '' })).toMatchObject({ ok: true, value: { symbols: [] } });
    expect(strategyInput({ ...EMPTY_STRATEGY_FORM, name: 'x', symbols: 'BTC USDT, , ??,' })).toEqual({ ok: false, field: 'symbols', message: expect.stringMatching(/^symbols: "BTC USDT" holds a space/) });
    expect(strategyInput({ ...EMPTY_STRATEGY_FORM, name: 'x', symbols: 'BTCUSDT, ??' })).toEqual({ ok: false, field: 'symbols', message: expect.stringMatching(/^symbols: expected a symbol such as/) });
  });

  it('makes the POST body with the shared schema', () => {
    const result = strategyInput({ ...EMPTY_STRATEGY_FORM, name: 'beta', maxQty: '0.5', symbols: 'BTCUSDT, ETHUSDT', exchanges: ['binance'] });
    expect(result).toEqual({ ok: true, value: { ...DEFAULT_STRATEGY_SHAPING, name: 'beta', mode: 'dry-run', marketType: 'swap', maxQty: 0.5, symbols: ['BTCUSDT', 'ETHUSDT'], exchanges: ['binance'], accounts: {}, enabled: true } });
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
    expect(strategyInputSchema.parse({ name: 'x', mode: 'live' })).toEqual({ ...DEFAULT_STRATEGY_SHAPING, name: 'x', mode: 'live', marketType: 'swap', maxQty: null, symbols: [], exchanges: [], accounts: {}, enabled: true });
  });
});

describe("the strategy form's shaping settings", () => {
  const shaped: StrategyOverview = {
    ...strategy,
    qtyUnit: 'equity_percent',
    maxNotional: 5000,
    leverage: 3,
    maxLeverage: 5,
    marginMode: 'isolated',
    stopLossPercent: 2,
    takeProfitPercent: 4.5,
    maxLag: 30,
    onProtectionFailure: 'close',
    dryRunBalance: 2500,
  };

  it('starts a new strategy at the defaults, which trade every order as sent', () => {
    const input = strategyInput({ ...EMPTY_STRATEGY_FORM, name: 'x' });
    expect(input.ok && Object.fromEntries(Object.keys(DEFAULT_STRATEGY_SHAPING).map((key) => [key, input.value[key as keyof typeof DEFAULT_STRATEGY_SHAPING]]))).toEqual(DEFAULT_STRATEGY_SHAPING);
  });

  it('reads every setting back as it was saved, and an unchanged form changes nothing', () => {
    const form = strategyToForm(shaped);
    expect(form).toMatchObject({ qtyUnit: 'equity_percent', maxNotional: '5000', leverage: '3', maxLeverage: '5', marginMode: 'isolated', stopLossPercent: '2', takeProfitPercent: '4.5', maxLag: '30', onProtectionFailure: 'close', dryRunBalance: '2500' });
    expect(strategyChanges(shaped, form)).toEqual({ ok: true, value: {} });
  });

  it('sends each changed setting, empty fields as null (none)', () => {
    const form = strategyToForm(shaped);
    expect(strategyChanges(shaped, { ...form, leverage: '', marginMode: '', stopLossPercent: ' ', maxLag: '', qtyUnit: 'risk_percent', onProtectionFailure: 'keep', dryRunBalance: '100000' })).toEqual({
      ok: true,
      value: { leverage: null, marginMode: null, stopLossPercent: null, maxLag: null, qtyUnit: 'risk_percent', onProtectionFailure: 'keep', dryRunBalance: 100000 },
    });
    expect(strategyChanges(strategy, { ...strategyToForm(strategy), maxNotional: '250.5', takeProfitPercent: '3' })).toEqual({ ok: true, value: { maxNotional: 250.5, takeProfitPercent: 3 } });
  });

  it.each([
    ['leverage', 'lots', /^leverage: expected a number greater than 0, or empty for the account's own, got "lots"$/],
    ['maxLeverage', '-2', /^maxLeverage: expected a number greater than 0, or empty for none allowed from a request, got "-2"$/],
    ['leverage', '2000', /^leverage: expected a number greater than 0 and at most 1000, or empty for the account's own$/],
    ['stopLossPercent', '1001', /^stopLossPercent: expected a number greater than 0 and at most 1000, or empty for none$/],
    ['maxLag', '1.5', /^maxLag: expected whole seconds from 1 to 86400$/],
    ['maxLag', '90000', /^maxLag: expected whole seconds from 1 to 86400$/],
    ['maxNotional', '1e3', /^maxNotional: expected a number greater than 0, or empty for no limit, got "1e3"$/],
    ['dryRunBalance', '', /^dryRunBalance: expected a number greater than 0$/],
    ['dryRunBalance', '0', /^dryRunBalance: expected a number greater than 0, got "0"$/],
  ] as const)('refuses %s = %j, naming it as the server would', (field, text, message) => {
    const problem = strategyInput({ ...EMPTY_STRATEGY_FORM, name: 'x', [field]: text });
    expect(problem).toEqual({ ok: false, field, message: expect.stringMatching(message) });
  });

  it('summarises what differs from sending orders as asked, for the table', () => {
    expect(shapingSummary({ ...strategy, mode: 'live' })).toEqual([]);
    expect(shapingSummary(strategy)).toEqual(['balance 10,000']);
    expect(shapingSummary(shaped)).toEqual(['qty in % of equity', 'value ≤ 5,000', '3x', 'request leverage ≤ 5x', 'isolated', 'SL 2 %', 'TP 4.5 %', 'max lag 30 s', 'closes if protection fails', 'balance 2,500']);
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
    timeZone: 'local',
    signalRetentionDays: 30,
  };

  it('uses the names and units of the settings themselves (the CLI\'s), sending only what changed', () => {
    const form = settingsToForm(settings);
    expect(Object.keys(form).sort()).toEqual(SETTING_FIELDS.map((field) => field.name).sort());
    expect(form.orderWaitMs).toBe('2500');
    expect(settingsChanges(settings, form)).toEqual({ ok: true, value: {} });
    expect(settingsChanges(settings, { ...form, orderWaitMs: '4000', publicUrl: 'https://abc.trycloudflare.com', notifications: false, timeZone: 'utc' })).toEqual({
      ok: true,
      value: { orderWaitMs: 4000, publicUrl: 'https://abc.trycloudflare.com', notifications: false, timeZone: 'utc' },
    });
    expect(settingsChanges({ ...settings, publicUrl: 'https://x.example' }, { ...settingsToForm({ ...settings, publicUrl: 'https://x.example' }), publicUrl: ' ' })).toEqual({ ok: true, value: { publicUrl: null } });
  });

  it('refuses what the server would refuse, naming the setting', () => {
    const form = settingsToForm(settings);
    expect(settingsChanges(settings, { ...form, port: '70000' })).toMatchObject({ ok: false, field: 'port' });
    expect(settingsChanges(settings, { ...form, port: 'abc' })).toMatchObject({ ok: false, field: 'port' });
    expect(settingsChanges(settings, { ...form, signatureWindowMs: '500' })).toEqual({ ok: false, field: 'signatureWindowMs', message: 'signatureWindowMs: expected a whole number >= 1000 and <= 300000' });
    expect(settingsChanges(settings, { ...form, orderWaitMs: '61000' })).toMatchObject({ ok: false, field: 'orderWaitMs' });
    expect(settingsChanges(settings, { ...form, publicUrl: 'ftp://x' })).toMatchObject({ ok: false, field: 'publicUrl' });
    expect(settingsChanges(settings, { ...form, publicUrl: 'http://example.com' })).toEqual({ ok: false, field: 'publicUrl', message: expect.stringMatching(/^publicUrl: expected an https URL/) });
    expect(settingsChanges(settings, { ...form, orderWaitMs: 'soon' })).toEqual({ ok: false, field: 'orderWaitMs', message: 'orderWaitMs: expected a number (ms), got "soon"' });
    expect(settingsChanges(settings, { ...form, orderWaitMs: '0' })).toEqual({ ok: true, value: { orderWaitMs: 0 } });
    expect(settingsChanges(settings, { ...form, timeZone: 'mars' })).toMatchObject({ ok: false, field: 'timeZone' });
  });

  it('edits the rate limits, 0 turning a rate off, a burst of at least one', () => {
    const form = settingsToForm(settings);
    expect(form.keyRatePerSecond).toBe('10');
    expect(settingsChanges(settings, { ...form, keyRatePerSecond: '2.5', addressBurst: '100' })).toEqual({ ok: true, value: { keyRatePerSecond: 2.5, addressBurst: 100 } });
    expect(settingsChanges(settings, { ...form, addressRatePerSecond: '0' })).toEqual({ ok: true, value: { addressRatePerSecond: 0 } });
    expect(settingsChanges(settings, { ...form, keyBurst: '0' })).toEqual({ ok: false, field: 'keyBurst', message: 'keyBurst: expected a whole number >= 1 and <= 100000' });
    expect(settingsChanges(settings, { ...form, keyBurst: '1.5' })).toMatchObject({ ok: false, field: 'keyBurst' });
    expect(settingsChanges(settings, { ...form, addressRatePerSecond: '-1' })).toMatchObject({ ok: false, field: 'addressRatePerSecond' });
  });

  it('keeps the signal log a whole number of days, from one to ten years', () => {
    const form = settingsToForm(settings);
    expect(form.signalRetentionDays).toBe('30');
    expect(settingsChanges(settings, { ...form, signalRetentionDays: '90' })).toEqual({ ok: true, value: { signalRetentionDays: 90 } });
    expect(settingsChanges(settings, { ...form, signalRetentionDays: '0' })).toEqual({ ok: false, field: 'signalRetentionDays', message: 'signalRetentionDays: expected a whole number >= 1 and <= 3650' });
    expect(settingsChanges(settings, { ...form, signalRetentionDays: '1.5' })).toMatchObject({ ok: false, field: 'signalRetentionDays' });
  });

  it('knows host and port wait for a restart', () => {
    expect(needsRestart({ port: 9000 })).toBe(true);
    expect(needsRestart({ host: '0.0.0.0' })).toBe(true);
    expect(needsRestart({ orderWaitMs: 1000 })).toBe(false);
  });
});
