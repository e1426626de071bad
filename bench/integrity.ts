import type { JournalAudit } from './journal-audit.js';
import type { OrderAnswer } from './signed-orders.js';

export interface Integrity {
  /** Signed orders the bench sent to the engine. */
  sent: number;
  /** Of those, answered 2xx. */
  successful: number;
  journalRows: number;
  /** Orders the fake exchange accepted from the engine (every client id but the bench's direct ones). */
  exchangeReceived: number;
  /** Orders at the exchange whose client id the journal does not know: sent without a journal row. */
  unjournaled: number;
  /** Sent orders missing from the 2xx answers, the journal or the exchange (the largest gap), plus the unjournaled. */
  lost: number;
  /** Client order ids seen twice, at the exchange or in the journal. */
  duplicated: number;
  /** Orders journaled with a status other than filled (every order of the run is a Market order). */
  notFilled: number;
}

/** Nothing lost: journal rows, orders the exchange received and 2xx answers all equal what was sent; no client id twice. */
export function checkIntegrity(answers: readonly OrderAnswer[], journal: JournalAudit, engineIdsAtExchange: readonly string[]): Integrity {
  const journaled = new Set(journal.clientOrderIds);
  const distinctAtExchange = new Set(engineIdsAtExchange);
  const matched = [...distinctAtExchange].filter((id) => journaled.has(id)).length;
  const successful = answers.filter((answer) => answer.status >= 200 && answer.status < 300).length;
  const unjournaled = distinctAtExchange.size - matched;
  const sent = answers.length;
  return {
    sent,
    successful,
    journalRows: journal.orders,
    exchangeReceived: engineIdsAtExchange.length,
    unjournaled,
    lost: Math.max(0, sent - successful, sent - journal.orders, sent - matched) + unjournaled,
    duplicated: engineIdsAtExchange.length - distinctAtExchange.size + journal.duplicateClientIds,
    notFilled: journal.orders - (journal.byStatus['filled'] ?? 0),
  };
}
