import { type AccountRef, accountKey, DEFAULT_ACCOUNT } from '../../../shared/account-names.js';
import type { ExchangeConnection } from '../../../shared/engine-status.js';

export interface ConnectivityItem {
  exchange: string;
  tone: 'ok' | 'failing' | 'unknown';
  text: string;
  /** The hover text: what failed, or when it last worked. */
  title: string;
}

/**
 * The status bar's exchange connectivity: one item per account with credentials, from what the engine
 * learnt on its last requests there. An account not used since the engine started is "not used yet".
 */
export function connectivityOf(configured: readonly AccountRef[], connections: readonly ExchangeConnection[], formatTime: (iso: string) => string): ConnectivityItem[] {
  return configured.map((ref) => {
    // the default account reads as its exchange, as it did before accounts had names
    const exchange = ref.account === DEFAULT_ACCOUNT ? ref.exchange : accountKey(ref);
    const connection = connections.find((item) => item.exchange === ref.exchange && item.account === ref.account);
    if (!connection) return { exchange, tone: 'unknown', text: `${exchange}: not used yet`, title: 'No request since apisify started; Exchanges page: Test connection' };
    if (connection.state === 'ok') return { exchange, tone: 'ok', text: `${exchange}: connected`, title: `Answered at ${formatTime(connection.at)}` };
    if (connection.state === 'clock') return { exchange, tone: 'failing', text: `${exchange}: clock`, title: `${connection.message ?? 'clock'} (${formatTime(connection.at)})` };
    return { exchange, tone: 'failing', text: `${exchange}: failing`, title: `${connection.message ?? 'failing'} (${formatTime(connection.at)})` };
  });
}
