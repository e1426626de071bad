import type { SignalView } from '../../../shared/signal-view.js';
import type { CsvColumn } from './csv-writer.js';

/** The signal log as CSV: one record per entry, the columns of the Signals page and a few more. */
export const SIGNAL_CSV_COLUMNS: readonly CsvColumn<SignalView>[] = [
  { header: 'id', cell: (signal) => signal.id },
  { header: 'at', cell: (signal) => signal.at },
  { header: 'outcome', cell: (signal) => signal.outcome },
  { header: 'source', cell: (signal) => signal.source },
  { header: 'api_key', cell: (signal) => signal.keyLabel },
  { header: 'apikey_masked', cell: (signal) => signal.apikeyMasked },
  { header: 'client_address', cell: (signal) => signal.clientAddress },
  { header: 'strategy', cell: (signal) => signal.strategy },
  { header: 'exchange', cell: (signal) => signal.exchange },
  { header: 'symbol', cell: (signal) => signal.symbol },
  { header: 'side', cell: (signal) => signal.side },
  { header: 'order_type', cell: (signal) => signal.orderType },
  { header: 'qty', cell: (signal) => signal.qty },
  { header: 'price', cell: (signal) => signal.price },
  { header: 'http_status', cell: (signal) => signal.status },
  { header: 'code', cell: (signal) => signal.code },
  { header: 'field', cell: (signal) => signal.field },
  { header: 'message', cell: (signal) => signal.message },
  { header: 'order_id', cell: (signal) => signal.orderId },
  { header: 'count', cell: (signal) => signal.count },
];
