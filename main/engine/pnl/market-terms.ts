import { splitSymbol } from '../exchanges/dry-run-markets.js';

/** What a market's PnL is counted in, and how. */
export interface PnlTerms {
  /** linear and spot: PnL in the quote, qty in coins; inverse: PnL in the coin, qty in USD contracts. */
  kind: 'linear' | 'inverse' | 'spot';
  currency: string;
}

/**
 * A market's PnL terms from the symbol the journal kept: ccxt's unified symbol on live accounts
 * (BTC/USDT:USDT linear, BTC/USD:BTC inverse: settled in its base), the simulator's name in dry runs
 * (BTCUSDT; a perpetual quoted in USD is inverse, as Bybit's BTCUSD is, whose contracts are 1 USD).
 */
export function pnlTermsOf(symbol: string, marketType: 'swap' | 'spot'): PnlTerms {
  const unified = /^([^/]+)\/([^:]+)(?::([^-]+))?/.exec(symbol);
  if (unified) {
    const [, base = '', quote = '', settle] = unified;
    if (marketType === 'spot' || settle === undefined) return { kind: 'spot', currency: quote };
    return settle === base ? { kind: 'inverse', currency: base } : { kind: 'linear', currency: settle };
  }
  const { base, quote } = splitSymbol(symbol);
  if (marketType === 'spot') return { kind: 'spot', currency: quote };
  return quote === 'USD' ? { kind: 'inverse', currency: base } : { kind: 'linear', currency: quote };
}
