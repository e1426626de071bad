import { describe, expect, it } from 'vitest';
import { parseSymbolList } from '../../shared/symbol-list.js';
import { strategyInputSchema } from '../../shared/ui-schemas.js';

describe('parseSymbolList (the UI and --symbols alike)', () => {
  it('reads comma separated symbols in every spelling an order may use, dropping repeats', () => {
    expect(parseSymbolList(' BTCUSDT, BTC/USDT:USDT ,BTCUSDT.P,BTCUSDT ')).toEqual({ ok: true, symbols: ['BTCUSDT', 'BTC/USDT:USDT', 'BTCUSDT.P'] });
    expect(parseSymbolList('   ')).toEqual({ ok: true, symbols: [] });
  });

  it.each([
    ['BTC USDT, , ??,', /holds a space/],
    ['BTC USDT,,', /holds a space/],
    ['BTCUSDT,,ETHUSDT', /entry 2 of 3 is empty/],
    ['BTCUSDT,', /entry 2 of 2 is empty/],
    ['BTCUSDT, ??', /expected a symbol such as BTCUSDT.*got "\?\?"/],
    ['-BTC', /expected a symbol such as/],
    ['A'.repeat(65), /longer than 64 characters/],
  ])('refuses %j', (text, message) => {
    const result = parseSymbolList(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(message);
  });

  it('the API refuses the same junk a list could carry', () => {
    const parsed = strategyInputSchema.safeParse({ name: 'x', mode: 'dry-run', symbols: ['BTCUSDT', '??'] });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toMatch(/expected a symbol such as BTCUSDT/);
  });
});
