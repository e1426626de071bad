import { clientOrderIdOf } from './install-id.js';
import type { Journal } from './journal.js';

/** What the user must know of the journal's disk, for the engine's status; null when all is well. */
export function journalTrouble(journal: Journal, install: string): string | null {
  if (journal.diskFailing()) return "apisify cannot write its order journal to the disk: orders are not sent until it can (check the disk's free space and health)";
  const lost = journal.possiblyLostIds();
  if (!lost) return null;
  return (
    `apisify was stopped with the computer (a power cut or a crash of the system) while it may have been sending orders: ` +
    `an order it sent in the last moment may be on the exchange without being in apisify's journal. Check the exchange's recent orders for client order ids from ${clientOrderIdOf(install, lost.from, 1)} on.`
  );
}
