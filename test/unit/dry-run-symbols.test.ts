import { describe, expect, it } from 'vitest';
import { simulatorSymbol } from '../../main/engine/exchanges/dry-run-venue.js';

describe("the dry-run simulator's market names", () => {
  it('are one per market whatever the spelling, a dated future apart from the perpetual', () => {
    for (const spelling of ['BTC/USDT:USDT', 'btc/usdt:usdt', 'BTCUSDT', 'btcusdt', 'BTCUSDT.P', ' BTC/USDT ']) expect(simulatorSymbol(spelling)).toBe('BTCUSDT');
    expect(simulatorSymbol('BTC/USD:BTC')).toBe('BTCUSD');
    expect(simulatorSymbol('BTC/USDT:USDT-250328')).toBe('BTCUSDT-250328');
  });
});
