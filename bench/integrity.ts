import type { JournalAudit } from './journal-audit.js';
import type { OrderAnswer } from './signed-orders.js';

export interface Integrity {
  /** Signed orders the bench sent to the engine. */
  sent: number;
  /** Answered 2xx. */
  successful: number;
  /** Answered otherwise, by status and code (e.g. "401 timestamp_out_of_window"); "0" is no answer at all. */
  unsuccessful: Record<string, number>;
  journalRows: number;
  /** Orders the fake exchange accepted from the engine (every client id but the bench's direct ones). */
  exchangeReceived: number;
  /** Journaled, answered 2xx or at the exchange, but not all three (by client order id; a row without legs counts). */
  lost: number;
  /** Client order ids sent to the exchange more than once (refused repeats included), or journaled twice. */
  duplicated: number;
  /** Orders journaled with a status other than filled (every order of the run is a Market order). */
  notFilled: number;
}

/**
 * Nothing lost: the orders answered 2xx, the journal's and the exchange's are the same orders (by
 * client order id), and no client order id was sent to the exchange twice (counted among the create
 * requests it received: it refuses a repeated id, so its accepted orders could never show one). A
 * refused request is not lost (it has no row and reached no exchange, as it should), but it is counted.
 */
export function checkIntegrity(
  answers: readonly OrderAnswer[],
  journal: JournalAudit,
  exchange: { accepted: readonly string[]; requested: readonly string[] },
): Integrity {
  const engineIdsAtExchange = exchange.accepted;
  const answered = new Set<string>();
  const unsuccessful: Record<string, number> = {};
  for (const answer of answers) {
    if (answer.status >= 200 && answer.status < 300 && answer.body?.ok) {
      for (const leg of answer.body.order.orders) answered.add(leg.client_order_id);
    } else {
      const reason = `${answer.status} ${answer.body && !answer.body.ok ? answer.body.error.code : (answer.failure ?? '')}`.trim();
      unsuccessful[reason] = (unsuccessful[reason] ?? 0) + 1;
    }
  }
  const journaled = new Set(journal.clientOrderIds);
  const atExchange = new Set(engineIdsAtExchange);
  const everywhere = [...answered].filter((id) => journaled.has(id) && atExchange.has(id)).length;
  // A journal row whose legs were never written has no client order id: the row count catches it.
  const anywhere = Math.max(journal.orders, new Set([...answered, ...journaled, ...atExchange]).size);
  return {
    sent: answers.length,
    successful: answers.length - Object.values(unsuccessful).reduce((sum, n) => sum + n, 0),
    unsuccessful,
    journalRows: journal.orders,
    exchangeReceived: engineIdsAtExchange.length,
    lost: anywhere - everywhere,
    duplicated: exchange.requested.length - new Set(exchange.requested).size + journal.duplicateClientIds,
    notFilled: journal.orders - (journal.byStatus['filled'] ?? 0),
  };
}
