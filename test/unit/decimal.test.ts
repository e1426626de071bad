import { describe, expect, it } from 'vitest';
import { formatAmount, formatSigned } from '../../shared/decimal.js';

describe('formatAmount', () => {
  it("writes a price as the trader wrote it, not the double's binary expansion", () => {
    expect(formatAmount(59000.1)).toBe('59000.1');
    expect(formatAmount(59000.3)).toBe('59000.3');
    expect(formatAmount(64210.5)).toBe('64210.5');
    expect(formatAmount(123456789.123)).toBe('123456789.123');
  });

  it('clears the noise of sums and keeps twelve places at most', () => {
    expect(formatAmount(0.1 + 0.2)).toBe('0.3');
    expect(formatAmount(1 / 3)).toBe('0.333333333333');
    expect(formatAmount(2)).toBe('2');
    expect(formatAmount(-0)).toBe('0');
  });

  it('never writes an exponent', () => {
    expect(formatAmount(0.0000001)).toBe('0.0000001');
    expect(formatAmount(1e-13)).toBe('0');
    expect(formatAmount(1e15)).toBe('1000000000000000'); // the largest qty or price the API takes
    expect(formatSigned(-0.00000025)).toBe('-0.00000025');
    expect(formatSigned(2)).toBe('+2');
  });
});
