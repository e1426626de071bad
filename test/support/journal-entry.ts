import type { NewJournalEntry } from '../../main/engine/store/journal.js';

/** A live Bybit Market Buy as the order pipeline journals it, for tests that write the journal directly. */
export function journalEntry(changes: Partial<NewJournalEntry> = {}): NewJournalEntry {
  return {
    source: 'api',
    apiKeyId: null,
    strategy: 'journal_test',
    exchange: 'bybit',
    account: 'default',
    symbol: 'BTCUSDT',
    side: 'Buy',
    intent: 'open',
    orderType: 'market',
    qty: '0.001',
    price: null,
    memo: null,
    dryRun: false,
    market: { symbol: 'BTC/USDT:USDT', type: 'swap' },
    request: { symbol: 'BTCUSDT' },
    bodyDigest: null,
    ...changes,
  };
}
