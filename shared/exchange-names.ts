/** The spec's exchange names, exactly. */
export const EXCHANGE_NAMES = ['bybit', 'bybit_testnet', 'binance', 'binance_testnet'] as const;
export type ExchangeName = (typeof EXCHANGE_NAMES)[number];

export function isExchangeName(value: string): value is ExchangeName {
  return (EXCHANGE_NAMES as readonly string[]).includes(value);
}
