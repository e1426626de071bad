/**
 * What a symbol may look like: an exchange id (BTCUSDT), a ccxt unified symbol (BTC/USDT:USDT, a dated
 * BTC/USDT:USDT-250328) or a TradingView ticker (BTCUSDT.P). The order request and a strategy's list
 * of allowed symbols use the same rule, so a strategy cannot allow a symbol no order can name.
 */
export const SYMBOL_TEXT = /^[A-Za-z0-9][A-Za-z0-9/:._-]*$/;
export const SYMBOL_MAX_LENGTH = 64;
export const SYMBOL_HINT = 'a symbol such as BTCUSDT, BTC/USDT:USDT or BTCUSDT.P';

export type SymbolList = { ok: true; symbols: string[] } | { ok: false; message: string };

/**
 * A strategy's symbols as a person types them, in the UI or after --symbols: comma separated, blank for
 * any symbol. An empty entry (",,", a trailing comma) or a space inside one ("BTC USDT") is refused
 * rather than guessed at; a repeat is dropped. The message has no field name: the caller adds the one
 * its user typed.
 */
export function parseSymbolList(text: string): SymbolList {
  if (text.trim() === '') return { ok: true, symbols: [] };
  const seen = new Set<string>();
  const entries = text.split(',');
  for (const [index, raw] of entries.entries()) {
    const symbol = raw.trim();
    const which = entries.length > 1 ? `entry ${index + 1} of ${entries.length}` : 'the symbol';
    if (symbol === '') return { ok: false, message: `${which} is empty; separate symbols with single commas, e.g. BTCUSDT, ETHUSDT` };
    if (/\s/.test(symbol)) return { ok: false, message: `${JSON.stringify(symbol)} holds a space; separate symbols with commas, e.g. BTCUSDT, ETHUSDT` };
    if (symbol.length > SYMBOL_MAX_LENGTH) return { ok: false, message: `${which} is longer than ${SYMBOL_MAX_LENGTH} characters` };
    if (!SYMBOL_TEXT.test(symbol)) return { ok: false, message: `expected ${SYMBOL_HINT}, got ${JSON.stringify(symbol)}` };
    seen.add(symbol);
  }
  return { ok: true, symbols: [...seen] };
}
